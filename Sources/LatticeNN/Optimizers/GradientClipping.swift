import LatticeTensor

extension Array where Element == Tensor {
    /// The L2 norm of all the scalars of all the tensors together, ‖(g₁, …, gₖ)‖₂ = √(Σᵢ ‖gᵢ‖²),
    /// accumulated in double precision.
    public var globalNorm: Float {
        var total = 0.0
        for t in self {
            t.withUnsafeBufferPointer { total += Backend.sumOfSquares($0.baseAddress!, count: $0.count) }
        }
        return Float(total.squareRoot())
    }

    /// Rescales gradients so their global norm is at most `maxNorm`, as PyTorch's
    /// `torch.nn.utils.clip_grad_norm_`: with n = `globalNorm`, every tensor is multiplied by
    /// `maxNorm / (n + 1e-6)` when that is below 1, and left unchanged otherwise.
    ///
    /// Returns the (possibly) rescaled gradients and the norm n before clipping. A non-finite n (a
    /// NaN or infinite gradient) leaves the gradients unchanged; check the returned norm to skip such a step.
    /// Pascanu et al., "On the difficulty of training recurrent neural networks" (2013).
    public func clipGradients(byGlobalNorm maxNorm: Float) -> (gradients: [Tensor], norm: Float) {
        precondition(maxNorm >= 0, "clipGradients(byGlobalNorm:): maxNorm must be ≥ 0, got \(maxNorm)")
        let norm = globalNorm
        let scale = clipFactor(norm: norm, maxNorm: maxNorm)
        guard scale < 1 else { return (self, norm) }
        let clipped = map { t in
            Tensor(shape: t.shape) { out in
                t.withUnsafeBufferPointer { src in
                    let s = src.baseAddress!, d = out.baseAddress!
                    var i = 0
                    let n = src.count
                    while i < n { d[i] = s[i] * scale; i &+= 1 }
                }
            }
        }
        return (clipped, norm)
    }
}

/// The factor global-norm clipping multiplies every gradient by, given their global norm: `maxNorm / (norm + 1e-6)`
/// when that is below 1, else 1 (also for a non-finite norm). Pass it to `Optimizer.update(_:along:scaledBy:)`
/// to step along the clipped gradients without making clipped copies.
public func clipFactor(norm: Float, maxNorm: Float) -> Float {
    guard norm.isFinite else { return 1 }
    let scale = maxNorm / (norm + 1e-6)
    return scale < 1 ? scale : 1
}
