/// Reductions along axes — sum, mean, max, min, argmax — with their VJPs.
///
/// A reduction over one axis views the tensor as `[outer, axis, inner]`; several axes reduce one at a
/// time (from the last), which is exact for sum, max and min.
extension Tensor {
    /// Normalises a possibly negative axis, or stops with the op's name and the shape.
    func axisIndex(_ axis: Int, op: String) -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0 && a < rank else { fatalError("\(op): axis \(axis) out of range for shape \(shape)") }
        return a
    }

    /// `(outer, length, inner)` of an axis.
    func split(at axis: Int) -> (Int, Int, Int) {
        var outer = 1, inner = 1
        for i in 0..<axis { outer &*= shape[i] }
        for i in (axis + 1)..<rank { inner &*= shape[i] }
        return (outer, shape[axis], inner)
    }

    /// Reduces one axis with `combine`, starting each output at the first element (no graph).
    @inline(__always)
    func reduceAxis(_ axis: Int, keepingDims: Bool, _ combine: (Float, Float) -> Float) -> Tensor {
        let (outer, n, inner) = split(at: axis)
        var outShape = shape
        if keepingDims { outShape[axis] = 1 } else { outShape.remove(at: axis) }
        let src = storage.base
        return Tensor(shape: outShape) { dst in
            let d = dst.baseAddress!
            guard n > 0 else { for i in 0..<(outer * inner) { d[i] = 0 }; return }
            for o in 0..<outer {
                let base = src + o &* n &* inner
                let out = d + o &* inner
                for i in 0..<inner { out[i] = base[i] }
                var k = 1
                while k < n {
                    let row = base + k &* inner
                    for i in 0..<inner { out[i] = combine(out[i], row[i]) }
                    k &+= 1
                }
            }
        }
    }

    /// Repeats a reduced tensor (`keepingDims` shape) back to `target` along the reduced axes.
    func unreduced(to target: [Int]) -> Tensor { expanded(to: target) }

    /// Sum over `axes` (all axes when empty).
    public func sum(alongAxes axes: [Int] = [], keepingDims: Bool = false) -> Tensor {
        let ax = (axes.isEmpty ? Array(0..<rank) : axes.map { axisIndex($0, op: "sum") }).sorted(by: >)
        var t = self.detached
        for a in ax { t = t.reduceAxis(a, keepingDims: true, +) }
        var kept = t.shape
        if !keepingDims { for a in ax { kept.remove(at: a) } }
        let result = t.reshapedRaw(kept)
        let inShape = shape
        let keptShape = t.shape
        return Tensor.record("sum", result, [self]) { g, _ in [g.reshapedRaw(keptShape).unreduced(to: inShape)] }
    }

    /// Sum along one axis.
    public func sum(alongAxis axis: Int, keepingDims: Bool = false) -> Tensor { sum(alongAxes: [axis], keepingDims: keepingDims) }

    /// Mean over `axes` (all axes when empty).
    public func mean(alongAxes axes: [Int] = [], keepingDims: Bool = false) -> Tensor {
        let ax = axes.isEmpty ? Array(0..<rank) : axes.map { axisIndex($0, op: "mean") }
        var n = 1
        for a in Set(ax) { n *= shape[a] }
        return sum(alongAxes: ax, keepingDims: keepingDims) * (1 / Float(Swift.max(n, 1)))
    }

    /// Mean along one axis.
    public func mean(alongAxis axis: Int, keepingDims: Bool = false) -> Tensor { mean(alongAxes: [axis], keepingDims: keepingDims) }

    /// Maximum along an axis; the gradient goes to the first position holding the maximum.
    public func max(alongAxis axis: Int, keepingDims: Bool = false) -> Tensor { extremum(axis, keepingDims, op: "max", >) }

    /// Minimum along an axis; the gradient goes to the first position holding the minimum.
    public func min(alongAxis axis: Int, keepingDims: Bool = false) -> Tensor { extremum(axis, keepingDims, op: "min", <) }

    /// Maximum over all scalars.
    public func max() -> Tensor { reshaped([-1]).max(alongAxis: 0) }
    /// Minimum over all scalars.
    public func min() -> Tensor { reshaped([-1]).min(alongAxis: 0) }

    /// Index of the maximum along `axis` (first on ties), as Float indices, no gradient.
    public func argmax(alongAxis axis: Int, keepingDims: Bool = false) -> Tensor {
        let a = axisIndex(axis, op: "argmax")
        return argExtremum(a, keepingDims, >).0
    }

    /// Index of the minimum along `axis` (first on ties), as Float indices, no gradient.
    public func argmin(alongAxis axis: Int, keepingDims: Bool = false) -> Tensor {
        let a = axisIndex(axis, op: "argmin")
        return argExtremum(a, keepingDims, <).0
    }

    /// (indices, values) of the extremum along an axis.
    func argExtremum(_ axis: Int, _ keepingDims: Bool, _ better: (Float, Float) -> Bool) -> (Tensor, Tensor) {
        let (outer, n, inner) = split(at: axis)
        guard n > 0 else { fatalError("argmax/argmin over an empty axis \(axis) of shape \(shape)") }
        var outShape = shape
        if keepingDims { outShape[axis] = 1 } else { outShape.remove(at: axis) }
        let src = storage.base
        var values = Tensor(zeros: outShape)
        let indices = Tensor(shape: outShape) { idx in
            values.withUnsafeMutableBufferPointer { val in
                for o in 0..<outer {
                    for i in 0..<inner {
                        var best = src[o * n * inner + i], bestK = 0
                        for k in 1..<Swift.max(n, 1) {
                            let v = src[(o * n + k) * inner + i]
                            if better(v, best) || (best.isNaN && !v.isNaN) { best = v; bestK = k }
                        }
                        idx[o * inner + i] = Float(bestK)
                        val[o * inner + i] = best
                    }
                }
            }
        }
        return (indices, values)
    }

    func extremum(_ axis: Int, _ keepingDims: Bool, op: String, _ better: @escaping (Float, Float) -> Bool) -> Tensor {
        let a = axisIndex(axis, op: op)
        let (indices, values) = argExtremum(a, keepingDims, better)
        let inShape = shape
        let (outer, n, inner) = split(at: a)
        return Tensor.record(op, values, [self]) { g, _ in
            let gi = Tensor(zeros: inShape)
            var out = gi
            out.withUnsafeMutableBufferPointer { d in
                g.withUnsafeBufferPointer { gp in
                    indices.withUnsafeBufferPointer { ip in
                        for o in 0..<outer {
                            for i in 0..<inner {
                                let k = Int(ip[o * inner + i])
                                d[(o * n + k) * inner + i] = gp[o * inner + i]
                            }
                        }
                    }
                }
            }
            return [out]
        }
    }
}
