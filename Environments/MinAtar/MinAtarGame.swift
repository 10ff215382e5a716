import LatticeTensor

/// The rules and state of one MinAtar game, as a value type the environment class steps.
///
/// Internal seam: each environment class holds its concrete game, so calls are static (no protocol
/// dispatch in the step); the protocol only lets rendering and tests treat the five games alike.
protocol MinAtarGame {
    /// The game's name in ids (`Breakout`).
    static var name: String { get }
    /// Number of observation channels C in `[C, 10, 10]`.
    static var channelCount: Int { get }
    /// The reference's minimal action set, as indices into the 6 actions (n, l, u, r, d, f).
    static var minimalActionSet: [Int] { get }
    /// A game before its first reset.
    init()
    /// Whether the episode has ended.
    var terminal: Bool { get }
    /// Starts a new episode, drawing from `rng` where the game's reset is random.
    mutating func reset(rng: inout RandomGenerator)
    /// Executes one of the 6 actions (0 n, 1 l, 2 u, 3 r, 4 d, 5 f) and returns the step's reward.
    mutating func act(_ action: Int, rng: inout RandomGenerator, ramping: Bool) -> Int
    /// Sets the non-zero cells of the observation (`board` is zeroed, `channelCount·100` floats,
    /// index `channel·100 + row·10 + column`).
    func write(into board: UnsafeMutablePointer<Float>)
}

/// Board geometry shared by the games.
enum MinAtarBoard {
    /// Side of the square board.
    static let size = 10
    /// Scalars in one channel.
    static let cellsPerChannel = 100

    /// Whether a coordinate lies on the board.
    @inline(__always)
    static func contains(_ v: Int) -> Bool { v >= 0 && v < 10 }

    /// Flat index of (channel, row, column) in the `[C, 10, 10]` observation.
    @inline(__always)
    static func index(_ channel: Int, _ row: Int, _ column: Int) -> Int {
        channel &* 100 &+ row &* 10 &+ column
    }
}
