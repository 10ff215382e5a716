/// A key of the keyboard as the viewer sees it, independent of SDL (so key maps are testable without it).
public enum ViewerKey: Sendable, Hashable {
    /// Arrow keys, space, enter (return), escape, plus (`+`/`=`) and minus.
    case left, right, up, down, space, enter, escape, plus, minus
    /// A letter or digit key, lower case.
    case character(Character)

    /// The key named `name` (`left`, `right`, `up`, `down`, `space`, `enter`, `esc`, `plus`, `minus`, or one
    /// letter or digit), for scripted input such as `--keys space,right,q`; `nil` for an unknown name.
    public init?(name: String) {
        switch name.lowercased() {
        case "left": self = .left
        case "right": self = .right
        case "up": self = .up
        case "down": self = .down
        case "space": self = .space
        case "enter", "return": self = .enter
        case "esc", "escape": self = .escape
        case "plus", "+": self = .plus
        case "minus", "-": self = .minus
        case let one where one.count == 1 && (one.first!.isLetter || one.first!.isNumber): self = .character(one.first!)
        default: return nil
        }
    }
}

/// How keys become actions for one environment family, and the help text shown on screen.
///
/// - MinAtar (`MinAtar/…`): arrows = l/r/u/d, space = f (fire), no key = n; each full action is mapped to
///   its index in the game's action set (v1 minimal sets: Asterix n l u r d, Breakout n l r, Freeway n u d,
///   Seaquest all six, SpaceInvaders n l r f; v0 all six). Real time: the game advances at the set speed
///   with the key held or pressed since the last step.
/// - GoToTarget (`GridWorld/GoToTarget…`): absolute moves, ↑ 0, ↓ 1, ← 2, → 3; one step per key.
/// - Other grid-worlds (MiniGrid actions): ← turn left 0, → turn right 1, ↑ forward 2, p pick up 3,
///   d drop 4, space or t toggle 5, enter done 6; one step per key.
/// - Anything else: digit keys 0–9 choose the action index; one step per key.
public struct KeyMap: Sendable {
    /// Key → action index.
    public let actions: [ViewerKey: Int]
    /// The action taken when no key is pressed in real time (`nil`: turn-based, wait for a key).
    public let idleAction: Int?
    /// Display names of the actions (index order).
    public let actionNames: [String]
    /// Help lines for the panel.
    public let help: [String]

    /// Whether the environment advances on its own (real time) rather than one step per key.
    public var isRealTime: Bool { idleAction != nil }

    /// The key map for `environmentID` with `actionCount` actions.
    public static func forEnvironment(_ environmentID: String, actionCount: Int) -> KeyMap {
        let full = ["NOOP", "LEFT", "UP", "RIGHT", "DOWN", "FIRE"]
        if environmentID.hasPrefix("MinAtar/") {
            let set = minAtarActionSet(environmentID) ?? Array(0..<min(6, actionCount))
            let keyOf: [Int: ViewerKey] = [1: .left, 2: .up, 3: .right, 4: .down, 5: .space]
            var actions: [ViewerKey: Int] = [:]
            for (index, a) in set.enumerated() { if let key = keyOf[a] { actions[key] = index } }
            let names = set.map { full[$0] }
            var help: [String] = []
            let moves = set.filter { (1...4).contains($0) }.map { ["", "←", "↑", "→", "↓"][$0] }.joined()
            if !moves.isEmpty { help.append("\(moves) MOVE") }
            if set.contains(5) { help.append("SPACE FIRE") }
            return KeyMap(actions: actions, idleAction: set.firstIndex(of: 0) ?? 0, actionNames: names, help: help)
        }
        if environmentID.hasPrefix("GridWorld/GoToTarget"), actionCount == 4 {
            return KeyMap(actions: [.up: 0, .down: 1, .left: 2, .right: 3], idleAction: nil,
                          actionNames: ["UP", "DOWN", "LEFT", "RIGHT"], help: ["←↑→↓ MOVE"])
        }
        if environmentID.hasPrefix("GridWorld/"), actionCount == 7 {
            return KeyMap(actions: [.left: 0, .right: 1, .up: 2, .character("p"): 3, .character("d"): 4,
                                    .space: 5, .character("t"): 5, .enter: 6],
                          idleAction: nil,
                          actionNames: ["LEFT", "RIGHT", "FWD", "PICK", "DROP", "TOGGL", "DONE"],
                          help: ["←→ TURN ↑ FORWARD", "P PICK UP D DROP", "SPACE/T TOGGLE", "ENTER DONE"])
        }
        var actions: [ViewerKey: Int] = [:]
        for a in 0..<min(10, actionCount) { actions[.character(Character(String(a)))] = a }
        return KeyMap(actions: actions, idleAction: nil, actionNames: (0..<actionCount).map { "A\($0)" },
                      help: ["0-\(min(9, actionCount - 1)) ACTION"])
    }

    /// The action display names for `environmentID` (the key map's names), for watching a policy.
    public static func actionNames(_ environmentID: String, actionCount: Int) -> [String] {
        let names = forEnvironment(environmentID, actionCount: actionCount).actionNames
        return names.count == actionCount ? names : (0..<actionCount).map { "A\($0)" }
    }

    /// MinAtar's action set for an id: the v1 minimal set of the game (from the MinAtar spec), all six for v0.
    static func minAtarActionSet(_ id: String) -> [Int]? {
        if id.hasSuffix("-v0") { return [0, 1, 2, 3, 4, 5] }
        let game = id.dropFirst("MinAtar/".count).split(separator: "-").first.map(String.init) ?? ""
        switch game {
        case "Asterix": return [0, 1, 2, 3, 4]
        case "Breakout": return [0, 1, 3]
        case "Freeway": return [0, 2, 4]
        case "Seaquest": return [0, 1, 2, 3, 4, 5]
        case "SpaceInvaders": return [0, 1, 3, 5]
        default: return nil
        }
    }
}
