import Foundation

/// Softmax, log-softmax and log-sum-exp along an axis, computed stably (the maximum is subtracted
/// before exponentiating), with VJPs.
extension Tensor {
    /// Applies `body(row, stride, count)` to every line along `axis`: pointers to input and output.
    @inline(__always)
    func forEachLine(_ axis: Int, outputCount: (Int) -> Int = { $0 },
                     _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, Int) -> Void,
                     outShape: [Int]) -> Tensor {
        let (outer, n, inner) = split(at: axis)
        let src = storage.base
        let m = outputCount(n)
        return Tensor(shape: outShape) { d in
            for o in 0..<outer {
                for i in 0..<inner {
                    body(src + o * n * inner + i, d.baseAddress! + o * m * inner + i, inner, n)
                }
            }
        }
    }

    /// softmax(x)ᵢ = e^(xᵢ − max) / Σⱼ e^(xⱼ − max) along `axis`. VJP: y ⊙ (g − Σ g⊙y).
    public func softmax(alongAxis axis: Int = -1) -> Tensor {
        let a = axisIndex(axis, op: "softmax")
        let y = forEachLine(a, { x, d, s, n in
            var mx = -Float.infinity
            for k in 0..<n { mx = Swift.max(mx, x[k * s]) }
            var total: Float = 0
            for k in 0..<n { let e = Foundation.exp(x[k * s] - mx); d[k * s] = e; total += e }
            let inv = 1 / total
            for k in 0..<n { d[k * s] *= inv }
        }, outShape: shape)
        return Tensor.record("softmax", y, [self], keepOutput: true) { g, node in
            let y = node.output!
            let dot = (g * y).sum(alongAxis: a, keepingDims: true)
            return [y * (g - dot)]
        }
    }

    /// log softmax(x)ᵢ = xᵢ − max − log Σⱼ e^(xⱼ − max) along `axis`. VJP: g − softmax ⊙ Σ g.
    public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
        let a = axisIndex(axis, op: "logSoftmax")
        let y = forEachLine(a, { x, d, s, n in
            var mx = -Float.infinity
            for k in 0..<n { mx = Swift.max(mx, x[k * s]) }
            var total: Float = 0
            for k in 0..<n { total += Foundation.exp(x[k * s] - mx) }
            let lse = mx + Foundation.log(total)
            for k in 0..<n { d[k * s] = x[k * s] - lse }
        }, outShape: shape)
        return Tensor.record("logSoftmax", y, [self], keepOutput: true) { g, node in
            let p = exp(node.output!)
            return [g - p * g.sum(alongAxis: a, keepingDims: true)]
        }
    }

    /// log Σᵢ e^(xᵢ) along `axis`, as max + log Σ e^(x − max). VJP: g ⊙ softmax(x).
    public func logSumExp(alongAxis axis: Int = -1, keepingDims: Bool = false) -> Tensor {
        let a = axisIndex(axis, op: "logSumExp")
        var kept = shape
        kept[a] = 1
        let y = forEachLine(a, outputCount: { _ in 1 }, { x, d, s, n in
            var mx = -Float.infinity
            for k in 0..<n { mx = Swift.max(mx, x[k * s]) }
            if mx == -Float.infinity { d[0] = mx; return }
            var total: Float = 0
            for k in 0..<n { total += Foundation.exp(x[k * s] - mx) }
            d[0] = mx + Foundation.log(total)
        }, outShape: kept)
        let keptShape = kept
        let withKept = Tensor.record("logSumExp", y, [self], keepOutput: true) { g, node in
            [g * exp(node.inputs[0] - node.output!.reshapedRaw(keptShape))]
        }
        return keepingDims ? withKept : withKept.reshaped(shape.enumerated().filter { $0.offset != a }.map { $0.element })
    }
}
