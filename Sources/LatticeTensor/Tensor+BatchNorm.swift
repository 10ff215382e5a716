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
public func batchNormalized(_ x: Tensor, scale: Tensor, offset: Tensor, epsilon: Float)
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
                                    normalized: hs.map { $0 + base }, into: o + base, count: p)
                }
            }
        } }
    }
    let result = Tensor.record("batchNormalized", output, [x, scale, offset]) { dy, node in
        let gamma = node.inputs[1].storage.base, d = dy.storage.base, h = normalized!.storage.base
        var sumDy = [Float](repeating: 0, count: c), sumDyH = [Float](repeating: 0, count: c)
        sumDy.withUnsafeMutableBufferPointer { sb in sumDyH.withUnsafeMutableBufferPointer { hb in
            let sumDy = sb.baseAddress!, sumDyH = hb.baseAddress!
            ParallelLoops.forEachRange(c, elementsPerItem: n &* p) { channels in
                for j in channels {
                    for i in 0..<n {
                        let base = (i &* c &+ j) &* p
                        sumDy[j] += sumOfScalars(d + base, count: p)
                        sumDyH[j] += sumOfProducts(d + base, h + base, count: p)
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
                        combine(d + base, factor * m, h + base, -factor * sumDyH[j], -factor * sumDy[j], into: o + base, count: p)
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

/// x̂ = (x − μ)·s into `normalized` (when given) and γ·x̂ + β into `output`.
@inline(__always)
func normalizeAffine(_ x: UnsafePointer<Float>, mean: Float, inverse: Float, scale: Float, offset: Float,
                     normalized: UnsafeMutablePointer<Float>?, into output: UnsafeMutablePointer<Float>, count: Int) {
    var k = 0
    if let normalized {
        while k < count {
            let h = (x[k] - mean) * inverse
            normalized[k] = h
            output[k] = h * scale + offset
            k &+= 1
        }
    } else {
        while k < count { output[k] = (x[k] - mean) * inverse * scale + offset; k &+= 1 }
    }
}

/// α·u + β·v + γ elementwise.
@inline(__always)
func combine(_ u: UnsafePointer<Float>, _ alpha: Float, _ v: UnsafePointer<Float>, _ beta: Float, _ gamma: Float,
             into output: UnsafeMutablePointer<Float>, count: Int) {
    var k = 0
    while k < count { output[k] = alpha * u[k] + beta * v[k] + gamma; k &+= 1 }
}
