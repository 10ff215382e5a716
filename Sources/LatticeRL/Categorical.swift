import Foundation
import LatticeTensor

/// A batch of categorical distributions over `A` discrete actions, one per row of `logits` `[N, A]`:
/// p(a) = softmax(logits)ₐ = e^(logitₐ) / Σⱼ e^(logitⱼ).
///
/// Everything that feeds a loss (`logProbabilities`, `logProbability(of:)`, `entropy()`) is an op on
/// tensors, so gradients flow back to the logits; `sample` and `mode` read scalars and return plain
/// integers. Log-probabilities come from a stable log-softmax (the row maximum is subtracted first), so
/// logits of any size — including the very negative values that mask actions — give finite numbers.
///
/// **Action masks** (optional): a masked-out action's logit is replaced by `Categorical.maskedLogit`
/// (−10⁸, as Stable-Baselines3's `MaskableCategorical` does), so its probability is exactly 0 in Float,
/// it is never sampled nor chosen by `mode`, and it adds exactly 0 to the entropy.
public struct Categorical {
    /// The logit given to masked-out actions: e^(−10⁸ − max) underflows to 0.
    public static let maskedLogit: Float = -1e8

    /// The (masked) logits, `[N, A]`.
    public let logits: Tensor
    /// log p(a) for every row and action, `[N, A]`: log-softmax of `logits` along the actions.
    public let logProbabilities: Tensor
    /// The number of distributions N.
    public let count: Int
    /// The number of actions A.
    public let actionCount: Int

    /// The distributions with logits `[N, A]`; `mask` (N·A flags, row-major, `true` = allowed), if given,
    /// sets the logits of disallowed actions to `maskedLogit`. Every row must allow at least one action.
    public init(logits: Tensor, mask: [Bool]? = nil) {
        precondition(logits.rank == 2, "Categorical: logits must be [N, actions], got \(logits.shape); reshape the policy head's output")
        var masked = logits
        if let mask {
            precondition(mask.count == logits.scalarCount,
                         "Categorical: mask has \(mask.count) flags for logits \(logits.shape); give one flag per logit")
            let a = logits.shape[1]
            for row in 0..<logits.shape[0] {
                precondition(mask[row * a ..< (row + 1) * a].contains(true),
                             "Categorical: mask row \(row) allows no action; allow at least one")
            }
            // select(condition, a, b) keeps gradients to the allowed logits only.
            let keep = Tensor(shape: logits.shape, scalars: mask.map { $0 ? 1 : 0 })
            masked = select(keep, logits, Tensor(repeating: Categorical.maskedLogit, shape: logits.shape))
        }
        self.logits = masked
        self.logProbabilities = masked.logSoftmax(alongAxis: 1)
        self.count = logits.shape[0]
        self.actionCount = logits.shape[1]
    }

    /// p(a) for every row and action, `[N, A]` (= e^logProbabilities; differentiable).
    public var probabilities: Tensor { exp(logProbabilities) }

    /// log p(actions[i]) for each row i, `[N]`, by gathering along the actions (differentiable: the
    /// gradient with respect to logit j of row i is 1[j = aᵢ] − p(j)).
    public func logProbability(of actions: [Int]) -> Tensor {
        precondition(actions.count == count, "Categorical: \(actions.count) actions for \(count) distributions; give one per row")
        for a in actions where a < 0 || a >= actionCount {
            preconditionFailure("Categorical: action \(a) is outside 0..<\(actionCount)")
        }
        return logProbabilities.gathering(actions, alongAxis: 1).reshaped([count])
    }

    /// The entropy of each row, `[N]`: H = −Σₐ p(a)·log p(a) (differentiable). Stable for very negative
    /// logits: their p underflows to 0 while log p stays finite, so they add 0.
    public func entropy() -> Tensor {
        -((probabilities * logProbabilities).sum(alongAxis: 1))
    }

    /// One action per row drawn by inverse CDF: u ~ U[0, 1) from `rng.nextDouble()`, the first a with
    /// u·Σⱼ pⱼ < Σ_{j ≤ a} pⱼ (probabilities accumulated in Double). One uniform per row, in row order, so
    /// the draws are a pure function of the generator's state.
    public func sample(using rng: inout RandomGenerator) -> [Int] {
        var actions = [Int](repeating: 0, count: count)
        actions.withUnsafeMutableBufferPointer { sample(into: $0.baseAddress!, logProbabilities: nil, using: &rng) }
        return actions
    }

    /// `sample(using:)` without allocating: writes N actions into `actions` and, if given, their
    /// log-probabilities into `logProbabilitiesOut`.
    public func sample(into actions: UnsafeMutablePointer<Int>, logProbabilities logProbabilitiesOut: UnsafeMutablePointer<Float>?,
                       using rng: inout RandomGenerator) {
        let a = actionCount
        logProbabilities.withUnsafeBufferPointer { lp in
            let base = lp.baseAddress!
            for i in 0..<count {
                let row = base + i &* a
                var total = 0.0
                for j in 0..<a { total += Double(_exp(row[j])) }
                let target = rng.nextDouble() * total
                var cumulative = 0.0
                var chosen = -1
                var lastPositive = 0
                for j in 0..<a {
                    let p = Double(_exp(row[j]))
                    if p > 0 { lastPositive = j }
                    cumulative += p
                    if chosen < 0 && p > 0 && target < cumulative { chosen = j }
                }
                // Rounding can leave target ≥ the final sum; the last possible action takes that sliver.
                let action = chosen >= 0 ? chosen : lastPositive
                actions[i] = action
                logProbabilitiesOut?[i] = row[action]
            }
        }
    }

    /// The most probable action of each row (argmax of the logits; the lowest index on ties).
    public func mode() -> [Int] {
        let a = actionCount
        return logits.withUnsafeBufferPointer { l in
            (0..<count).map { i in
                var best = 0
                for j in 1..<max(a, 1) where l[i &* a &+ j] > l[i &* a &+ best] { best = j }
                return best
            }
        }
    }
}

/// e^x on one Float (the tensor op `exp` shares the name).
@inline(__always)
private func _exp(_ x: Float) -> Float { Foundation.exp(x) }
