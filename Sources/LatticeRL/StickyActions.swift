import LatticeTensor

/// With probability `probability`, executes the previous action instead of the chosen one (Machado et al.,
/// "Revisiting the Arcade Learning Environment", 2018: sticky actions, 0.25 in the ALE, 0.1 in MinAtar).
///
/// The draws come from the wrapper's own `RandomGenerator`, seeded at `init(seed:)`; `reset(seed: s)` also
/// re-seeds it with `s ^ StickyActions.seedSalt`, so a seeded reset reproduces the whole trajectory. After
/// `reset` there is no previous action, so the first step always executes the chosen one (as Gymnasium's
/// `StickyAction` wrapper; MinAtar's own sticky actions start from action 0 instead). The chosen action is
/// checked against the action space before the draw; `lastStepRepeated` tells whether the last step stuck.
public final class StickyActions: Environment {
    /// Mixed into a reset seed to seed the sticky draws, so they differ from the environment's own stream.
    public static let seedSalt: UInt64 = 0x5354_4943_4B59_0001
    /// The wrapped environment.
    public let environment: any Environment
    /// The probability of repeating the previous action.
    public let probability: Float
    /// The action executed by the last step, `nil` right after `reset`.
    public private(set) var previousAction: Int?
    /// Whether the last step executed the previous action instead of the chosen one.
    public private(set) var lastStepRepeated = false
    private var rng: RandomGenerator

    /// Repeats the previous action of `environment` with probability `probability` ∈ [0, 1].
    public init(_ environment: any Environment, probability: Float, seed: UInt64 = 0) throws {
        guard probability >= 0 && probability <= 1 else {
            throw EnvironmentError.invalidOption(environment: environment.id, message:
                "StickyActions probability must lie in [0, 1], got \(probability)")
        }
        self.environment = environment
        self.probability = probability
        rng = RandomGenerator(seed: seed)
    }

    /// The wrapped environment's id.
    public var id: String { environment.id }
    /// The wrapped environment's observation space.
    public var observationSpace: Space { environment.observationSpace }
    /// The wrapped environment's action space.
    public var actionSpace: Space { environment.actionSpace }

    /// Resets the wrapped environment (re-seeding the sticky draws too when `seed` is given).
    public func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
        if let seed { rng = RandomGenerator(seed: seed ^ StickyActions.seedSalt) }
        environment.reset(seed: seed, into: observation)
        previousAction = nil
        lastStepRepeated = false
    }

    /// Steps with the previous action with probability `probability`, else with `action`.
    public func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        guard actionSpace.contains(action) else {
            throw EnvironmentError.invalidAction(environment: id, action: action, space: actionSpace)
        }
        var executed = action
        var repeated = false
        if let previous = previousAction, rng.nextUniform() < probability {
            executed = previous
            repeated = true
        }
        let t = try environment.step(executed, into: observation)
        previousAction = executed
        lastStepRepeated = repeated
        return t
    }

    /// The wrapped environment's frame.
    public func render() -> Frame? { environment.render() }
}
