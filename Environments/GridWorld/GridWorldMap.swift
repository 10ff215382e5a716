/// A grid-world layout drawn in ASCII, one character a cell, one line a row (top row first).
///
/// Legend:
///
/// | char | cell |
/// |---|---|
/// | `#` | wall (grey) |
/// | `.` | empty |
/// | `G` | goal (green): reaching it ends the episode with `1 − 0.9·stepCount/maxSteps` |
/// | `L` | lava: reaching it ends the episode with reward 0 |
/// | `K` | yellow key |
/// | `D` | locked yellow door (opens with the yellow key) |
/// | `d` | closed yellow door (toggle opens it) |
/// | `O` | open yellow door |
/// | `B` | blue ball |
/// | `X` | purple box |
/// | `F` | blue floor tile (walkable) |
/// | `A` or `>` | agent start facing right; `v` down, `<` left, `^` up (the cell itself is empty) |
///
/// Rows must all have the same width; leading and trailing blank lines and spaces at line ends are
/// ignored. Exactly one agent mark is required. Outside the map counts as wall. Example:
/// ```
/// #####
/// #>..#
/// #.#.#
/// #..G#
/// #####
/// ```
public struct GridWorldMap: Sendable, Equatable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// The cells, row-major (`cells[y·width + x]`), with the agent's cell empty.
    public let cells: [GridCell]
    /// The agent's start column.
    public let agentX: Int
    /// The agent's start row.
    public let agentY: Int
    /// The agent's start direction: 0 right, 1 down, 2 left, 3 up.
    public let agentDirection: Int

    /// The legend, in the order documented, for error messages.
    public static let legend: [(Character, String)] = [
        ("#", "wall"), (".", "empty"), ("G", "goal"), ("L", "lava"), ("K", "key"), ("D", "locked door"),
        ("d", "closed door"), ("O", "open door"), ("B", "ball"), ("X", "box"), ("F", "floor"),
        ("A", "agent facing right"), (">", "agent facing right"), ("v", "agent facing down"),
        ("<", "agent facing left"), ("^", "agent facing up"),
    ]

    /// The cell a legend character stands for (agent marks excluded).
    static func cell(for ch: Character) -> GridCell? {
        switch ch {
        case "#": return .wall
        case ".": return .empty
        case "G": return .goal
        case "L": return .lava
        case "K": return .key(GridCell.yellow)
        case "D": return .door(GridCell.yellow, state: GridCell.locked)
        case "d": return .door(GridCell.yellow, state: GridCell.closed)
        case "O": return .door(GridCell.yellow, state: GridCell.open)
        case "B": return .ball(GridCell.blue)
        case "X": return .box(GridCell.purple)
        case "F": return .floor
        default: return nil
        }
    }

    /// The direction an agent mark stands for.
    static func direction(for ch: Character) -> Int? {
        switch ch {
        case "A", ">": return 0
        case "v": return 1
        case "<": return 2
        case "^": return 3
        default: return nil
        }
    }

    /// Parses `text`; throws `GridWorldMapError` naming the line and column of the first problem.
    public init(parsing text: String) throws {
        var lines: [(number: Int, text: Substring)] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw
            while let last = line.last, last == " " || last == "\t" || last == "\r" { line = line.dropLast() }
            lines.append((i + 1, line))
        }
        while let first = lines.first, first.text.isEmpty { lines.removeFirst() }
        while let last = lines.last, last.text.isEmpty { lines.removeLast() }
        guard let firstRow = lines.first else { throw GridWorldMapError.empty }

        let width = firstRow.text.count
        var cells: [GridCell] = []
        cells.reserveCapacity(width * lines.count)
        var agent: (x: Int, y: Int, direction: Int, line: Int, column: Int)?
        for (y, row) in lines.enumerated() {
            if row.text.count != width {
                throw GridWorldMapError.raggedRow(line: row.number, width: row.text.count, expected: width,
                                                  firstLine: firstRow.number)
            }
            for (x, ch) in row.text.enumerated() {
                if let d = GridWorldMap.direction(for: ch) {
                    if let a = agent {
                        throw GridWorldMapError.multipleAgents(
                            line: row.number, column: x + 1, firstLine: a.line, firstColumn: a.column)
                    }
                    agent = (x, y, d, row.number, x + 1)
                    cells.append(.empty)
                } else if let c = GridWorldMap.cell(for: ch) {
                    cells.append(c)
                } else {
                    throw GridWorldMapError.unknownCharacter(line: row.number, column: x + 1, character: ch)
                }
            }
        }
        guard let agent else { throw GridWorldMapError.missingAgent }
        self.width = width
        height = lines.count
        self.cells = cells
        agentX = agent.x
        agentY = agent.y
        agentDirection = agent.direction
    }
}

/// Why an ASCII map was refused.
public enum GridWorldMapError: Error, Equatable, CustomStringConvertible {
    /// No non-blank line.
    case empty
    /// A character outside the legend at 1-based `line` and `column` of the text.
    case unknownCharacter(line: Int, column: Int, character: Character)
    /// A row whose width differs from the first row's.
    case raggedRow(line: Int, width: Int, expected: Int, firstLine: Int)
    /// No agent mark.
    case missingAgent
    /// A second agent mark.
    case multipleAgents(line: Int, column: Int, firstLine: Int, firstColumn: Int)

    /// The legend as one line.
    static var legendText: String {
        GridWorldMap.legend.map { "'\($0.0)' \($0.1)" }.joined(separator: ", ")
    }

    /// A readable form for messages and logs.

    public var description: String {
        switch self {
        case .empty:
            return "grid-world map is empty; draw one line per row, e.g. \"#####\\n#>.G#\\n#####\""
        case .unknownCharacter(let line, let column, let ch):
            return "grid-world map line \(line), column \(column): unknown character '\(ch)'; known: \(GridWorldMapError.legendText)"
        case .raggedRow(let line, let width, let expected, let firstLine):
            return "grid-world map line \(line) has \(width) cells but line \(firstLine) has \(expected); "
                + "every row must be equally wide (pad with '#' or '.')"
        case .missingAgent:
            return "grid-world map has no agent; mark its start with 'A' or '>' (right), 'v', '<' or '^'"
        case .multipleAgents(let line, let column, let firstLine, let firstColumn):
            return "grid-world map line \(line), column \(column): a second agent (the first is at line \(firstLine), "
                + "column \(firstColumn)); keep exactly one of 'A', '>', 'v', '<', '^'"
        }
    }
}
