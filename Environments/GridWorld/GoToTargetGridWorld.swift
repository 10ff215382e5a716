import LatticeRL

/// GoToTarget, Lattice's CoordConv grid-world: move to a target seen from above.
///
/// ## Description
/// An open `size × size` room (outer walls included, `n = size − 2` cells a side inside) with the agent
/// and a green target (MiniGrid's goal) on random distinct cells. Where the target may appear is the
/// experiment: with `heldOutQuadrant = train` never in the bottom-right quadrant of the interior (cells
/// with x and y ≥ 1 + n/2), with `eval` only there — does a conv agent, or a CoordConv agent,
/// generalise to positions it never saw? Ids `GridWorld/GoToTarget-8x8-v0`, `GridWorld/GoToTarget-16x16-v0`.
///
/// ## Action Space
/// `Discrete(4)`, absolute moves: 0 up (−y), 1 down (+y), 2 left (−x), 3 right (+x). A move into a wall
/// leaves the agent in place (the step still counts); the agent then faces the way it tried to move.
///
/// ## Observation Space
/// Pixels by default: `[3, 8·size, 8·size]` RGB in [0, 1] (the agent a red triangle, the target a green
/// square, walls grey). `observation = full` gives the one-hot grid `[24, size, size]`; egocentric is
/// refused (the task is about absolute positions).
///
/// ## Rewards
/// `1 − 0.9·t/T` on reaching the target at step t, with T = maxSteps; 0 otherwise.
///
/// ## Starting State
/// The target first (uniform over the allowed cells), then the agent uniform over the other interior
/// cells, facing right.
///
/// ## Episode End
/// Terminated on the target; truncated when `t ≥ maxSteps` (4·size).
///
/// ## Arguments
/// Options `observation` (pixels or full), `maxSteps`, `renderScale`, `heldOutQuadrant`, `size` (≥ 4).
///
/// ## Version History
/// - v0: first version.
public final class GoToTargetGridWorld: Environment {
    /// The registry id.
    public let id: String
    /// The room size, counting the outer walls.
    public let size: Int
    /// Where targets may appear.
    public let heldOutQuadrant: HeldOutQuadrant
    /// Observations: pixel or one-hot boxes in [0, 1].
    public let observationSpace: Space
    /// `Discrete(4)`: up, down, left, right.
    public let actionSpace: Space = .discrete(4)
    let engine: GridEngine

    /// A GoToTarget room of `options.size ?? size` with `options`.
    public init(size: Int, options: GridWorldOptions = GridWorldOptions(), id: String? = nil) throws {
        let size = options.size ?? size
        let id = id ?? "GridWorld/GoToTarget-\(size)x\(size)-v0"
        guard size >= 4 else {
            throw EnvironmentError.invalidOption(
                environment: id, message: "size must be at least 4 (a 2×2 interior), got \(size)")
        }
        if options.map != nil {
            throw EnvironmentError.invalidOption(
                environment: id, message: "the map option applies to GridWorld/Map-v0 only; use that id or drop map")
        }
        let mode = options.observation ?? .pixels
        if mode == .egocentric {
            throw EnvironmentError.invalidOption(
                environment: id, message: "GoToTarget observes the whole room; use observation pixels or full")
        }
        self.id = id
        self.size = size
        heldOutQuadrant = options.heldOutQuadrant
        engine = GridEngine(
            id: id, width: size, height: size, mode: mode, actions: .absoluteMoves,
            maxSteps: try options.resolvedMaxSteps(default: 4 * size, id: id), renderScale: options.renderScale)
        observationSpace = .box(shape: engine.observationShape, low: 0, high: 1)
    }

    /// The time limit.
    public var maxSteps: Int { engine.maxSteps }
    /// A copy of the current state.
    public var snapshot: GridWorldSnapshot { engine.snapshot }

    /// The first column (and row) of the held-out bottom-right quadrant: `1 + (size − 2)/2`.
    public var quadrantStart: Int { 1 + (size - 2) / 2 }

    /// Whether cell (x, y) is in the held-out bottom-right quadrant.
    public func inHeldOutQuadrant(x: Int, y: Int) -> Bool { x >= quadrantStart && y >= quadrantStart }

    /// Places the target and the agent and writes the first observation.
    public func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
        let e = engine
        e.beginReset(seed: seed)
        e.surroundWithWalls()
        let n = size - 2, q = quadrantStart
        var tx: Int, ty: Int
        switch heldOutQuadrant {
        case .none:
            tx = 1 + e.rng.nextInt(below: n); ty = 1 + e.rng.nextInt(below: n)
        case .eval:
            tx = q + e.rng.nextInt(below: size - 1 - q); ty = q + e.rng.nextInt(below: size - 1 - q)
        case .train:
            repeat {
                tx = 1 + e.rng.nextInt(below: n); ty = 1 + e.rng.nextInt(below: n)
            } while inHeldOutQuadrant(x: tx, y: ty)
        }
        e.set(tx, ty, .goal)
        let (ax, ay) = e.randomEmptyCell(x0: 1, y0: 1, w: n, h: n, avoidAgent: false)
        e.agentX = ax; e.agentY = ay; e.agentDirection = 0
        e.writeObservation(into: observation)
    }

    /// One absolute move.
    public func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        try engine.step(action, into: observation)
    }

    /// The room in RGB, `renderScale` pixels a cell.
    public func render() -> Frame? { engine.renderFrame() }
}
