/// A pointwise convolution over a vector tiled to a map with constant coordinate planes appended — the
/// first layer of the CoordConv paper's classifier and renderer — without building the tiled input:
/// `x` `[N, C]`, `planes` `[k, H, W]` (constants: no gradient), `filter` `[F, C + k, 1, 1]`, `bias` `[F]`:
///
///     out[n, f, p] = act(a[n, f] + m[f, p]),  a = x·W[:, :C]ᵀ + b,  m = W[:, C:]·planes,
///
/// with act = ReLU when `relu`, else the identity — the same values as tiling `x` to `[N, C, H, W]`,
/// concatenating the planes and running `conv2d` (then `relu`), in one pass over the output.
///
/// VJP, with g the output gradient (masked by `out > 0` for the ReLU), s[n, f] = Σₚ g and
/// t[f, p] = Σₙ g: dW[:, :C] = sᵀ·x, dW[:, C:] = t·planesᵀ, db = Σₙ s, dx = s·W[:, :C].
public func tiledPointwiseConv2d(_ x: Tensor, planes: Tensor, filter: Tensor, bias: Tensor?, relu: Bool) -> Tensor {
    guard x.rank == 2, planes.rank == 3, filter.rank == 4, filter.shape[2] == 1, filter.shape[3] == 1,
          filter.shape[1] == x.shape[1] + planes.shape[0] else {
        fatalError("tiledPointwiseConv2d: input \(x.shape), planes \(planes.shape) and filter \(filter.shape) do not fit")
    }
    let n = x.shape[0], c = x.shape[1], k = planes.shape[0], f = filter.shape[0]
    let p = planes.shape[1] &* planes.shape[2], width = c &+ k
    if let bias, bias.shape != [f] { fatalError("tiledPointwiseConv2d: bias \(bias.shape) does not match \(f) filters") }
    let ws = filter.storage.base, xs = x.storage.base, ps = planes.storage.base, bs = bias?.storage.base
    // m[f, p] = Σⱼ W[f, C + j]·planes[j, p], shared by every example.
    let m = Tensor(shape: [f, p]) { d in
        let mp = d.baseAddress!
        for o in 0..<f {
            let row = mp + o &* p
            row.initialize(repeating: 0, count: p)
            for j in 0..<k { accumulate(ps + j &* p, times: ws[o &* width &+ c &+ j], into: row, count: p) }
        }
    }
    let result = Tensor(shape: [n, f, planes.shape[1], planes.shape[2]]) { out in
        let o = out.baseAddress!, mp = UnsafePointer(m.storage.base)
        for i in 0..<n {
            for j in 0..<f {
                var a: Float = bs?[j] ?? 0
                for q in 0..<c { a += ws[j &* width &+ q] * xs[i &* c &+ q] }
                offset(mp + j &* p, by: a, relu: relu, into: o + (i &* f &+ j) &* p, count: p)
            }
        }
    }
    let inputs = bias.map { [x, filter, $0] } ?? [x, filter]
    return Tensor.record(relu ? "tiledPointwiseConv2dReLU" : "tiledPointwiseConv2d", result, inputs, keepOutput: relu) { dy, node in
        let xv = node.inputs[0], wv = node.inputs[1]
        let xs = xv.storage.base, ws = wv.storage.base, dys = dy.storage.base, ys = node.output?.storage.base
        // s[n, f] and t[f, p] in one pass over the output gradient.
        var s = [Float](repeating: 0, count: n &* f)
        let t = Tensor(zeros: [f, p])
        let tp = t.storage.base
        for i in 0..<n {
            for j in 0..<f {
                let at = (i &* f &+ j) &* p
                s[i &* f &+ j] = sumAccumulating(dys + at, mask: ys.map { UnsafePointer($0 + at) }, into: tp + j &* p, count: p)
            }
        }
        let dx: Tensor? = node.needs(0) ? Tensor(shape: [n, c]) { d in
            for i in 0..<n { for q in 0..<c {
                var v: Float = 0
                for j in 0..<f { v += s[i &* f &+ j] * ws[j &* width &+ q] }
                d[i &* c &+ q] = v
            } }
        } : nil
        let dw: Tensor? = node.needs(1) ? Tensor(shape: wv.shape) { d in
            for j in 0..<f {
                for q in 0..<c {
                    var v: Float = 0
                    for i in 0..<n { v += s[i &* f &+ j] * xs[i &* c &+ q] }
                    d[j &* width &+ q] = v
                }
                for q in 0..<k { d[j &* width &+ c &+ q] = dotProduct(tp + j &* p, ps + q &* p, count: p) }
            }
        } : nil
        let db: Tensor? = node.inputs.count > 2 && node.needs(2) ? Tensor(shape: [f]) { d in
            for j in 0..<f { d[j] = (0..<n).reduce(0) { $0 + s[$1 &* f &+ j] } }
        } : nil
        return node.inputs.count > 2 ? [dx, dw, db] : [dx, dw]
    }
}

/// `d[k] += s·a[k]`, eight lanes at a time.
@inline(__always)
func accumulate(_ a: UnsafePointer<Float>, times s: Float, into d: UnsafeMutablePointer<Float>, count: Int) {
    let ar = UnsafeRawPointer(a), dr = UnsafeMutableRawPointer(d)
    var k = 0
    while k &+ 8 <= count {
        let v = dr.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self) + ar.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self) * s
        dr.storeBytes(of: v, toByteOffset: k &* 4, as: SIMD8<Float>.self)
        k &+= 8
    }
    while k < count { d[k] += s * a[k]; k &+= 1 }
}

/// `d[k] = act(m[k] + a)` (act = max(·, 0) when `relu`), eight lanes at a time.
@inline(__always)
func offset(_ m: UnsafePointer<Float>, by a: Float, relu: Bool, into d: UnsafeMutablePointer<Float>, count: Int) {
    let mr = UnsafeRawPointer(m), dr = UnsafeMutableRawPointer(d)
    let zero = SIMD8<Float>(repeating: 0)
    var k = 0
    while k &+ 8 <= count {
        var v = mr.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self) + a
        if relu { v.replace(with: zero, where: v .< zero) }
        dr.storeBytes(of: v, toByteOffset: k &* 4, as: SIMD8<Float>.self)
        k &+= 8
    }
    while k < count { let v = m[k] + a; d[k] = relu && v < 0 ? 0 : v; k &+= 1 }
}

/// Σₖ g[k]·[y[k] > 0] (all of g without a mask), adding each masked g[k] to `t[k]` in the same pass.
@inline(__always)
func sumAccumulating(_ g: UnsafePointer<Float>, mask y: UnsafePointer<Float>?, into t: UnsafeMutablePointer<Float>, count: Int) -> Float {
    let gr = UnsafeRawPointer(g), tr = UnsafeMutableRawPointer(t)
    let zero = SIMD8<Float>(repeating: 0)
    var acc = zero
    var k = 0
    while k &+ 8 <= count {
        var v = gr.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self)
        if let y { v = zero.replacing(with: v, where: UnsafeRawPointer(y).loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self) .> zero) }
        acc += v
        tr.storeBytes(of: tr.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self) + v, toByteOffset: k &* 4, as: SIMD8<Float>.self)
        k &+= 8
    }
    var total = acc.sum()
    while k < count {
        let v = y.map { $0[k] > 0 ? g[k] : 0 } ?? g[k]
        total += v
        t[k] += v
        k &+= 1
    }
    return total
}
