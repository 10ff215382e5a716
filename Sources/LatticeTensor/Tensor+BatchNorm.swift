/// Batch normalisation with batch statistics, fused into one op (Ioffe & Szegedy, 2015): for `x`
/// `[N, C, H, W]` (or `[N, C]`), per channel c over the M = N·H·W values,
/// μ = Σx/M, σ² = Σ(x − μ)²/M (biased), x̂ = (x − μ)/√(σ² + ε), y = γ·x̂ + β.
///
/// Returns y and the batch mean and biased variance per channel (for running statistics).
///
/// VJP (per channel, with s = 1/√(σ² + ε)): dβ = Σ dy, dγ = Σ dy·x̂,
/// dx = γ·s/M · (M·dy − Σ dy − x̂·Σ dy·x̂). One pass per statistic instead of the dozen generic
/// broadcast/reduce ops the composed form records. Channels (for the statistics) and image slices (for
/// the element-wise passes) run in parallel (`ParallelLoops`), each statistic summed in image order.
///
/// With `activationSlope` s, the output is a leaky ReLU of y — y for y > 0, else s·y (s = 0: ReLU, 0 for
/// y ≤ 0) — in the same pass, and the VJP gates dy by it (dy for y > 0, else s·dy, with y recomputed from
/// x̂): the values and gradients of `leakyReLU(y, slope: s)` / `relu(y)` after the plain op, without
/// writing and reading back y.
public func batchNormalized(_ x: Tensor, scale: Tensor, offset: Tensor, epsilon: Float, activationSlope: Float? = nil)
    -> (output: Tensor, mean: [Float], variance: [Float]) {
    guard x.rank == 4 || x.rank == 2, scale.shape == [x.shape[1]], offset.shape == [x.shape[1]] else {
        fatalError("batchNormalized: input \(x.shape) with scale \(scale.shape) and offset \(offset.shape) do not fit")
    }
    let n = x.shape[0], c = x.shape[1], p = x.rank == 4 ? x.shape[2] &* x.shape[3] : 1
    let m = Float(n &* p)
    var means = [Float](repeating: 0, count: c), variances = [Float](repeating: 0, count: c)
    var inverse = [Float](repeating: 0, count: c)
    let xs = x.storage.base, gs = scale.storage.base, bs = offset.storage.base
    // Channels in parallel, each summed image by image (the same order whatever the threads).
    means.withUnsafeMutableBufferPointer { mb in variances.withUnsafeMutableBufferPointer { vb in inverse.withUnsafeMutableBufferPointer { ib in
        let means = mb.baseAddress!, variances = vb.baseAddress!, inverse = ib.baseAddress!
        ParallelLoops.forEachRange(c, elementsPerItem: n &* p) { channels in
            for j in channels {
                var sum: Float = 0
                for i in 0..<n { sum += sumOfScalars(xs + (i &* c &+ j) &* p, count: p) }
                let mu = sum / m
                var squares: Float = 0
                for i in 0..<n { squares += sumOfSquaredDeviations(xs + (i &* c &+ j) &* p, from: mu, count: p) }
                means[j] = mu
                variances[j] = squares / m
                inverse[j] = 1 / (squares / m + epsilon).squareRoot()
            }
        }
    } } }
    // x̂ is kept for the VJP only when the graph is recorded (the same arithmetic either way).
    let recording = GradientRecording.isEnabled && (x.isTracked || scale.isTracked || offset.isTracked)
    let normalized: Tensor? = recording ? Tensor(shape: x.shape, storage: TensorStorage(uninitializedCount: x.scalarCount)) : nil
    let output = Tensor(shape: x.shape) { out in
        let o = out.baseAddress!, hs = normalized?.storage.base
        means.withUnsafeBufferPointer { means in inverse.withUnsafeBufferPointer { inverse in
            ParallelLoops.forEachRange(n &* c, elementsPerItem: p) { slices in
                for slice in slices {
                    let j = slice % c, base = slice &* p
                    normalizeAffine(xs + base, mean: means[j], inverse: inverse[j], scale: gs[j], offset: bs[j],
                                    slope: activationSlope, normalized: hs.map { $0 + base }, into: o + base, count: p)
                }
            }
        } }
    }
    let op = activationSlope == nil ? "batchNormalized" : "batchNormalizedActivated"
    let result = Tensor.record(op, output, [x, scale, offset]) { dy, node in
        let gamma = node.inputs[1].storage.base, beta = node.inputs[2].storage.base
        let d = dy.storage.base, h = normalized!.storage.base
        var sumDy = [Float](repeating: 0, count: c), sumDyH = [Float](repeating: 0, count: c)
        sumDy.withUnsafeMutableBufferPointer { sb in sumDyH.withUnsafeMutableBufferPointer { hb in
            let sumDy = sb.baseAddress!, sumDyH = hb.baseAddress!
            ParallelLoops.forEachRange(c, elementsPerItem: n &* p) { channels in
                for j in channels {
                    for i in 0..<n {
                        let base = (i &* c &+ j) &* p
                        if let slope = activationSlope {
                            let (a, b) = gatedSums(d + base, h + base, scale: gamma[j], offset: beta[j], slope: slope, count: p)
                            sumDy[j] += a
                            sumDyH[j] += b
                        } else {
                            sumDy[j] += sumOfScalars(d + base, count: p)
                            sumDyH[j] += sumOfProducts(d + base, h + base, count: p)
                        }
                    }
                }
            }
        } }
        let dx: Tensor? = node.needs(0) ? Tensor(shape: x.shape) { out in
            let o = out.baseAddress!
            inverse.withUnsafeBufferPointer { inverse in sumDy.withUnsafeBufferPointer { sumDy in sumDyH.withUnsafeBufferPointer { sumDyH in
                ParallelLoops.forEachRange(n &* c, elementsPerItem: p) { slices in
                    for slice in slices {
                        let j = slice % c, base = slice &* p
                        // dx = γs/M·(M·dy − Σdy − x̂·Σdy·x̂) = (γs)·dy − (γs/M)·Σdy − (γs/M)·Σdy·x̂ · x̂
                        let factor = gamma[j] * inverse[j] / m
                        let gate = activationSlope.map { (scale: gamma[j], offset: beta[j], slope: $0) }
                        combine(d + base, factor * m, h + base, -factor * sumDyH[j], -factor * sumDy[j], gate: gate,
                                into: o + base, count: p)
                    }
                }
            } } }
        } : nil
        let dScale: Tensor? = node.needs(1) ? Tensor(shape: [c], scalars: sumDyH) : nil
        let dOffset: Tensor? = node.needs(2) ? Tensor(shape: [c], scalars: sumDy) : nil
        return [dx, dScale, dOffset]
    }
    return (result, means, variances)
}

/// Σ (p[k] − mean)² with eight SIMD partial sums.
@inline(__always)
func sumOfSquaredDeviations(_ p: UnsafePointer<Float>, from mean: Float, count: Int) -> Float {
    var acc = SIMD8<Float>(repeating: 0)
    let mu = SIMD8<Float>(repeating: mean), raw = UnsafeRawPointer(p)
    var k = 0
    while k &+ 8 <= count {
        let d = raw.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self) - mu
        acc += d * d
        k &+= 8
    }
    var total = acc.sum()
    while k < count { let d = p[k] - mean; total += d * d; k &+= 1 }
    return total
}

/// Σ a[k]·b[k] with eight SIMD partial sums.
@inline(__always)
func sumOfProducts(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var acc = SIMD8<Float>(repeating: 0)
    var k = 0
    while k &+ 8 <= count {
        acc += UnsafeRawPointer(a + k).loadUnaligned(as: SIMD8<Float>.self) * UnsafeRawPointer(b + k).loadUnaligned(as: SIMD8<Float>.self)
        k &+= 8
    }
    var total = acc.sum()
    while k < count { total += a[k] * b[k]; k &+= 1 }
    return total
}

/// x̂ = (x − μ)·s into `normalized` (when given) and γ·x̂ + β into `output`, through the leaky ReLU of
/// `slope` when given (`activated`).
@inline(__always)
func normalizeAffine(_ x: UnsafePointer<Float>, mean: Float, inverse: Float, scale: Float, offset: Float, slope: Float?,
                     normalized: UnsafeMutablePointer<Float>?, into output: UnsafeMutablePointer<Float>, count: Int) {
    var k = 0
    if let normalized {
        while k < count {
            let h = (x[k] - mean) * inverse
            normalized[k] = h
            output[k] = activated(h * scale + offset, slope: slope)
            k &+= 1
        }
    } else {
        while k < count { output[k] = activated((x[k] - mean) * inverse * scale + offset, slope: slope); k &+= 1 }
    }
}

/// y for y > 0, else slope·y (0 for slope 0, as `relu`); y itself without a slope.
@inline(__always)
func activated(_ y: Float, slope: Float?) -> Float {
    guard let slope, y <= 0 else { return y }
    return slope == 0 ? 0 : slope * y
}

/// The activation's gate of an output gradient g at pre-activation y = γ·x̂ + β: g for y > 0, else slope·g.
@inline(__always)
func gated(_ g: Float, normalized h: Float, scale: Float, offset: Float, slope: Float) -> Float {
    h * scale + offset > 0 ? g : slope * g
}

/// (Σ g', Σ g'·x̂) with g' the gated gradient (`gated`), in the lane order of `sumOfScalars` and
/// `sumOfProducts` (eight partial sums, then the tail), so a slope of 1 gives their bits.
@inline(__always)
func gatedSums(_ g: UnsafePointer<Float>, _ h: UnsafePointer<Float>, scale: Float, offset: Float, slope: Float,
               count: Int) -> (Float, Float) {
    typealias V = SIMD8<Float>
    var sum = V(repeating: 0), products = V(repeating: 0)
    let zero = V(repeating: 0)
    var k = 0
    while k &+ 8 <= count {
        let gv = UnsafeRawPointer(g + k).loadUnaligned(as: V.self), hv = UnsafeRawPointer(h + k).loadUnaligned(as: V.self)
        let gate = (hv * scale + offset) .> zero
        let gg = (gv * slope).replacing(with: gv, where: gate)
        sum += gg
        products += gg * hv
        k &+= 8
    }
    var total = sum.sum(), totalProducts = products.sum()
    while k < count {
        let gg = gated(g[k], normalized: h[k], scale: scale, offset: offset, slope: slope)
        total += gg
        totalProducts += gg * h[k]
        k &+= 1
    }
    return (total, totalProducts)
}

/// α·u + β·v + γ elementwise; with a `gate`, u is first gated (`gated`, with v as x̂).
@inline(__always)
func combine(_ u: UnsafePointer<Float>, _ alpha: Float, _ v: UnsafePointer<Float>, _ beta: Float, _ gamma: Float,
             gate: (scale: Float, offset: Float, slope: Float)? = nil, into output: UnsafeMutablePointer<Float>, count: Int) {
    var k = 0
    if let gate {
        while k < count {
            let g = gated(u[k], normalized: v[k], scale: gate.scale, offset: gate.offset, slope: gate.slope)
            output[k] = alpha * g + beta * v[k] + gamma
            k &+= 1
        }
    } else {
        while k < count { output[k] = alpha * u[k] + beta * v[k] + gamma; k &+= 1 }
    }
}
