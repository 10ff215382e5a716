import Foundation

/// Elementwise arithmetic with NumPy-style broadcasting, unary maths and activations, each with its
/// vector-Jacobian product.
extension Tensor {
    // MARK: kernels

    /// A new tensor `f(self[i])` (no graph).
    @inline(__always)
    func mapped(_ f: (Float) -> Float) -> Tensor {
        let n = scalarCount
        let src = storage.base
        return Tensor(shape: shape) { dst in
            let d = dst.baseAddress!
            var i = 0
            while i < n { d[i] = f(src[i]); i &+= 1 }
        }
    }

    /// A new tensor `f(self[i], other[i])` for same-shaped tensors (no graph).
    @inline(__always)
    func zipped(_ other: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        let n = scalarCount
        let a = storage.base, b = other.storage.base
        return Tensor(shape: shape) { dst in
            let d = dst.baseAddress!
            var i = 0
            while i < n { d[i] = f(a[i], b[i]); i &+= 1 }
        }
    }

    /// `f(self[i], a[i], b[i])` for same-shaped tensors (no graph).
    @inline(__always)
    func zipped3(_ a: Tensor, _ b: Tensor, _ f: (Float, Float, Float) -> Float) -> Tensor {
        let n = scalarCount
        let x = storage.base, y = a.storage.base, z = b.storage.base
        return Tensor(shape: shape) { dst in
            let d = dst.baseAddress!
            var i = 0
            while i < n { d[i] = f(x[i], y[i], z[i]); i &+= 1 }
        }
    }

    /// `self + other` for same shapes, reusing this storage when it is not shared (gradient
    /// accumulation; no graph).
    func adding(_ other: Tensor) -> Tensor {
        precondition(shape == other.shape)
        var out = self
        let n = scalarCount
        let b = other.storage.base
        out.withUnsafeMutableBufferPointer { d in
            let p = d.baseAddress!
            var i = 0
            while i < n { p[i] += b[i]; i &+= 1 }
        }
        return out
    }

    // MARK: broadcasting

    /// The broadcast of two shapes (NumPy rules), or a fatal error naming the op and both shapes.
    static func broadcastShape(_ a: [Int], _ b: [Int], op: String) -> [Int] {
        if a == b { return a }
        let r = Swift.max(a.count, b.count)
        var out = [Int](repeating: 1, count: r)
        for i in 0..<r {
            let da = i < r - a.count ? 1 : a[i - (r - a.count)]
            let db = i < r - b.count ? 1 : b[i - (r - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else {
                fatalError("\(op): shapes \(a) and \(b) cannot be broadcast together")
            }
        }
        return out
    }

    /// This tensor's scalars repeated to `target` (a broadcast of its shape), as a new tensor.
    public func broadcast(to target: [Int]) -> Tensor {
        if shape == target { return self }
        let result = expanded(to: target)
        let original = shape
        return Tensor.record("broadcast", result, [self]) { g, _ in [g.summed(toShape: original)] }
    }

    /// Materialises the broadcast without recording.
    func expanded(to target: [Int]) -> Tensor {
        let bs = Tensor.broadcastShape(shape, target, op: "broadcast")
        guard bs == target else { fatalError("broadcast: shape \(shape) cannot be broadcast to \(target)") }
        let one = Tensor(zeros: target)
        return Tensor.broadcastApply(self, one, target) { a, _ in a }
    }

    /// `f` over two broadcast operands (no graph). Runs of the innermost axis are contiguous or
    /// constant, so the inner loop vectorises.
    @inline(__always)
    static func broadcastApply(_ a: Tensor, _ b: Tensor, _ outShape: [Int], _ f: (Float, Float) -> Float) -> Tensor {
        if a.shape == b.shape { return a.zipped(b, f) }
        let r = outShape.count
        // Strides of a and b in the output's index space (0 along broadcast axes).
        var sa = [Int](repeating: 0, count: r), sb = [Int](repeating: 0, count: r)
        var acc = 1
        for i in stride(from: a.rank - 1, through: 0, by: -1) {
            let oi = i + r - a.rank
            sa[oi] = a.shape[i] == 1 && outShape[oi] != 1 ? 0 : acc
            acc *= a.shape[i]
        }
        acc = 1
        for i in stride(from: b.rank - 1, through: 0, by: -1) {
            let oi = i + r - b.rank
            sb[oi] = b.shape[i] == 1 && outShape[oi] != 1 ? 0 : acc
            acc *= b.shape[i]
        }
        let inner = r == 0 ? 1 : outShape[r - 1]
        let ia = r == 0 ? 0 : sa[r - 1], ib = r == 0 ? 0 : sb[r - 1]
        let total = Tensor.count(of: outShape)
        let pa = a.storage.base, pb = b.storage.base
        return Tensor(shape: outShape) { dst in
            let d = dst.baseAddress!
            guard total > 0 else { return }
            var index = [Int](repeating: 0, count: Swift.max(r - 1, 0))
            var offA = 0, offB = 0, o = 0
            while o < total {
                var j = 0
                if ia == 1 && ib == 1 {
                    while j < inner { d[o &+ j] = f(pa[offA &+ j], pb[offB &+ j]); j &+= 1 }
                } else if ia == 1 {
                    let bv = pb[offB]
                    while j < inner { d[o &+ j] = f(pa[offA &+ j], bv); j &+= 1 }
                } else if ib == 1 {
                    let av = pa[offA]
                    while j < inner { d[o &+ j] = f(av, pb[offB &+ j]); j &+= 1 }
                } else {
                    while j < inner { d[o &+ j] = f(pa[offA &+ j &* ia], pb[offB &+ j &* ib]); j &+= 1 }
                }
                o &+= inner
                // Advance the odometer over the outer axes.
                var k = r - 2
                while k >= 0 {
                    index[k] += 1
                    offA += sa[k]; offB += sb[k]
                    if index[k] < outShape[k] { break }
                    offA -= sa[k] * outShape[k]; offB -= sb[k] * outShape[k]
                    index[k] = 0
                    k -= 1
                }
            }
        }
    }

    /// Sums a gradient over the axes that broadcasting expanded, back to `target`.
    public func summed(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        var t = self
        let lead = rank - target.count
        if lead > 0 { t = t.sum(alongAxes: Array(0..<lead)) }
        var axes: [Int] = []
        for (i, d) in target.enumerated() where d == 1 && t.shape[i] != 1 { axes.append(i) }
        if !axes.isEmpty { t = t.sum(alongAxes: axes, keepingDims: true) }
        return t.reshaped(target)
    }

    /// Elementwise binary op with broadcasting and a VJP given per-operand local derivatives.
    @inline(__always)
    static func binary(_ op: String, _ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float,
                       vjp: @escaping (Tensor, GradNode) -> (Tensor?, Tensor?)) -> Tensor {
        let outShape = broadcastShape(a.shape, b.shape, op: op)
        let result = broadcastApply(a, b, outShape, f)
        let sa = a.shape, sb = b.shape
        return record(op, result, [a, b]) { g, node in
            let (ga, gb) = vjp(g, node)
            return [ga?.summed(toShape: sa), gb?.summed(toShape: sb)]
        }
    }

    // MARK: arithmetic

    public static func + (a: Tensor, b: Tensor) -> Tensor {
        binary("add", a, b, +) { g, n in (n.needs(0) ? g : nil, n.needs(1) ? g : nil) }
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        binary("sub", a, b, -) { g, n in (n.needs(0) ? g : nil, n.needs(1) ? -g : nil) }
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        binary("mul", a, b, *) { g, n in
            (n.needs(0) ? g * n.inputs[1] : nil, n.needs(1) ? g * n.inputs[0] : nil)
        }
    }

    public static func / (a: Tensor, b: Tensor) -> Tensor {
        binary("div", a, b, /) { g, n in
            let x = n.inputs[0], y = n.inputs[1]
            return (n.needs(0) ? g / y : nil, n.needs(1) ? -(g * x) / (y * y) : nil)
        }
    }

    public static prefix func - (a: Tensor) -> Tensor {
        record("neg", a.mapped { -$0 }, [a]) { g, _ in [g.mapped { -$0 }] }
    }

    public static func + (a: Tensor, s: Float) -> Tensor { record("addScalar", a.mapped { $0 + s }, [a]) { g, _ in [g] } }
    public static func + (s: Float, a: Tensor) -> Tensor { a + s }
    public static func - (a: Tensor, s: Float) -> Tensor { a + (-s) }
    public static func - (s: Float, a: Tensor) -> Tensor { record("rsubScalar", a.mapped { s - $0 }, [a]) { g, _ in [-g] } }
    public static func * (a: Tensor, s: Float) -> Tensor {
        record("mulScalar", a.mapped { $0 * s }, [a]) { g, _ in [g.mapped { $0 * s }] }
    }
    public static func * (s: Float, a: Tensor) -> Tensor { a * s }
    public static func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }
    public static func / (s: Float, a: Tensor) -> Tensor {
        record("rdivScalar", a.mapped { s / $0 }, [a]) { g, n in [g.zipped(n.inputs[0]) { g, x in -g * s / (x * x) }] }
    }

    // MARK: unary maths

    /// Elementwise unary op with a VJP `g · f'(x, y)` computed from input `x` and output `y`.
    @inline(__always)
    func unary(_ op: String, _ f: (Float) -> Float, derivative: @escaping (Float, Float) -> Float) -> Tensor {
        let y = mapped(f)
        return Tensor.record(op, y, [self], keepOutput: true) { g, n in
            [g.zipped3(n.inputs[0], n.output!) { g, x, y in g * derivative(x, y) }]
        }
    }
}

/// eˣ elementwise.
public func exp(_ x: Tensor) -> Tensor { x.unary("exp", { Foundation.exp($0) }) { _, y in y } }
/// Natural logarithm elementwise.
public func log(_ x: Tensor) -> Tensor { x.unary("log", { Foundation.log($0) }) { x, _ in 1 / x } }
/// Square root elementwise.
public func sqrt(_ x: Tensor) -> Tensor { x.unary("sqrt", { $0.squareRoot() }) { _, y in 0.5 / y } }
/// |x| elementwise (derivative sign(x), 0 at 0).
public func abs(_ x: Tensor) -> Tensor { x.unary("abs", { Swift.abs($0) }) { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) } }
/// tanh elementwise.
public func tanh(_ x: Tensor) -> Tensor { tanhSIMD(x) }
/// The logistic sigmoid 1/(1+e⁻ˣ), stable for large |x|.
public func sigmoid(_ x: Tensor) -> Tensor {
    x.unary("sigmoid", { v in v >= 0 ? 1 / (1 + Foundation.exp(-v)) : Foundation.exp(v) / (1 + Foundation.exp(v)) }) { _, y in y * (1 - y) }
}
/// max(x, 0) elementwise (derivative 0 at 0).
public func relu(_ x: Tensor) -> Tensor {
    let n = x.scalarCount, xs = x.storage.base
    let y = Tensor(shape: x.shape) { d in
        ParallelLoops.forEachRange(n) { r in reluKernel(xs + r.lowerBound, gate: nil, into: d.baseAddress! + r.lowerBound, count: r.count) }
    }
    return Tensor.record("relu", y, [x], keepOutput: true) { g, node in
        let gs = g.storage.base, ys = node.output!.storage.base
        return [Tensor(shape: g.shape) { d in
            ParallelLoops.forEachRange(n) { r in
                reluKernel(gs + r.lowerBound, gate: ys + r.lowerBound, into: d.baseAddress! + r.lowerBound, count: r.count)
            }
        }]
    }
}

/// ReLU's forward (`gate` nil: dᵢ = xᵢ if xᵢ > 0, else 0) and backward (dᵢ = gᵢ if yᵢ > 0, else 0) over
/// eight lanes at a time; a NaN input passes through the forward pass.
@inline(__always)
func reluKernel(_ x: UnsafePointer<Float>, gate: UnsafePointer<Float>?, into d: UnsafeMutablePointer<Float>, count n: Int) {
    typealias V = SIMD8<Float>
    let zero = V(repeating: 0)
    let rx = UnsafeRawPointer(x), rd = UnsafeMutableRawPointer(d)
    var i = 0
    if let gate {
        let rg = UnsafeRawPointer(gate)
        while i &+ 8 <= n {
            let v = rx.loadUnaligned(fromByteOffset: i &* 4, as: V.self), y = rg.loadUnaligned(fromByteOffset: i &* 4, as: V.self)
            rd.storeBytes(of: v.replacing(with: zero, where: .!(y .> zero)), toByteOffset: i &* 4, as: V.self)
            i &+= 8
        }
        while i < n { d[i] = gate[i] > 0 ? x[i] : 0; i &+= 1 }
    } else {
        while i &+ 8 <= n {
            let v = rx.loadUnaligned(fromByteOffset: i &* 4, as: V.self)
            rd.storeBytes(of: v.replacing(with: zero, where: v .<= zero), toByteOffset: i &* 4, as: V.self)
            i &+= 8
        }
        while i < n { d[i] = x[i] <= 0 ? 0 : x[i]; i &+= 1 }
    }
}
/// x for x > 0, slope·x otherwise.
public func leakyReLU(_ x: Tensor, slope: Float = 0.01) -> Tensor {
    leakyReLUSIMD(x, slope: slope)
}
/// log(1 + eˣ), stable: max(x, 0) + log1p(e^−|x|).
public func softplus(_ x: Tensor) -> Tensor {
    x.unary("softplus", { Swift.max($0, 0) + Foundation.log1p(Foundation.exp(-Swift.abs($0))) }) { x, _ in
        x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
    }
}
/// xᵖ elementwise for a constant exponent.
public func pow(_ x: Tensor, _ p: Float) -> Tensor {
    x.unary("pow", { Foundation.pow($0, p) }) { x, _ in p * Foundation.pow(x, p - 1) }
}
/// xʸ elementwise with broadcasting; d/dy = xʸ·log x.
public func pow(_ x: Tensor, _ y: Tensor) -> Tensor {
    Tensor.binary("powTensor", x, y, { Foundation.pow($0, $1) }) { g, n in
        let a = n.inputs[0], b = n.inputs[1]
        let outShape = g.shape
        let ab = Tensor.broadcastApply(a, b, outShape) { Foundation.pow($0, $1) }
        let ga = n.needs(0) ? g * Tensor.broadcastApply(a, b, outShape) { x, y in y * Foundation.pow(x, y - 1) } : nil
        let gb = n.needs(1) ? g * ab * Tensor.broadcastApply(a, a, a.shape) { x, _ in Foundation.log(x) }.expanded(to: outShape) : nil
        return (ga, gb)
    }
}
/// x clamped to [low, high]; the gradient passes only inside the interval.
public func clamp(_ x: Tensor, min low: Float, max high: Float) -> Tensor {
    x.unary("clamp", { Swift.min(Swift.max($0, low), high) }) { x, _ in x >= low && x <= high ? 1 : 0 }
}
/// Elementwise maximum with broadcasting; ties send the gradient to the first operand.
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
    Tensor.binary("maximum", a, b, { Swift.max($0, $1) }) { g, n in
        let mask = Tensor.broadcastApply(n.inputs[0], n.inputs[1], g.shape) { $0 >= $1 ? 1 : 0 }
        return (n.needs(0) ? g * mask : nil, n.needs(1) ? g * (1 - mask) : nil)
    }
}
/// Elementwise minimum with broadcasting; ties send the gradient to the first operand.
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
    Tensor.binary("minimum", a, b, { Swift.min($0, $1) }) { g, n in
        let mask = Tensor.broadcastApply(n.inputs[0], n.inputs[1], g.shape) { $0 <= $1 ? 1 : 0 }
        return (n.needs(0) ? g * mask : nil, n.needs(1) ? g * (1 - mask) : nil)
    }
}
/// `a` where `condition` is non-zero, else `b` (all broadcast together); no gradient into the condition.
public func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    let shape = Tensor.broadcastShape(Tensor.broadcastShape(condition.shape, a.shape, op: "select"), b.shape, op: "select")
    let c = condition.expanded(to: shape).detached
    let mask = c.mapped { $0 != 0 ? 1 : 0 }
    return a.broadcast(to: shape) * mask + b.broadcast(to: shape) * (1 - mask)
}
