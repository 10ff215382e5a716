import LatticeTensor

/// Generalized Advantage Estimation (Schulman et al., "High-Dimensional Continuous Control Using
/// Generalized Advantage Estimation", 2016) over a `RolloutBuffer`, with Gymnasium's terminated/truncated
/// distinction. λ = 1 gives plain n-step returns (A2C); λ = 0.95 is PPO's default.
///
/// For each copy, going backwards over steps t = T−1 … 0, with Vₜ = `values[t]` and
/// V′ₜ = V(the state after transition t) = `values[t+1]` (or `lastValues` when t = T−1):
///
///     δₜ = rₜ − Vₜ                       if terminatedₜ               (end state: no bootstrap)
///     δₜ = rₜ + γ·finalValuesₜ − Vₜ      if truncatedₜ, not terminated (cut off: bootstrap from
///                                                                       V(final observation), as SB3)
///     δₜ = rₜ + γ·V′ₜ − Vₜ               otherwise
///     Aₜ = δₜ + γ·λ·(1 − doneₜ)·Aₜ₊₁,    doneₜ = terminatedₜ ∨ truncatedₜ, A_T = 0
///     returnsₜ = Aₜ + Vₜ
///
/// An episode boundary (either kind) cuts the recursion, because the state after it belongs to a new
/// episode. A truncated step counts as its episode's last: its target is rₜ + γ·V(final observation),
/// which equals SB3's "add γ·V(final obs) to the reward, then treat the step as done". With λ = 1 the
/// returns are the discounted rewards up to the episode end or the rollout end, plus γᵏ times the
/// bootstrap value there — the n-step returns of A2C. Sums run in Float, like the buffer.
public struct AdvantageEstimation: Sendable, Equatable {
    /// γ, the discount factor.
    public var discount: Float
    /// λ, the GAE trace parameter (1 = n-step returns, 0 = one-step TD).
    public var gaeLambda: Float

    /// GAE with discount γ and trace parameter λ (CleanRL PPO: 0.99, 0.95).
    public init(discount: Float = 0.99, gaeLambda: Float = 0.95) {
        self.discount = discount
        self.gaeLambda = gaeLambda
    }

    /// Plain n-step returns (λ = 1), as SB3's A2C uses.
    public static func nStepReturns(discount: Float = 0.99) -> AdvantageEstimation {
        AdvantageEstimation(discount: discount, gaeLambda: 1)
    }

    /// Advantages normalised to mean 0 and standard deviation 1, (A − mean(A)) / (std(A) + 1e-8), with std
    /// from Bessel's correction as PyTorch's `std()` (one element: divided by 1e-8 only); sums in Double.
    /// PPO applies it per minibatch, A2C over the batch when asked. The result is a constant (no gradient).
    public static func normalized(_ advantages: Tensor) -> Tensor {
        let x = advantages.scalars
        let n = Double(x.count)
        let mean = x.reduce(0.0) { $0 + Double($1) } / n
        let variance = n > 1 ? x.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / (n - 1) : 0
        let scale = Float(1 / (variance.squareRoot() + 1e-8))
        return Tensor(shape: advantages.shape, scalars: x.map { Float(Double($0) - mean) * scale })
    }

    /// Writes `buffer.advantages` and `buffer.returns` from its rewards, flags and values.
    public func compute(_ buffer: RolloutBuffer) {
        let steps = buffer.steps, n = buffer.environments
        let gamma = discount, gammaLambda = discount * gaeLambda
        buffer.rewards.withUnsafeBufferPointer { r in
        buffer.values.withUnsafeBufferPointer { v in
        buffer.finalValues.withUnsafeBufferPointer { fv in
        buffer.lastValues.withUnsafeBufferPointer { last in
        buffer.terminated.withUnsafeBufferPointer { term in
        buffer.truncated.withUnsafeBufferPointer { trunc in
        buffer.advantages.withUnsafeMutableBufferPointer { adv in
        buffer.returns.withUnsafeMutableBufferPointer { ret in
            for e in 0..<n {
                var next: Float = 0   // Aₜ₊₁
                var t = steps - 1
                while t >= 0 {
                    let i = t &* n &+ e
                    let delta: Float
                    if term[i] {
                        delta = r[i] - v[i]
                    } else if trunc[i] {
                        delta = r[i] + gamma * fv[i] - v[i]
                    } else {
                        let nextValue = t == steps - 1 ? last[e] : v[i &+ n]
                        delta = r[i] + gamma * nextValue - v[i]
                    }
                    let a = (term[i] || trunc[i]) ? delta : delta + gammaLambda * next
                    adv[i] = a
                    ret[i] = a + v[i]
                    next = a
                    t -= 1
                }
            }
        }}}}}}}}
    }
}
