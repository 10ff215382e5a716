import LatticeRL
import LatticeTensor

/// MinAtar Space Invaders (`MinAtar/SpaceInvaders-v0`, `MinAtar/SpaceInvaders-v1`).
///
/// ## Description
/// A cannon on the bottom row shoots a 4×6 block of aliens that marches sideways and steps down at the
/// edges, shooting from the alien nearest the cannon (K. Young and T. Tian, "MinAtar", arXiv:1903.03176,
/// 2019; rules of the reference v1.0.15, spec `minatar.md` §6). The block moves every 12 steps (fewer when
/// fewer aliens remain); each cleared wave respawns the block and, with ramping, shortens the interval
/// down to 6.
///
/// ## Action Space
/// `Discrete(6)` for v0: 0 no-op, 1 left, 2 up, 3 right, 4 down, 5 fire (up and down do nothing).
/// `Discrete(4)` for v1, the minimal set `[0, 1, 3, 5]`.
///
/// ## Observation Space
/// `Box(0, 1, [6, 10, 10])` Float32, channels-first: 0 cannon, 1 alien, 2 alien (block moving left),
/// 3 alien (block moving right), 4 friendly bullet, 5 enemy bullet.
///
/// ## Rewards
/// +1 per alien destroyed.
///
/// ## Starting State
/// Cannon at column 5 of row 9; aliens on rows 0–3, columns 2–7, moving left. Aliens first move at step 13,
/// alien shots come at steps 11, 21, 31, ...
///
/// ## Episode End
/// Terminated when an alien or an enemy bullet reaches the cannon, or the block must step down while
/// touching row 9. Truncated only by `maxEpisodeSteps`.
///
/// ## Arguments
/// `MinAtarOptions`: `stickyActionProbability` (0.1), `difficultyRamping` (true), `maxEpisodeSteps` (nil),
/// `renderScale` (16).
///
/// ## Version History
/// - v1: minimal action set. - v0: all 6 actions. Both follow MinAtar 1.0.15.
public final class SpaceInvaders: Environment {
    /// `MinAtar/SpaceInvaders-v0` or `-v1`.
    public let id: String
    /// `Box(0, 1, [6, 10, 10])`.
    public let observationSpace: Space = .box(shape: [SpaceInvadersGame.channelCount, 10, 10], low: 0, high: 1)
    /// `Discrete(6)` (v0) or `Discrete(4)` (v1).
    public let actionSpace: Space
    var core: MinAtarCore
    var game = SpaceInvadersGame()

    /// A Space Invaders environment: v1 (minimal actions) when `minimalActionSet`, else v0.
    public init(minimalActionSet: Bool = true, options: MinAtarOptions = MinAtarOptions()) throws {
        core = try MinAtarCore(game: SpaceInvadersGame.name,
                               minimalSet: minimalActionSet ? SpaceInvadersGame.minimalActionSet : nil, options: options)
        id = core.id
        actionSpace = core.actionSpace
    }

    /// Starts an episode (re-seeding when `seed` is given) and writes the first observation.
    public func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
        core.startEpisode(seed: seed)
        game.reset(rng: &core.rng)
        game.write(into: core.clearedBoard(observation, channels: SpaceInvadersGame.channelCount))
    }

    /// Advances one step (sticky draw first, then the game's draws) and writes the observation.
    public func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        let executed = try core.executedAction(for: action)
        let reward = game.act(executed, rng: &core.rng, ramping: core.difficultyRamping)
        let transition = core.finishStep(reward: reward, terminal: game.terminal)
        game.write(into: core.clearedBoard(observation, channels: SpaceInvadersGame.channelCount))
        return transition
    }

    /// How many times difficulty has ramped this episode (one per cleared wave while the move interval is above 6) — the reference's `difficulty_ramp()`.
    public var rampIndex: Int { game.rampIndex }

    /// The board, `renderScale` pixels a cell, one cubehelix colour per channel on black.
    public func render() -> Frame? { MinAtarPalette.frame(of: game, scale: core.renderScale) }
}
