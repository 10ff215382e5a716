/// An integer pixel position: `x` is the column, `y` the row (image coordinates, origin top-left).
public struct PixelCentre: Hashable, Sendable, CustomStringConvertible {
    /// Column.
    public var x: Int
    /// Row.
    public var y: Int

    /// A position at column `x`, row `y`.
    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }

    /// `(x: …, y: …)`.
    public var description: String { "(x: \(x), y: \(y))" }
}
