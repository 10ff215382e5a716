import LatticeRL

/// A grid-world drawn by the researcher as an ASCII map, with MiniGrid's dynamics.
///
/// ## Description
/// The layout of a `GridWorldMap` (see its legend): walls, goal, lava, keys, doors, balls, boxes, floor.
/// Outside the map counts as wall. Id `GridWorld/Map-v0` with `GridWorldOptions.map` holding the text.
///
/// ## Action Space
/// `Discrete(7)`: 0 turn left, 1 turn right, 2 forward, 3 pickup, 4 drop, 5 toggle, 6 done (no effect).
///
/// ## Observation Space
/// By `GridWorldOptions.observation`: egocentric `[20, 7, 7]` (default), full `[24, H, W]`, or pixels
/// `[3, 8·H, 8·W]`, all in [0, 1].
///
/// ## Rewards
/// `1 − 0.9·(stepCount / maxSteps)` on reaching a goal; 0 otherwise (lava included).
///
/// ## Starting State
/// Exactly the map: the agent at its mark facing the mark's direction, hands empty. No randomness.
///
/// ## Episode End
/// Terminated on a goal or lava; truncated when `stepCount ≥ maxSteps` (default 4·W·H).
///
/// ## Arguments
/// `map`; options `observation`, `maxSteps`, `renderScale`.
///
/// ## Version History
/// - v0: first version.
public final class MapGridWorld: Environment {
    /// The registry id.
    public let id: String
    /// The layout.
    public let map: GridWorldMap
    /// Observations: one-hot or pixel boxes in [0, 1].
    public let observationSpace: Space
    /// `Discrete(7)`.
    public let actionSpace: Space = .discrete(7)
    let engine: GridEngine

    /// A grid-world of `map` with `options`.
    public init(map: GridWorldMap, options: GridWorldOptions = GridWorldOptions(), id: String = "GridWorld/Map-v0") throws {
        try options.rejectForeignOptions(id: id, allowMap: true)
        self.id = id
        self.map = map
        engine = GridEngine(
            id: id, width: map.width, height: map.height, mode: options.observation ?? .egocentric,
            actions: .miniGrid, maxSteps: try options.resolvedMaxSteps(default: 4 * map.width * map.height, id: id),
            renderScale: options.renderScale)
        observationSpace = .box(shape: engine.observationShape, low: 0, high: 1)
    }

    /// A grid-world of the ASCII `map` text (throws `GridWorldMapError` for a bad map).
    public convenience init(ascii: String, options: GridWorldOptions = GridWorldOptions()) throws {
        try self.init(map: GridWorldMap(parsing: ascii), options: options)
    }

    /// The time limit.
    public var maxSteps: Int { engine.maxSteps }
    /// A copy of the current state.
    public var snapshot: GridWorldSnapshot { engine.snapshot }

    /// Restores the map and writes the first observation.
    public func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
        let e = engine
        e.beginReset(seed: seed)
        map.cells.withUnsafeBufferPointer { e.cells.update(from: $0.baseAddress!, count: $0.count) }
        e.agentX = map.agentX; e.agentY = map.agentY; e.agentDirection = map.agentDirection
        e.writeObservation(into: observation)
    }

    /// One MiniGrid step.
    public func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        try engine.step(action, into: observation)
    }

    /// The map in RGB, `renderScale` pixels a cell.
    public func render() -> Frame? { engine.renderFrame() }
}
