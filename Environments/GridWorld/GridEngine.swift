import LatticeRL
import LatticeTensor

/// The state and MiniGrid dynamics shared by every grid-world: a flat `width × height` array of cells,
/// the agent's position and direction, what it carries, the step counter and the environment's one
/// random generator. Environments compose one and add their layout.
///
/// Directions: 0 right (+x), 1 down (+y), 2 left (−x), 3 up (−y). Cell `(x, y)` is at `y·width + x`.
final class GridEngine {
    /// How actions are read.
    enum ActionSet {
        /// MiniGrid's seven: 0 left, 1 right, 2 forward, 3 pickup, 4 drop, 5 toggle, 6 done.
        case miniGrid
        /// Four absolute moves: 0 up, 1 down, 2 left, 3 right.
        case absoluteMoves
    }

    let id: String
    let width: Int
    let height: Int
    let cells: UnsafeMutablePointer<GridCell>
    let mode: GridObservationMode
    let actions: ActionSet
    let renderScale: Int
    var maxSteps: Int
    /// Scalars in one observation.
    let observationCount: Int

    var agentX = 0
    var agentY = 0
    var agentDirection = 0
    /// What the agent holds; object `emptyObject` for nothing.
    var carrying = GridCell.empty
    var stepCount = 0
    var rng = RandomGenerator(seed: 0)
    var hasReset = false
    var episodeOver = false

    /// Scratch for the egocentric view: 49 cells and 49 visibility flags.
    let view: UnsafeMutablePointer<GridCell>
    let visible: UnsafeMutablePointer<Bool>
    /// Pixel mode: one 8×8 RGB sprite (channel-major, 192 floats) per cell code, and 4 agent masks.
    var sprites: UnsafeMutablePointer<Float>?
    var agentMasks: UnsafeMutablePointer<Bool>?

    /// The x step of direction `d` (0 right, 1 down, 2 left, 3 up).
    @inline(__always) static func dx(_ d: Int) -> Int { d == 0 ? 1 : (d == 2 ? -1 : 0) }
    /// The y step of direction `d`.
    @inline(__always) static func dy(_ d: Int) -> Int { d == 1 ? 1 : (d == 3 ? -1 : 0) }

    init(id: String, width: Int, height: Int, mode: GridObservationMode, actions: ActionSet,
         maxSteps: Int, renderScale: Int) {
        precondition(width > 0 && height > 0, "GridEngine: empty grid")
        self.id = id
        self.width = width
        self.height = height
        self.mode = mode
        self.actions = actions
        self.maxSteps = maxSteps
        self.renderScale = renderScale
        switch mode {
        case .egocentric: observationCount = GridEngine.egocentricChannels * 49
        case .full: observationCount = GridEngine.fullChannels * width * height
        case .pixels: observationCount = 3 * 64 * width * height
        }
        cells = .allocate(capacity: width * height)
        cells.initialize(repeating: .empty, count: width * height)
        view = .allocate(capacity: 49)
        view.initialize(repeating: .empty, count: 49)
        visible = .allocate(capacity: 49)
        visible.initialize(repeating: false, count: 49)
        if mode == .pixels { buildSprites() }
    }

    deinit {
        cells.deallocate()
        view.deallocate()
        visible.deallocate()
        sprites?.deallocate()
        agentMasks?.deallocate()
    }

    // MARK: Spaces

    /// The number of discrete actions.
    var actionCount: Int { actions == .miniGrid ? 7 : 4 }

    /// The observation shape for the mode.
    var observationShape: [Int] {
        switch mode {
        case .egocentric: return [GridEngine.egocentricChannels, 7, 7]
        case .full: return [GridEngine.fullChannels, height, width]
        case .pixels: return [3, 8 * height, 8 * width]
        }
    }

    // MARK: Grid editing

    @inline(__always) func cell(_ x: Int, _ y: Int) -> GridCell {
        (x >= 0 && y >= 0 && x < width && y < height) ? cells[y &* width &+ x] : .wall
    }

    @inline(__always) func set(_ x: Int, _ y: Int, _ c: GridCell) { cells[y &* width &+ x] = c }

    /// Empties the grid and the agent's state before a layout is drawn.
    func clear() {
        cells.update(repeating: .empty, count: width * height)
        carrying = .empty
        agentX = 0; agentY = 0; agentDirection = 0
    }

    /// Walls around the border (MiniGrid's `wall_rect(0, 0, w, h)`).
    func surroundWithWalls() {
        for x in 0..<width { set(x, 0, .wall); set(x, height - 1, .wall) }
        for y in 0..<height { set(0, y, .wall); set(width - 1, y, .wall) }
    }

    /// A uniformly random empty cell in `x0..<x0+w × y0..<y0+h` that is not the agent's
    /// (MiniGrid's `place_obj` rejection sampling). The region must hold one.
    func randomEmptyCell(x0: Int, y0: Int, w: Int, h: Int, avoidAgent: Bool) -> (Int, Int) {
        while true {
            let x = x0 + rng.nextInt(below: w)
            let y = y0 + rng.nextInt(below: h)
            if cells[y * width + x] != .empty { continue }
            if avoidAgent && x == agentX && y == agentY { continue }
            return (x, y)
        }
    }

    /// Puts the agent on a random empty cell of the region, facing a random direction (`place_agent`).
    func placeAgent(x0: Int, y0: Int, w: Int, h: Int) {
        let (x, y) = randomEmptyCell(x0: x0, y0: y0, w: w, h: h, avoidAgent: false)
        agentX = x; agentY = y
        agentDirection = rng.nextInt(below: 4)
    }

    /// Re-seeds (when given a seed) and opens an episode; the layout is drawn by the caller after this.
    func beginReset(seed: UInt64?) {
        if let seed { rng = RandomGenerator(seed: seed) }
        clear()
        stepCount = 0
        hasReset = true
        episodeOver = false
    }

    // MARK: Dynamics

    /// The success reward `1 − 0.9·stepCount/maxSteps` (stepCount already counts this step).
    @inline(__always) var successReward: Float { 1 - 0.9 * (Float(stepCount) / Float(maxSteps)) }

    /// One step of MiniGrid's dynamics (or an absolute move), then the observation.
    func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        guard hasReset else { throw EnvironmentError.notReset(environment: id) }
        guard !episodeOver else { throw EnvironmentError.episodeFinished(environment: id) }
        guard action >= 0 && action < actionCount else {
            throw EnvironmentError.invalidAction(environment: id, action: action, space: .discrete(actionCount))
        }
        stepCount &+= 1
        var reward: Float = 0
        var terminated = false
        var act = action
        if actions == .absoluteMoves {
            // 0 up, 1 down, 2 left, 3 right → face that way, then move forward.
            agentDirection = action == 0 ? 3 : (action == 1 ? 1 : (action == 2 ? 2 : 0))
            act = 2
        }
        let fx = agentX &+ GridEngine.dx(agentDirection)
        let fy = agentY &+ GridEngine.dy(agentDirection)
        let inside = fx >= 0 && fy >= 0 && fx < width && fy < height
        let index = fy &* width &+ fx
        switch act {
        case 0:
            agentDirection = (agentDirection &+ 3) & 3
        case 1:
            agentDirection = (agentDirection &+ 1) & 3
        case 2:
            if inside {
                let c = cells[index]
                if c.canOverlap {
                    agentX = fx; agentY = fy
                    if c.object == GridCell.goalObject {
                        terminated = true
                        reward = successReward
                    } else if c.object == GridCell.lavaObject {
                        terminated = true
                    }
                }
            }
        case 3:
            if inside && carrying.object == GridCell.emptyObject && cells[index].canPickUp {
                carrying = cells[index]
                cells[index] = .empty
            }
        case 4:
            if inside && carrying.object != GridCell.emptyObject && cells[index].object == GridCell.emptyObject {
                cells[index] = carrying
                carrying = .empty
            }
        case 5:
            if inside { toggle(at: index) }
        default:
            break  // 6: done, no effect
        }
        let truncated = stepCount >= maxSteps
        episodeOver = terminated || truncated
        writeObservation(into: observation)
        return Transition(reward: reward, terminated: terminated, truncated: truncated)
    }

    /// MiniGrid's `toggle`: a locked door opens for a key of its colour; a closed door opens, an open one
    /// closes; a box is opened (and, holding nothing, disappears).
    @inline(__always) func toggle(at index: Int) {
        let c = cells[index]
        if c.object == GridCell.doorObject {
            if c.state == GridCell.locked {
                if carrying.object == GridCell.keyObject && carrying.color == c.color {
                    cells[index].state = GridCell.open
                }
            } else {
                cells[index].state = c.state == GridCell.open ? GridCell.closed : GridCell.open
            }
        } else if c.object == GridCell.boxObject {
            cells[index] = .empty
        }
    }
}
