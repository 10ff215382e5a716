import LatticeRL

/// MiniGrid's Empty room: walk to the green goal square.
///
/// ## Description
/// An empty `size × size` room (the size counts the outer walls, so `size − 2` cells a side inside).
/// The goal is in the bottom-right corner. Ids `GridWorld/Empty-5x5-v0`, `-8x8-v0`, `-16x16-v0`.
///
/// ## Action Space
/// `Discrete(7)`: 0 turn left, 1 turn right, 2 forward, 3 pickup, 4 drop, 5 toggle, 6 done (no effect).
///
/// ## Observation Space
/// By `GridWorldOptions.observation`: egocentric `[20, 7, 7]` (default), full `[24, size, size]`, or pixels
/// `[3, 8·size, 8·size]`, all in [0, 1] (see `GridObservationMode` for the channel layout).
///
/// ## Rewards
/// `1 − 0.9·(stepCount / maxSteps)` on reaching the goal, counting the step that reaches it; 0 otherwise.
///
/// ## Starting State
/// The agent at (1, 1) facing right (direction 0); the goal at (size − 2, size − 2).
///
/// ## Episode End
/// Terminated when the agent steps onto the goal; truncated when `stepCount ≥ maxSteps` (4·size²).
///
/// ## Arguments
/// `size`; options `observation`, `maxSteps`, `renderScale`.
///
/// ## Version History
/// - v0: first version, MiniGrid's `MiniGrid-Empty-NxN-v0` dynamics and rewards.
public final class EmptyGridWorld: Environment {
    /// The registry id.
    public let id: String
    /// The room size, counting the outer walls.
    public let size: Int
    /// Observations: one-hot or pixel boxes in [0, 1].
    public let observationSpace: Space
    /// `Discrete(7)`.
    public let actionSpace: Space = .discrete(7)
    let engine: GridEngine

    /// An Empty room of `size` (at least 3) with `options`.
    public init(size: Int, options: GridWorldOptions = GridWorldOptions(), id: String? = nil) throws {
        let id = id ?? "GridWorld/Empty-\(size)x\(size)-v0"
        guard size >= 3 else {
            throw EnvironmentError.invalidOption(environment: id, message: "size must be at least 3, got \(size)")
        }
        try options.rejectForeignOptions(id: id)
        self.id = id
        self.size = size
        engine = GridEngine(
            id: id, width: size, height: size, mode: options.observation ?? .egocentric, actions: .miniGrid,
            maxSteps: try options.resolvedMaxSteps(default: 4 * size * size, id: id), renderScale: options.renderScale)
        observationSpace = .box(shape: engine.observationShape, low: 0, high: 1)
    }

    /// The time limit.
    public var maxSteps: Int { engine.maxSteps }
    /// A copy of the current state.
    public var snapshot: GridWorldSnapshot { engine.snapshot }

    /// Draws the room (no randomness) and writes the first observation.
    public func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
        engine.beginReset(seed: seed)
        engine.surroundWithWalls()
        engine.set(size - 2, size - 2, .goal)
        engine.agentX = 1; engine.agentY = 1; engine.agentDirection = 0
        engine.writeObservation(into: observation)
    }

    /// One MiniGrid step.
    public func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        try engine.step(action, into: observation)
    }

    /// The room in RGB, `renderScale` pixels a cell.
    public func render() -> Frame? { engine.renderFrame() }
}
