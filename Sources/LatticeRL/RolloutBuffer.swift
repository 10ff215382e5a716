import LatticeTensor

/// Preallocated storage for one rollout of `steps` steps of `environments` copies, for A2C and PPO.
///
/// **Layout**: every per-transition array holds `steps × environments` entries, step-major: the entry of
/// step t and copy e is at index `t · environments + e` (so one step of the vector environment is one
/// contiguous row). `observations` holds those transitions' observations flat, `observationSize` scalars
/// each, in the same order.
///
/// **Meaning of step t for copy e** (SAME_STEP auto-reset, see `VectorEnvironmentProtocol`):
/// `observations` is sₜ (what the policy saw), `actions`/`logProbabilities`/`values` are aₜ, log π(aₜ|sₜ)
/// and V(sₜ) at collection time, `rewards` is rₜ as the environment gave it (never modified),
/// `terminated`/`truncated` describe how the transition aₜ ended. The next state sₜ₊₁ is the observation
/// stored at step t + 1 (or `lastObservations` after the final step) *unless* the transition ended an
/// episode: then that stored observation is the next episode's first one, and
/// - terminated: sₜ₊₁ is an end state, V(sₜ₊₁) = 0 (no bootstrap);
/// - truncated (and not terminated): the episode was cut off; `finalValues` holds V(final observation),
///   computed at collection time with the same network, and `AdvantageEstimation` bootstraps from it
///   exactly as Stable-Baselines3 does when it adds γ·V(final observation) to the reward of a truncated
///   step (`rewards` itself stays raw here; the addition happens inside the δ). `finalValues` is 0 for
///   every other transition.
///
/// `lastObservations` and `lastValues` are the observation after the final step and V of it, for
/// bootstrapping the last step of a rollout that did not end an episode. `advantages` and `returns` are
/// filled by `AdvantageEstimation`.
public final class RolloutBuffer {
    /// The number of vector-environment steps T per rollout.
    public let steps: Int
    /// The number of environment copies N.
    public let environments: Int
    /// The shape of one observation.
    public let observationShape: [Int]
    /// Scalars in one observation.
    public let observationSize: Int

    /// sₜ for every transition, flat: `steps · environments · observationSize` scalars.
    public var observations: [Float]
    /// aₜ.
    public var actions: [Int]
    /// log π_old(aₜ|sₜ) at collection time.
    public var logProbabilities: [Float]
    /// V_old(sₜ) at collection time.
    public var values: [Float]
    /// rₜ as the environment gave it.
    public var rewards: [Float]
    /// Whether transition t reached an end state of the MDP (no bootstrap).
    public var terminated: [Bool]
    /// Whether transition t was cut off (bootstrap from `finalValues`).
    public var truncated: [Bool]
    /// V(final observation) for truncated transitions, 0 elsewhere.
    public var finalValues: [Float]
    /// The observation after the final step, `environments · observationSize` scalars.
    public var lastObservations: [Float]
    /// V(lastObservations) per copy.
    public var lastValues: [Float]
    /// Aₜ, written by `AdvantageEstimation`.
    public var advantages: [Float]
    /// Aₜ + V(sₜ) (the value target), written by `AdvantageEstimation`.
    public var returns: [Float]

    /// The number of transitions `steps · environments` (the batch size of one update).
    public var count: Int { steps &* environments }

    /// A zeroed buffer for `steps` steps of `environments` copies with observations of `observationShape`.
    public init(steps: Int, environments: Int, observationShape: [Int]) {
        precondition(steps > 0 && environments > 0,
                     "RolloutBuffer: steps (\(steps)) and environments (\(environments)) must be positive")
        self.steps = steps
        self.environments = environments
        self.observationShape = observationShape
        self.observationSize = Tensor.count(of: observationShape)
        let n = steps * environments
        observations = [Float](repeating: 0, count: n * observationSize)
        actions = [Int](repeating: 0, count: n)
        logProbabilities = [Float](repeating: 0, count: n)
        values = [Float](repeating: 0, count: n)
        rewards = [Float](repeating: 0, count: n)
        terminated = [Bool](repeating: false, count: n)
        truncated = [Bool](repeating: false, count: n)
        finalValues = [Float](repeating: 0, count: n)
        lastObservations = [Float](repeating: 0, count: environments * observationSize)
        lastValues = [Float](repeating: 0, count: environments)
        advantages = [Float](repeating: 0, count: n)
        returns = [Float](repeating: 0, count: n)
    }

    /// The index of step `step`, copy `environment` in the per-transition arrays.
    @inlinable public func index(step: Int, environment: Int) -> Int { step &* environments &+ environment }

    /// Whether transition `i` ended an episode (terminated or truncated).
    public func isDone(_ i: Int) -> Bool { terminated[i] || truncated[i] }

    /// Copies one step's batch of observations (`environments · observationSize` scalars) into row `step`.
    public func storeObservations(_ batch: Tensor, step: Int) {
        precondition(batch.scalarCount == environments * observationSize,
                     "RolloutBuffer: observation batch \(batch.shape) does not fit \(environments) × \(observationShape)")
        let n = environments &* observationSize
        batch.withUnsafeBufferPointer { src in
            observations.withUnsafeMutableBufferPointer { dst in
                (dst.baseAddress! + step &* n).update(from: src.baseAddress!, count: n)
            }
        }
    }

    /// Copies the observation batch after the final step into `lastObservations`.
    public func storeLastObservations(_ batch: Tensor) {
        precondition(batch.scalarCount == lastObservations.count,
                     "RolloutBuffer: observation batch \(batch.shape) does not fit \(environments) × \(observationShape)")
        batch.withUnsafeBufferPointer { src in
            lastObservations.withUnsafeMutableBufferPointer { dst in
                dst.baseAddress!.update(from: src.baseAddress!, count: dst.count)
            }
        }
    }

    /// Shuffled index sets over all `count` transitions for one epoch: a Fisher–Yates permutation drawn
    /// from `rng` (i from count−1 down to 1 swaps with `rng.nextInt(below: i + 1)`), cut into `count`
    /// contiguous minibatches; minibatch k takes positions ⌊k·M/count⌋ ..< ⌊(k+1)·M/count⌋ (M transitions),
    /// so sizes differ by at most one. The sets partition 0..<M and depend only on the generator's state.
    public func minibatches(count minibatchCount: Int, rng: inout RandomGenerator) -> [[Int]] {
        let total = count
        precondition(minibatchCount > 0 && minibatchCount <= total,
                     "RolloutBuffer: \(minibatchCount) minibatches for \(total) transitions; use 1...\(total)")
        var permutation = Array(0..<total)
        var i = total - 1
        while i > 0 {
            let j = rng.nextInt(below: i + 1)
            permutation.swapAt(i, j)
            i -= 1
        }
        return (0..<minibatchCount).map { k in
            Array(permutation[k * total / minibatchCount ..< (k + 1) * total / minibatchCount])
        }
    }
}
