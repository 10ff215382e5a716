import LatticeRL

/// What a grid-world writes as its observation.
public enum GridObservationMode: String, Sendable, CaseIterable, CustomStringConvertible {
    /// MiniGrid's 7×7 egocentric view, one-hot, `[20, 7, 7]`: channels 0–10 the object index
    /// (unseen 0 … agent 10), 11–16 the colour (for objects that have one: wall and up), 17–19 the door
    /// state (doors only). The agent sits at column 3 of the bottom row, facing up (row 0 is farthest
    /// ahead); walls and closed doors hide what is behind them (MiniGrid's `process_vis`). The agent's own
    /// cell shows what it carries, or empty.
    case egocentric
    /// The whole grid, one-hot, `[24, H, W]`: the 20 egocentric channels (no unseen cells) plus
    /// channels 20–23 the agent's direction (right, down, left, up), set at the agent's cell only.
    /// The agent's cell has object 10 (agent) and colour red, as MiniGrid's `FullyObsWrapper`.
    case full
    /// The whole grid drawn in RGB, `[3, 8·H, 8·W]`, values in [0, 1], 8 pixels a cell (as MiniGrid's
    /// `RGBImgObsWrapper` with tile size 8).
    case pixels

    /// A readable form for messages and logs.

    public var description: String { rawValue }
}

/// GoToTarget's held-out-quadrant split (CoordConv paper §, the quadrant split of the supervised tasks).
///
/// The quadrant is the bottom-right one of the room's interior: with interior `n = size − 2` cells a
/// side, the cells with both `x` and `y` ≥ `1 + n/2` (integer division).
public enum HeldOutQuadrant: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Targets anywhere.
    case none
    /// Training split: targets never in the bottom-right quadrant.
    case train
    /// Evaluation split: targets only in the bottom-right quadrant.
    case eval

    /// A readable form for messages and logs.

    public var description: String { rawValue }
}

/// Options shared by the grid-worlds; `nil` means the environment's default.
public struct GridWorldOptions: Sendable, Equatable {
    /// The observation mode; `nil` is egocentric for MiniGrid tasks and pixels for GoToTarget.
    public var observation: GridObservationMode?
    /// The time limit; `nil` is the environment's own (Empty 4·size², DoorKey 10·size², FourRooms 100,
    /// GoToTarget 4·size, maps 4·W·H).
    public var maxSteps: Int?
    /// Pixels per cell in `render()` frames (MiniGrid draws 32).
    public var renderScale: Int
    /// GoToTarget only: where targets may appear.
    public var heldOutQuadrant: HeldOutQuadrant
    /// GoToTarget only: the room size counting the outer walls (`nil`: the id's size).
    public var size: Int?
    /// `GridWorld/Map-v0` only: the ASCII map (see `GridWorldMap` for the legend).
    public var map: String?

    /// Options with every default.
    public init(observation: GridObservationMode? = nil, maxSteps: Int? = nil, renderScale: Int = 32,
                heldOutQuadrant: HeldOutQuadrant = .none, size: Int? = nil, map: String? = nil) {
        self.observation = observation
        self.maxSteps = maxSteps
        self.renderScale = renderScale
        self.heldOutQuadrant = heldOutQuadrant
        self.size = size
        self.map = map
    }

    /// Checks the options common to every grid-world and returns the resolved time limit.
    func resolvedMaxSteps(default value: Int, id: String) throws -> Int {
        if let m = maxSteps, m <= 0 {
            throw EnvironmentError.invalidOption(environment: id, message: "maxSteps must be positive, got \(m)")
        }
        if renderScale <= 0 || renderScale > 256 {
            throw EnvironmentError.invalidOption(
                environment: id, message: "renderScale must be in 1...256 pixels a cell, got \(renderScale)")
        }
        return maxSteps ?? value
    }

    /// Refuses options meant for another environment (size, heldOutQuadrant: GoToTarget; map: Map-v0).
    func rejectForeignOptions(id: String, allowMap: Bool = false) throws {
        if map != nil && !allowMap {
            throw EnvironmentError.invalidOption(
                environment: id, message: "the map option applies to GridWorld/Map-v0 only; use that id or drop map")
        }
        if size != nil {
            throw EnvironmentError.invalidOption(
                environment: id, message: "the size option applies to GoToTarget only; pick the id with the size you want")
        }
        if heldOutQuadrant != .none {
            throw EnvironmentError.invalidOption(
                environment: id, message: "heldOutQuadrant applies to GoToTarget only; set it to none")
        }
    }
}
