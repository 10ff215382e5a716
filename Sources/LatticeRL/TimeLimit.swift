import LatticeTensor

/// Cuts episodes off after `maxSteps` steps: the step that reaches the limit returns `truncated = true`
/// (bootstrap from its observation); `terminated` passes through unchanged, so both can be true.
///
/// Steps after the end (either way) are refused with `EnvironmentError.episodeFinished`, and steps before
/// the first `reset` with `.notReset`, even if the wrapped environment would accept them.
public final class TimeLimit: Environment {
    /// The wrapped environment.
    public let environment: any Environment
    /// The number of steps after which an episode is truncated.
    public let maxSteps: Int
    /// Steps taken in the current episode.
    public private(set) var elapsedSteps = 0
    private var state = WrapperEpisodeState.notReset

    /// Truncates `environment`'s episodes at `maxSteps` (≥ 1) steps.
    public init(_ environment: any Environment, maxSteps: Int) throws {
        guard maxSteps >= 1 else {
            throw EnvironmentError.invalidOption(environment: environment.id, message: "TimeLimit maxSteps must be at least 1, got \(maxSteps)")
        }
        self.environment = environment
        self.maxSteps = maxSteps
    }

    /// The wrapped environment's id.
    public var id: String { environment.id }
    /// The wrapped environment's observation space.
    public var observationSpace: Space { environment.observationSpace }
    /// The wrapped environment's action space.
    public var actionSpace: Space { environment.actionSpace }

    /// Resets the wrapped environment and the step count.
    public func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
        environment.reset(seed: seed, into: observation)
        elapsedSteps = 0
        state = .running
    }

    /// Steps the wrapped environment; `truncated` becomes true when `elapsedSteps` reaches `maxSteps`.
    public func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        try state.checkCanStep(id)
        var t = try environment.step(action, into: observation)
        elapsedSteps &+= 1
        if elapsedSteps >= maxSteps { t.truncated = true }
        if t.isDone { state = .finished }
        return t
    }

    /// The wrapped environment's frame.
    public func render() -> Frame? { environment.render() }
}

/// Where a wrapper that polices episode ends stands.
enum WrapperEpisodeState {
    case notReset, running, finished

    /// Throws `.notReset` or `.episodeFinished` unless an episode is running.
    func checkCanStep(_ id: String) throws {
        switch self {
        case .notReset: throw EnvironmentError.notReset(environment: id)
        case .finished: throw EnvironmentError.episodeFinished(environment: id)
        case .running: return
        }
    }
}
