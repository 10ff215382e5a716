import LatticeRL
import LatticeTensor

/// What a policy chose for one observation: the action, and when the policy has them, the probability of
/// every action (`π(a|s)`, summing to 1) and its value estimate `V(s)`.
public struct PolicyDecision: Sendable, Equatable {
    /// The action to take, in `0..<actionCount`.
    public var action: Int
    /// `π(a|s)` for every action, or `nil` for a policy without a distribution.
    public var probabilities: [Float]?
    /// The critic's estimate `V(s)` of the discounted return, or `nil`.
    public var value: Float?

    /// Creates a decision.
    public init(action: Int, probabilities: [Float]? = nil, value: Float? = nil) {
        self.action = action
        self.probabilities = probabilities
        self.value = value
    }
}

/// Chooses actions from observations: a trained actor-critic loaded from a checkpoint, or a random policy.
/// Stateful (a policy may hold a generator), so a reference type.
public protocol Policy: AnyObject {
    /// A short name shown to people (`random`, `ppo step 50000`).
    var name: String { get }
    /// The number of discrete actions the policy chooses from.
    var actionCount: Int { get }
    /// The decision for `observation` (one observation, the environment's observation shape).
    func act(_ observation: Tensor) -> PolicyDecision
}

/// Draws each action uniformly from `0..<actionCount` with its own seeded `RandomGenerator`
/// (`nextInt(below:)` once per call), so a run is reproducible; reports the uniform distribution
/// `π(a|s) = 1/n` and no value.
public final class RandomPolicy: Policy {
    /// `random`.
    public let name = "random"
    /// The number of actions.
    public let actionCount: Int
    private var generator: RandomGenerator
    private let uniform: [Float]

    /// A uniform policy over `actionCount` actions (≥ 1) drawing from a generator seeded with `seed`.
    public init(actionCount: Int, seed: UInt64) {
        precondition(actionCount >= 1, "RandomPolicy needs at least one action")
        self.actionCount = actionCount
        generator = RandomGenerator(seed: seed)
        uniform = [Float](repeating: 1 / Float(actionCount), count: actionCount)
    }

    /// A uniformly drawn action; the observation is ignored.
    public func act(_ observation: Tensor) -> PolicyDecision {
        PolicyDecision(action: generator.nextInt(below: actionCount), probabilities: uniform, value: nil)
    }
}
