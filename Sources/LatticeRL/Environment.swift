import LatticeTensor

/// The set of valid observations or actions.
public enum Space: Sendable, Equatable, CustomStringConvertible {
    /// Integers 0..<n.
    case discrete(Int)
    /// Float tensors of `shape` with every scalar in [low, high].
    case box(shape: [Int], low: Float, high: Float)

    /// The tensor shape of one element (`[]` for a discrete space).
    public var shape: [Int] {
        switch self {
        case .discrete: return []
        case .box(let shape, _, _): return shape
        }
    }

    /// The number of scalars in one element.
    public var scalarCount: Int { Tensor.count(of: shape) }

    /// Whether `action` lies in this (discrete) space.
    public func contains(_ action: Int) -> Bool {
        if case .discrete(let n) = self { return action >= 0 && action < n }
        return false
    }

    public var description: String {
        switch self {
        case .discrete(let n): return "Discrete(\(n))"
        case .box(let shape, let low, let high): return "Box(\(low), \(high), \(shape))"
        }
    }
}

/// What one step of an environment gives besides the observation.
public struct Transition: Sendable, Equatable {
    /// The reward for the step.
    public var reward: Float
    /// The MDP reached an end state: do not bootstrap.
    public var terminated: Bool
    /// The episode was cut off (time limit): bootstrap from the value of the last observation.
    public var truncated: Bool

    public init(reward: Float, terminated: Bool, truncated: Bool) {
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
    }

    /// The episode is over, either way.
    public var isDone: Bool { terminated || truncated }
}

/// One step's full result, as Gymnasium returns it.
public struct StepResult: Sendable {
    public var observation: Tensor
    public var reward: Float
    public var terminated: Bool
    public var truncated: Bool
    public var info: [String: Double]

    public init(observation: Tensor, reward: Float, terminated: Bool, truncated: Bool, info: [String: Double] = [:]) {
        self.observation = observation
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
        self.info = info
    }
}

/// An RGB image, 8 bits a channel, row-major, for display and recording.
public struct Frame: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// `width × height × 3` bytes, rows top to bottom.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 3, "Frame: \(pixels.count) bytes for \(width)×\(height) RGB")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A frame filled with one colour.
    public init(width: Int, height: Int, fill: (UInt8, UInt8, UInt8) = (0, 0, 0)) {
        var p = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) { p[3 * i] = fill.0; p[3 * i + 1] = fill.1; p[3 * i + 2] = fill.2 }
        self.init(width: width, height: height, pixels: p)
    }

    /// The colour at column `x`, row `y`.
    public func pixel(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        let i = (y * width + x) * 3
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }
}

/// Why an environment refused a call.
public enum EnvironmentError: Error, Equatable, CustomStringConvertible {
    /// `step` after the episode ended, without `reset`.
    case episodeFinished(environment: String)
    /// `step` before the first `reset`.
    case notReset(environment: String)
    /// An action outside the action space.
    case invalidAction(environment: String, action: Int, space: Space)
    /// A bad option value.
    case invalidOption(environment: String, message: String)

    public var description: String {
        switch self {
        case .episodeFinished(let env):
            return "\(env): step called after the episode ended; call reset() first"
        case .notReset(let env):
            return "\(env): step called before reset(); call reset() first"
        case .invalidAction(let env, let action, let space):
            return "\(env): action \(action) is outside the action space \(space)"
        case .invalidOption(let env, let message):
            return "\(env): \(message)"
        }
    }
}

/// A reinforcement-learning environment with Gymnasium's semantics.
///
/// The core calls write the observation straight into caller-owned memory (a row of a batch tensor),
/// so vector environments step without allocating; `reset(seed:)` and `step(_:)` in the extension give
/// the Gymnasium-shaped calls on top. `render()` returns RGB pixels and never opens a window.
public protocol Environment: AnyObject {
    /// The registry id (`MinAtar/Breakout-v1`).
    var id: String { get }
    /// Observations: a box of Float scalars.
    var observationSpace: Space { get }
    /// Actions: a discrete space.
    var actionSpace: Space { get }
    /// Starts an episode; a seed re-seeds the environment's own generator, `nil` keeps its stream.
    /// Writes the first observation into `observation` (`observationSpace.scalarCount` scalars).
    func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>)
    /// Advances one step with `action`, writing the next observation into `observation`.
    /// Throws `EnvironmentError` for an action outside the space or a finished episode.
    func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition
    /// The current state as RGB pixels, or `nil` if the environment cannot draw itself.
    func render() -> Frame?
}

extension Environment {
    /// Starts an episode and returns its first observation.
    public func reset(seed: UInt64? = nil) -> Tensor {
        Tensor(shape: observationSpace.shape) { reset(seed: seed, into: $0) }
    }

    /// Advances one step and returns the Gymnasium-shaped result.
    public func step(_ action: Int) throws -> StepResult {
        var transition = Transition(reward: 0, terminated: false, truncated: false)
        let obs = try Tensor(shape: observationSpace.shape) { transition = try step(action, into: $0) }
        return StepResult(observation: obs, reward: transition.reward, terminated: transition.terminated,
                          truncated: transition.truncated)
    }
}
