import LatticeTensor

/// Stacks the last `k` observations along the channel axis (axis 0), oldest first:
/// an observation space `Box([C, H, W])` becomes `Box([k·C, H, W])` (`[n]` becomes `[k·n]`, a scalar `[k]`),
/// and channels `j·C ..< (j+1)·C` hold the observation from `k − 1 − j` steps ago.
///
/// At `reset` the first observation fills all `k` slots. The last `k` observations live in a ring buffer
/// allocated once; each step copies them into the caller's memory in order (no allocation).
public final class FrameStack: Environment {
    /// The wrapped environment.
    public let environment: any Environment
    /// The number of observations stacked.
    public let k: Int
    /// The stacked observation space.
    public let observationSpace: Space
    /// Scalars in one wrapped observation.
    private let n: Int
    /// `k` slots of `n` scalars; slot `newest` holds the latest observation.
    private let ring: UnsafeMutablePointer<Float>
    /// Where the wrapped environment writes, so a refused step leaves the stack unchanged.
    private let scratch: UnsafeMutablePointer<Float>
    private var newest = 0

    /// Stacks the last `k` (≥ 1) observations of `environment`, whose observation space must be a box.
    public init(_ environment: any Environment, k: Int) throws {
        guard k >= 1 else {
            throw EnvironmentError.invalidOption(environment: environment.id, message: "FrameStack k must be at least 1, got \(k)")
        }
        guard case .box(let shape, let low, let high) = environment.observationSpace else {
            throw EnvironmentError.invalidOption(environment: environment.id, message:
                "FrameStack needs a box observation space, got \(environment.observationSpace)")
        }
        self.environment = environment
        self.k = k
        let stacked = shape.isEmpty ? [k] : [k &* shape[0]] + shape.dropFirst()
        observationSpace = .box(shape: stacked, low: low, high: high)
        n = environment.observationSpace.scalarCount
        ring = .allocate(capacity: max(1, k &* n))
        ring.initialize(repeating: 0, count: k &* n)
        scratch = .allocate(capacity: max(1, n))
        scratch.initialize(repeating: 0, count: n)
    }

    deinit {
        ring.deallocate()
        scratch.deallocate()
    }

    /// The wrapped environment's id.
    public var id: String { environment.id }
    /// The wrapped environment's action space.
    public var actionSpace: Space { environment.actionSpace }

    /// Resets the wrapped environment and fills every slot with its first observation.
    public func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
        environment.reset(seed: seed, into: UnsafeMutableBufferPointer(start: scratch, count: n))
        for j in 0..<k { (ring + j &* n).update(from: scratch, count: n) }
        newest = k &- 1
        write(into: observation)
    }

    /// Steps the wrapped environment and pushes its observation, dropping the oldest.
    public func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        let t = try environment.step(action, into: UnsafeMutableBufferPointer(start: scratch, count: n))
        newest = newest &+ 1 == k ? 0 : newest &+ 1
        (ring + newest &* n).update(from: scratch, count: n)
        write(into: observation)
        return t
    }

    /// Copies the ring, oldest slot first, into `observation`.
    private func write(into observation: UnsafeMutableBufferPointer<Float>) {
        precondition(observation.count >= k &* n, "FrameStack: observation buffer holds \(observation.count) scalars, needs \(k &* n)")
        let out = observation.baseAddress!
        var slot = newest &+ 1 == k ? 0 : newest &+ 1
        for j in 0..<k {
            (out + j &* n).update(from: ring + slot &* n, count: n)
            slot = slot &+ 1 == k ? 0 : slot &+ 1
        }
    }

    /// The wrapped environment's frame (of the latest state only).
    public func render() -> Frame? { environment.render() }
}
