/// A copy of a grid-world's state, for tests, tools and debugging (not for the hot loop).
public struct GridWorldSnapshot: Sendable, Equatable {
    /// Columns, counting the outer walls.
    public var width: Int
    /// Rows, counting the outer walls.
    public var height: Int
    /// The cells, row-major: cell (x, y) is `cells[y·width + x]`.
    public var cells: [GridCell]
    /// The agent's column.
    public var agentX: Int
    /// The agent's row.
    public var agentY: Int
    /// 0 right, 1 down, 2 left, 3 up.
    public var agentDirection: Int
    /// What the agent holds, `nil` for nothing.
    public var carrying: GridCell?
    /// Steps taken in this episode.
    public var stepCount: Int
    /// The time limit.
    public var maxSteps: Int

    /// The cell at column `x`, row `y`.
    public func cell(x: Int, y: Int) -> GridCell { cells[y * width + x] }

    /// The first position holding `object`, scanning rows top to bottom.
    public func position(of object: UInt8) -> (x: Int, y: Int)? {
        guard let i = cells.firstIndex(where: { $0.object == object }) else { return nil }
        return (i % width, i / width)
    }
}

extension GridEngine {
    /// The current state as a value.
    var snapshot: GridWorldSnapshot {
        GridWorldSnapshot(
            width: width, height: height, cells: Array(UnsafeBufferPointer(start: cells, count: width * height)),
            agentX: agentX, agentY: agentY, agentDirection: agentDirection,
            carrying: carrying.object == GridCell.emptyObject ? nil : carrying,
            stepCount: stepCount, maxSteps: maxSteps)
    }
}
