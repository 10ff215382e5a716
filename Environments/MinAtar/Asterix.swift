import LatticeRL
import LatticeTensor

/// MinAtar Asterix (`MinAtar/Asterix-v0`, `MinAtar/Asterix-v1`).
///
/// ## Description
/// The player moves on a 10×10 board while enemies and gold cross rows 1–8 from the left or right edge.
/// Collect gold, avoid enemies. Spawning and movement speed up over time (K. Young and T. Tian,
/// "MinAtar", arXiv:1903.03176, 2019; rules of the reference v1.0.15, spec `minatar.md` §2).
///
/// ## Action Space
/// `Discrete(6)` for v0: 0 no-op, 1 left, 2 up, 3 right, 4 down, 5 fire (acts as no-op).
/// `Discrete(5)` for v1, the minimal set `[0, 1, 2, 3, 4]`.
///
/// ## Observation Space
/// `Box(0, 1, [4, 10, 10])` Float32, channels-first: 0 player, 1 enemy, 2 trail (the cell behind a
/// moving entity), 3 gold.
///
/// ## Rewards
/// +1 for each gold collected.
///
/// ## Starting State
/// Player at column 5, row 5; no entities. A new entity spawns every 10 steps (first at step 11),
/// entities move every 5 steps (first at step 6).
///
/// ## Episode End
/// Terminated when the player shares a cell with an enemy. Truncated only by `maxEpisodeSteps`.
/// With ramping, every 102 steps the spawn period falls by 1 and, on odd ramps, the move period too:
/// (spawn, move) = (9,5), (8,4), (7,4), (6,3), (5,3), (4,2), (3,2), (2,1), (1,1), the last at step 918.
///
/// ## Arguments
/// `MinAtarOptions`: `stickyActionProbability` (0.1), `difficultyRamping` (true), `maxEpisodeSteps` (nil),
/// `renderScale` (16).
///
/// ## Version History
/// - v1: minimal action set. - v0: all 6 actions. Both follow MinAtar 1.0.15.
public final class Asterix: Environment {
    /// `MinAtar/Asterix-v0` or `-v1`.
    public let id: String
    /// `Box(0, 1, [4, 10, 10])`.
    public let observationSpace: Space = .box(shape: [AsterixGame.channelCount, 10, 10], low: 0, high: 1)
    /// `Discrete(6)` (v0) or `Discrete(5)` (v1).
    public let actionSpace: Space
    var core: MinAtarCore
    var game = AsterixGame()

    /// An Asterix environment: v1 (minimal actions) when `minimalActionSet`, else v0.
    public init(minimalActionSet: Bool = true, options: MinAtarOptions = MinAtarOptions()) throws {
        core = try MinAtarCore(game: AsterixGame.name,
                               minimalSet: minimalActionSet ? AsterixGame.minimalActionSet : nil, options: options)
        id = core.id
        actionSpace = core.actionSpace
    }

    /// Starts an episode (re-seeding when `seed` is given) and writes the first observation.
    public func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
        core.startEpisode(seed: seed)
        game.reset(rng: &core.rng)
        game.write(into: core.clearedBoard(observation, channels: AsterixGame.channelCount))
    }

    /// Advances one step (sticky draw first, then the game's draws) and writes the observation.
    public func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        let executed = try core.executedAction(for: action)
        let reward = game.act(executed, rng: &core.rng, ramping: core.difficultyRamping)
        let transition = core.finishStep(reward: reward, terminal: game.terminal)
        game.write(into: core.clearedBoard(observation, channels: AsterixGame.channelCount))
        return transition
    }

    /// How many times difficulty has ramped this episode (one per 102-step ramp, 0–9) — the reference's `difficulty_ramp()`.
    public var rampIndex: Int { game.rampIndex }

    /// The board, `renderScale` pixels a cell, one cubehelix colour per channel on black.
    public func render() -> Frame? { MinAtarPalette.frame(of: game, scale: core.renderScale) }
}
