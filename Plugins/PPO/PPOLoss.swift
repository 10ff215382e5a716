import LatticeRL
import LatticeTensor

/// The PPO loss on one minibatch (Schulman et al., "Proximal Policy Optimization Algorithms", 2017, with
/// the details of Huang et al. 2022): with r = exp(log π(a|s) − log π_old(a|s)) and advantages Â
/// (normalised per minibatch when asked: (A − mean) / (std + 1e-8), std with Bessel's correction as
/// PyTorch's `std()`),
///
///     policy  = mean(max(−Â·r, −Â·clamp(r, 1 − ε, 1 + ε)))
///     value   = ½·mean(max((V − R)², (V_old + clamp(V − V_old, −ε, ε) − R)²))   (clipped; ½·mean((V − R)²) unclipped)
///     entropy = mean(H(π(·|s)))
///     total   = policy − c_ent·entropy + c_vf·value
///
/// and, without gradients, approxKL = mean((r − 1) − log r) (Schulman's k3 estimator) and the clip
/// fraction mean(|r − 1| > ε).
public struct PPOLoss {
    /// The differentiable total loss.
    public var total: Tensor
    /// The clipped surrogate term.
    public var policy: Float
    /// The (clipped) value term, before c_vf.
    public var value: Float
    /// The mean entropy.
    public var entropy: Float
    /// The k3 estimate of KL(π_old ‖ π).
    public var approxKL: Float
    /// The fraction of ratios outside [1 − ε, 1 + ε].
    public var clipFraction: Float

    /// The loss of `logits` `[B, A]` and `values` `[B]` (the current network on `batch.observations`).
    public init(logits: Tensor, values: Tensor, batch: RolloutBuffer.Minibatch, clipEpsilon: Float,
                clipValueLoss: Bool, normalizeAdvantages: Bool, entropyCoefficient: Float, valueCoefficient: Float) {
        let distribution = Categorical(logits: logits)
        let logProbabilities = distribution.logProbability(of: batch.actions)
        let logRatio = logProbabilities - batch.oldLogProbabilities
        let ratio = exp(logRatio)
        var advantages = batch.advantages
        if normalizeAdvantages { advantages = Self.normalized(advantages) }
        let surrogate = -advantages * ratio
        let clippedSurrogate = -advantages * clamp(ratio, min: 1 - clipEpsilon, max: 1 + clipEpsilon)
        let policyLoss = maximum(surrogate, clippedSurrogate).mean()
        let unclipped = (values - batch.returns) * (values - batch.returns)
        let valueLoss: Tensor
        if clipValueLoss {
            let clippedValues = batch.oldValues + clamp(values - batch.oldValues, min: -clipEpsilon, max: clipEpsilon)
            let clipped = (clippedValues - batch.returns) * (clippedValues - batch.returns)
            valueLoss = 0.5 * maximum(unclipped, clipped).mean()
        } else {
            valueLoss = 0.5 * unclipped.mean()
        }
        let entropy = distribution.entropy().mean()
        total = policyLoss - entropyCoefficient * entropy + valueCoefficient * valueLoss
        policy = policyLoss.scalar
        value = valueLoss.scalar
        self.entropy = entropy.scalar
        var kl = 0.0, clippedCount = 0
        let r = ratio.scalars, lr = logRatio.scalars
        for i in 0..<r.count {
            kl += Double((r[i] - 1) - lr[i])
            if Swift.abs(r[i] - 1) > clipEpsilon { clippedCount += 1 }
        }
        approxKL = Float(kl / Double(max(r.count, 1)))
        clipFraction = Float(clippedCount) / Float(max(r.count, 1))
    }

    /// (A − mean(A)) / (std(A) + 1e-8): `AdvantageEstimation.normalized`, shared with A2C.
    public static func normalized(_ a: Tensor) -> Tensor { AdvantageEstimation.normalized(a) }
}
