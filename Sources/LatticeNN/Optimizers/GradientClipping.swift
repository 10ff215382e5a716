import LatticeTensor

extension Array where Element == Tensor {
    /// The L2 norm of all the scalars of all the tensors together, ‖(g₁, …, gₖ)‖₂ = √(Σᵢ ‖gᵢ‖²),
    /// accumulated in double precision.
    public var globalNorm: Float {
        var total = 0.0
        for t in self {
            t.withUnsafeBufferPointer { b in
                // Four independent accumulators so the additions need not wait on each other.
                var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                var i = 0
                let n = b.count
                while i &+ 4 <= n {
                    let x0 = Double(b[i]), x1 = Double(b[i &+ 1]), x2 = Double(b[i &+ 2]), x3 = Double(b[i &+ 3])
                    s0 += x0 * x0; s1 += x1 * x1; s2 += x2 * x2; s3 += x3 * x3
                    i &+= 4
                }
                while i < n { let x = Double(b[i]); s0 += x * x; i &+= 1 }
                total += (s0 + s1) + (s2 + s3)
            }
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
        guard norm.isFinite else { return (self, norm) }
        let scale = maxNorm / (norm + 1e-6)
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
