/// One cell of a grid-world: MiniGrid's `(object, colour, state)` triple, one byte each.
///
/// The indices are MiniGrid's (`OBJECT_TO_IDX`, `COLOR_TO_IDX`, `STATE_TO_IDX`), so an encoded view
/// reads the same as MiniGrid's `ImgObsWrapper` output:
/// - objects: unseen 0, empty 1, wall 2, floor 3, door 4, key 5, ball 6, box 7, goal 8, lava 9, agent 10;
/// - colours: red 0, green 1, blue 2, purple 3, yellow 4, grey 5;
/// - states (doors only): open 0, closed 1, locked 2.
public struct GridCell: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The object index, `0..<GridCell.objectCount`.
    public var object: UInt8
    /// The colour index, `0..<GridCell.colorCount`.
    public var color: UInt8
    /// The state index (meaningful for doors), `0..<GridCell.stateCount`.
    public var state: UInt8

    /// A cell from its three indices.
    @inlinable
    public init(object: UInt8, color: UInt8 = 0, state: UInt8 = 0) {
        self.object = object
        self.color = color
        self.state = state
    }

    // MARK: Index tables

    /// Number of object kinds (unseen … agent).
    public static let objectCount = 11
    /// Number of colours.
    public static let colorCount = 6
    /// Number of door states.
    public static let stateCount = 3

    /// Object index: not visible (egocentric view only).
    public static let unseen: UInt8 = 0
    /// Object index: nothing here.
    public static let emptyObject: UInt8 = 1
    /// Object index: wall (blocks moves and sight).
    public static let wallObject: UInt8 = 2
    /// Object index: floor tile (walkable).
    public static let floorObject: UInt8 = 3
    /// Object index: door (walkable and see-through only when open).
    public static let doorObject: UInt8 = 4
    /// Object index: key (can be picked up; opens the locked door of its colour).
    public static let keyObject: UInt8 = 5
    /// Object index: ball (can be picked up).
    public static let ballObject: UInt8 = 6
    /// Object index: box (can be picked up; toggling it removes it, as an empty MiniGrid box).
    public static let boxObject: UInt8 = 7
    /// Object index: goal (walkable; reaching it ends the episode with the success reward).
    public static let goalObject: UInt8 = 8
    /// Object index: lava (walkable; reaching it ends the episode with reward 0).
    public static let lavaObject: UInt8 = 9
    /// Object index: the agent (full observation only).
    public static let agentObject: UInt8 = 10

    /// Colour index red.
    public static let red: UInt8 = 0
    /// Colour index green.
    public static let green: UInt8 = 1
    /// Colour index blue.
    public static let blue: UInt8 = 2
    /// Colour index purple.
    public static let purple: UInt8 = 3
    /// Colour index yellow.
    public static let yellow: UInt8 = 4
    /// Colour index grey.
    public static let grey: UInt8 = 5

    /// Door state open.
    public static let open: UInt8 = 0
    /// Door state closed.
    public static let closed: UInt8 = 1
    /// Door state locked.
    public static let locked: UInt8 = 2

    // MARK: Common cells

    /// An empty cell `(1, 0, 0)`.
    public static let empty = GridCell(object: emptyObject)
    /// A grey wall.
    public static let wall = GridCell(object: wallObject, color: grey)
    /// A green goal.
    public static let goal = GridCell(object: goalObject, color: green)
    /// Red lava (MiniGrid encodes lava as red; it is drawn orange).
    public static let lava = GridCell(object: lavaObject, color: red)
    /// A blue floor tile.
    public static let floor = GridCell(object: floorObject, color: blue)
    /// A key of `color`.
    public static func key(_ color: UInt8 = yellow) -> GridCell { GridCell(object: keyObject, color: color) }
    /// A ball of `color`.
    public static func ball(_ color: UInt8 = blue) -> GridCell { GridCell(object: ballObject, color: color) }
    /// A box of `color`.
    public static func box(_ color: UInt8 = purple) -> GridCell { GridCell(object: boxObject, color: color) }
    /// A door of `color` in `state` (open, closed or locked).
    public static func door(_ color: UInt8 = yellow, state: UInt8) -> GridCell {
        GridCell(object: doorObject, color: color, state: state)
    }

    // MARK: Rules

    /// The agent may stand here: empty, floor, goal, lava, or an open door (MiniGrid's `can_overlap`).
    @inlinable
    public var canOverlap: Bool {
        switch object {
        case GridCell.emptyObject, GridCell.floorObject, GridCell.goalObject, GridCell.lavaObject: return true
        case GridCell.doorObject: return state == GridCell.open
        default: return false
        }
    }

    /// The agent can see past it: everything but walls and closed or locked doors (`see_behind`).
    @inlinable
    public var seeBehind: Bool {
        switch object {
        case GridCell.wallObject: return false
        case GridCell.doorObject: return state == GridCell.open
        default: return true
        }
    }

    /// The agent can carry it: keys, balls, boxes (`can_pickup`).
    @inlinable
    public var canPickUp: Bool {
        object == GridCell.keyObject || object == GridCell.ballObject || object == GridCell.boxObject
    }

    /// The object has a colour channel in one-hot observations (not unseen, empty).
    @inlinable
    public var hasColor: Bool { object >= GridCell.wallObject }

    /// A readable form for messages and logs.

    public var description: String { "GridCell(\(object), \(color), \(state))" }
}
