import LatticeTensor

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

    public var description: String { "(x: \(x), y: \(y))" }
}

/// A dataset name or argument that does not exist: names the fix and lists what is known.
public struct DatasetError: Error, CustomStringConvertible, Equatable {
    /// What went wrong and how to fix it.
    public var message: String

    /// An error with `message`.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// A Fisher–Yates permutation of `0..<count` drawn from `rng`.
func seededPermutation(_ count: Int, rng: inout RandomGenerator) -> [Int] {
    var p = Array(0..<count)
    if count < 2 { return p }
    for i in stride(from: count - 1, to: 0, by: -1) {
        p.swapAt(i, rng.nextInt(below: i + 1))
    }
    return p
}
