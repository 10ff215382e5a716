import LatticeRL

/// MiniGrid's DoorKey: pick up the key, unlock the door, reach the goal.
///
/// ## Description
/// A `size × size` room (outer walls included) split by a vertical wall at a random column
/// `split ∈ [2, size − 3]`, with a locked yellow door at a random row `∈ [1, size − 3]` of it. The agent
/// and a yellow key start left of the wall; the goal is in the bottom-right corner (size − 2, size − 2).
/// Ids `GridWorld/DoorKey-5x5-v0`, `GridWorld/DoorKey-8x8-v0`.
///
/// ## Action Space
/// `Discrete(7)`: 0 turn left, 1 turn right, 2 forward, 3 pickup (the cell ahead, hands empty),
/// 4 drop (onto an empty cell ahead), 5 toggle (the door ahead: locked opens only while carrying the
/// yellow key; closed ↔ open otherwise), 6 done (no effect).
///
/// ## Observation Space
/// By `GridWorldOptions.observation`: egocentric `[20, 7, 7]` (default), full `[24, size, size]`, or pixels
/// `[3, 8·size, 8·size]`, all in [0, 1].
///
/// ## Rewards
/// `1 − 0.9·(stepCount / maxSteps)` on reaching the goal; 0 otherwise.
///
/// ## Starting State
/// In MiniGrid's order: goal, split column, agent on a random free cell left of the wall facing a random
/// direction, door row, key on a random free cell left of the wall.
///
/// ## Episode End
/// Terminated on the goal; truncated when `stepCount ≥ maxSteps` (10·size²).
///
/// ## Arguments
/// `size` (at least 5); options `observation`, `maxSteps`, `renderScale`.
///
/// ## Version History
/// - v0: first version, MiniGrid's `MiniGrid-DoorKey-NxN-v0` layout, dynamics and rewards.
public final class DoorKeyGridWorld: Environment {
    /// The registry id.
    public let id: String
    /// The room size, counting the outer walls.
    public let size: Int
    /// Observations: one-hot or pixel boxes in [0, 1].
    public let observationSpace: Space
    /// `Discrete(7)`.
    public let actionSpace: Space = .discrete(7)
    let engine: GridEngine

    /// A DoorKey room of `size` (at least 5) with `options`.
    public init(size: Int, options: GridWorldOptions = GridWorldOptions(), id: String? = nil) throws {
        let id = id ?? "GridWorld/DoorKey-\(size)x\(size)-v0"
        guard size >= 5 else {
            throw EnvironmentError.invalidOption(environment: id, message: "size must be at least 5, got \(size)")
        }
        try options.rejectForeignOptions(id: id)
        self.id = id
        self.size = size
        engine = GridEngine(
            id: id, width: size, height: size, mode: options.observation ?? .egocentric, actions: .miniGrid,
            maxSteps: try options.resolvedMaxSteps(default: 10 * size * size, id: id), renderScale: options.renderScale)
        observationSpace = .box(shape: engine.observationShape, low: 0, high: 1)
    }

    /// The time limit.
    public var maxSteps: Int { engine.maxSteps }
    /// A copy of the current state.
    public var snapshot: GridWorldSnapshot { engine.snapshot }

    /// Draws a fresh layout and writes the first observation.
    public func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
        let e = engine
        e.beginReset(seed: seed)
        e.surroundWithWalls()
        e.set(size - 2, size - 2, .goal)
        let split = 2 + e.rng.nextInt(below: size - 4)  // [2, size − 3]
        for y in 0..<size { e.set(split, y, .wall) }
        e.placeAgent(x0: 0, y0: 0, w: split, h: size)
        let doorRow = 1 + e.rng.nextInt(below: size - 3)  // [1, size − 3]
        e.set(split, doorRow, .door(GridCell.yellow, state: GridCell.locked))
        let (kx, ky) = e.randomEmptyCell(x0: 0, y0: 0, w: split, h: size, avoidAgent: true)
        e.set(kx, ky, .key(GridCell.yellow))
        e.writeObservation(into: observation)
    }

    /// One MiniGrid step.
    public func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        try engine.step(action, into: observation)
    }

    /// The room in RGB, `renderScale` pixels a cell.
    public func render() -> Frame? { engine.renderFrame() }
}
