import LatticeRL

/// MiniGrid's FourRooms: find the goal through the gaps between four rooms.
///
/// ## Description
/// A 19×19 grid (outer walls included) split by a wall at column 9 and a wall at row 9 into four 8×8
/// rooms. Each of the four wall segments between neighbouring rooms has one gap at a random place:
/// the upper vertical segment at (9, 1…8), the left horizontal one at (1…8, 9), the right horizontal one
/// at (10…17, 9), the lower vertical one at (9, 10…17). Id `GridWorld/FourRooms-v0`.
///
/// ## Action Space
/// `Discrete(7)`: 0 turn left, 1 turn right, 2 forward, 3 pickup, 4 drop, 5 toggle, 6 done (no effect).
///
/// ## Observation Space
/// By `GridWorldOptions.observation`: egocentric `[20, 7, 7]` (default), full `[24, 19, 19]`, or pixels
/// `[3, 152, 152]`, all in [0, 1].
///
/// ## Rewards
/// `1 − 0.9·(stepCount / maxSteps)` on reaching the goal; 0 otherwise.
///
/// ## Starting State
/// The agent on a uniformly random free cell facing a random direction, then the goal on another
/// random free cell (MiniGrid's `place_agent`, then `place_obj`).
///
/// ## Episode End
/// Terminated on the goal; truncated when `stepCount ≥ maxSteps` (100).
///
/// ## Arguments
/// Options `observation`, `maxSteps`, `renderScale`.
///
/// ## Version History
/// - v0: first version, MiniGrid's `MiniGrid-FourRooms-v0` layout, dynamics and rewards.
public final class FourRoomsGridWorld: Environment {
    /// The registry id.
    public let id: String
    /// Observations: one-hot or pixel boxes in [0, 1].
    public let observationSpace: Space
    /// `Discrete(7)`.
    public let actionSpace: Space = .discrete(7)
    let engine: GridEngine
    /// The grid side, counting the outer walls.
    static let size = 19

    /// FourRooms with `options`.
    public init(options: GridWorldOptions = GridWorldOptions(), id: String = "GridWorld/FourRooms-v0") throws {
        try options.rejectForeignOptions(id: id)
        self.id = id
        let n = FourRoomsGridWorld.size
        engine = GridEngine(
            id: id, width: n, height: n, mode: options.observation ?? .egocentric, actions: .miniGrid,
            maxSteps: try options.resolvedMaxSteps(default: 100, id: id), renderScale: options.renderScale)
        observationSpace = .box(shape: engine.observationShape, low: 0, high: 1)
    }

    /// The time limit.
    public var maxSteps: Int { engine.maxSteps }
    /// A copy of the current state.
    public var snapshot: GridWorldSnapshot { engine.snapshot }

    /// Draws the rooms with fresh gaps, places the agent and the goal, writes the first observation.
    public func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
        let e = engine
        e.beginReset(seed: seed)
        e.surroundWithWalls()
        let room = FourRoomsGridWorld.size / 2  // 9
        for j in 0..<2 {
            for i in 0..<2 {
                let left = i * room, top = j * room
                let right = left + room, bottom = top + room
                if i + 1 < 2 {
                    for y in top..<bottom { e.set(right, y, .wall) }
                    e.set(right, top + 1 + e.rng.nextInt(below: room - 1), .empty)
                }
                if j + 1 < 2 {
                    for x in left..<right { e.set(x, bottom, .wall) }
                    e.set(left + 1 + e.rng.nextInt(below: room - 1), bottom, .empty)
                }
            }
        }
        let n = FourRoomsGridWorld.size
        e.placeAgent(x0: 0, y0: 0, w: n, h: n)
        let (gx, gy) = e.randomEmptyCell(x0: 0, y0: 0, w: n, h: n, avoidAgent: true)
        e.set(gx, gy, .goal)
        e.writeObservation(into: observation)
    }

    /// One MiniGrid step.
    public func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        try engine.step(action, into: observation)
    }

    /// The rooms in RGB, `renderScale` pixels a cell.
    public func render() -> Frame? { engine.renderFrame() }
}
