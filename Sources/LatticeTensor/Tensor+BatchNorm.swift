/// Batch normalisation with batch statistics, fused into one op (Ioffe & Szegedy, 2015): for `x`
/// `[N, C, H, W]` (or `[N, C]`), per channel c over the M = N·H·W values,
/// μ = Σx/M, σ² = Σ(x − μ)²/M (biased), x̂ = (x − μ)/√(σ² + ε), y = γ·x̂ + β.
///
/// Returns y and the batch mean and biased variance per channel (for running statistics).
///
/// VJP (per channel, with s = 1/√(σ² + ε)): dβ = Σ dy, dγ = Σ dy·x̂,
/// dx = γ·s/M · (M·dy − Σ dy − x̂·Σ dy·x̂). One pass per statistic instead of the dozen generic
/// broadcast/reduce ops the composed form records.
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
    for j in 0..<c {
        var sum: Float = 0
        for i in 0..<n {
            let row = xs + (i &* c &+ j) &* p
            var k = 0
            while k < p { sum += row[k]; k &+= 1 }
        }
        let mu = sum / m
        var squares: Float = 0
        for i in 0..<n {
            let row = xs + (i &* c &+ j) &* p
            var k = 0
            while k < p { let d = row[k] - mu; squares += d * d; k &+= 1 }
        }
        means[j] = mu
        variances[j] = squares / m
        inverse[j] = 1 / (squares / m + epsilon).squareRoot()
    }
    let normalized = Tensor(shape: x.shape) { out in
        let o = out.baseAddress!
        for i in 0..<n {
            for j in 0..<c {
                let base = (i &* c &+ j) &* p
                let row = xs + base, dst = o + base, mu = means[j], s = inverse[j]
                var k = 0
                while k < p { dst[k] = (row[k] - mu) * s; k &+= 1 }
            }
        }
    }
    let output = Tensor(shape: x.shape) { out in
        let o = out.baseAddress!, h = normalized.storage.base
        for i in 0..<n {
            for j in 0..<c {
                let base = (i &* c &+ j) &* p
                let g = gs[j], b = bs[j], src = h + base, dst = o + base
                var k = 0
                while k < p { dst[k] = src[k] * g + b; k &+= 1 }
            }
        }
    }
    let result = Tensor.record("batchNormalized", output, [x, scale, offset]) { dy, node in
        let gamma = node.inputs[1].storage.base, d = dy.storage.base, h = normalized.storage.base
        var sumDy = [Float](repeating: 0, count: c), sumDyH = [Float](repeating: 0, count: c)
        for i in 0..<n {
            for j in 0..<c {
                let base = (i &* c &+ j) &* p
                let g = d + base, xh = h + base
                var a: Float = 0, b: Float = 0, k = 0
                while k < p { a += g[k]; b += g[k] * xh[k]; k &+= 1 }
                sumDy[j] += a
                sumDyH[j] += b
            }
        }
        let dx: Tensor? = node.needs(0) ? Tensor(shape: x.shape) { out in
            let o = out.baseAddress!
            for i in 0..<n {
                for j in 0..<c {
                    let base = (i &* c &+ j) &* p
                    let g = d + base, xh = h + base, dst = o + base
                    let factor = gamma[j] * inverse[j] / m, meanDy = sumDy[j], meanDyH = sumDyH[j]
                    var k = 0
                    while k < p { dst[k] = factor * (m * g[k] - meanDy - xh[k] * meanDyH); k &+= 1 }
                }
            }
        } : nil
        let dScale: Tensor? = node.needs(1) ? Tensor(shape: [c], scalars: sumDyH) : nil
        let dOffset: Tensor? = node.needs(2) ? Tensor(shape: [c], scalars: sumDy) : nil
        return [dx, dScale, dOffset]
    }
    return (result, means, variances)
}
