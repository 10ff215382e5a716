import LatticeTensor

/// Replaces each reward by its sign or clips it to an interval (DQN's Atari reward clipping), and changes
/// nothing else.
public final class ClipReward: Environment {
    /// How rewards are changed.
    public enum Mode: Sendable, Equatable {
        /// `sign(r)` ∈ {−1, 0, +1} (0 for ±0).
        case sign
        /// `min(max(r, low), high)`.
        case clip(low: Float, high: Float)
    }

    /// The wrapped environment.
    public let environment: any Environment
    /// How rewards are changed.
    public let mode: Mode

    /// Clips the rewards of `environment` (default: to their sign).
    public init(_ environment: any Environment, mode: Mode = .sign) throws {
        if case .clip(let low, let high) = mode, !(low <= high) {
            throw EnvironmentError.invalidOption(environment: environment.id, message: "ClipReward needs low ≤ high, got [\(low), \(high)]")
        }
        self.environment = environment
        self.mode = mode
    }

    /// The wrapped environment's id.
    public var id: String { environment.id }
    /// The wrapped environment's observation space.
    public var observationSpace: Space { environment.observationSpace }
    /// The wrapped environment's action space.
    public var actionSpace: Space { environment.actionSpace }

    /// The reward as this wrapper changes it.
    public func clipped(_ r: Float) -> Float {
        switch mode {
        case .sign: return r > 0 ? 1 : (r < 0 ? -1 : 0)
        case .clip(let low, let high): return min(max(r, low), high)
        }
    }

    /// Resets the wrapped environment.
    public func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
        environment.reset(seed: seed, into: observation)
    }

    /// Steps the wrapped environment and clips the reward.
    public func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        var t = try environment.step(action, into: observation)
        t.reward = clipped(t.reward)
        return t
    }

    /// The wrapped environment's frame.
    public func render() -> Frame? { environment.render() }
}
