import LatticeRL
import LatticeTensor

/// MinAtar Breakout (`MinAtar/Breakout-v0`, `MinAtar/Breakout-v1`).
///
/// ## Description
/// A paddle on the bottom row bounces a ball, moving diagonally, into three rows of bricks
/// (K. Young and T. Tian, "MinAtar", arXiv:1903.03176, 2019; rules of the reference v1.0.15,
/// spec `minatar.md` §3). After hitting a brick the ball may pass through one more brick cell without
/// breaking it (the strike flag); the wall refills when the ball reaches the bottom row with no bricks left.
///
/// ## Action Space
/// `Discrete(6)` for v0: 0 no-op, 1 left, 2 up, 3 right, 4 down, 5 fire (only left and right act).
/// `Discrete(3)` for v1, the minimal set `[0, 1, 3]`.
///
/// ## Observation Space
/// `Box(0, 1, [4, 10, 10])` Float32, channels-first: 0 paddle, 1 ball, 2 trail (the ball's last cell),
/// 3 brick.
///
/// ## Rewards
/// +1 for each brick broken.
///
/// ## Starting State
/// Paddle at column 4 of row 9; bricks fill rows 1–3; the ball on row 3 at column 0 moving down-right or
/// column 9 moving down-left (one draw).
///
/// ## Episode End
/// Terminated when the ball reaches the bottom row away from the paddle. No ramping. Truncated only by
/// `maxEpisodeSteps`.
///
/// ## Arguments
/// `MinAtarOptions`: `stickyActionProbability` (0.1), `maxEpisodeSteps` (nil), `renderScale` (16);
/// `difficultyRamping` has no effect.
///
/// ## Version History
/// - v1: minimal action set. - v0: all 6 actions. Both follow MinAtar 1.0.15.
public final class Breakout: Environment {
    /// `MinAtar/Breakout-v0` or `-v1`.
    public let id: String
    /// `Box(0, 1, [4, 10, 10])`.
    public let observationSpace: Space = .box(shape: [BreakoutGame.channelCount, 10, 10], low: 0, high: 1)
    /// `Discrete(6)` (v0) or `Discrete(3)` (v1).
    public let actionSpace: Space
    var core: MinAtarCore
    var game = BreakoutGame()

    /// A Breakout environment: v1 (minimal actions) when `minimalActionSet`, else v0.
    public init(minimalActionSet: Bool = true, options: MinAtarOptions = MinAtarOptions()) throws {
        core = try MinAtarCore(game: BreakoutGame.name,
                               minimalSet: minimalActionSet ? BreakoutGame.minimalActionSet : nil, options: options)
        id = core.id
        actionSpace = core.actionSpace
    }

    /// Starts an episode (re-seeding when `seed` is given) and writes the first observation.
    public func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
        core.startEpisode(seed: seed)
        game.reset(rng: &core.rng)
        game.write(into: core.clearedBoard(observation, channels: BreakoutGame.channelCount))
    }

    /// Advances one step (sticky draw first, then the game's draws) and writes the observation.
    public func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        let executed = try core.executedAction(for: action)
        let reward = game.act(executed, rng: &core.rng, ramping: core.difficultyRamping)
        let transition = core.finishStep(reward: reward, terminal: game.terminal)
        game.write(into: core.clearedBoard(observation, channels: BreakoutGame.channelCount))
        return transition
    }

    /// The board, `renderScale` pixels a cell, one cubehelix colour per channel on black.
    public func render() -> Frame? { MinAtarPalette.frame(of: game, scale: core.renderScale) }
}
