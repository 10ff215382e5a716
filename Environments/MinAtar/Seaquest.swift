import LatticeRL
import LatticeTensor

/// MinAtar Seaquest (`MinAtar/Seaquest-v0`, `MinAtar/Seaquest-v1`).
///
/// ## Description
/// A submarine shoots enemy fish and subs (which shoot back), rescues divers and surfaces for oxygen
/// (K. Young and T. Tian, "MinAtar", arXiv:1903.03176, 2019; rules of the reference v1.0.15,
/// spec `minatar.md` §5). Surfacing costs one diver; surfacing with six gives an oxygen bonus. Each
/// surfacing raises the difficulty. Quirks of the reference are kept: a full rescue leaves the diver
/// count at −1, and an enemy sub still fires in the step it is destroyed.
///
/// ## Action Space
/// `Discrete(6)` for both v0 and v1 (the minimal set is all six): 0 no-op, 1 left, 2 up, 3 right, 4 down,
/// 5 fire.
///
/// ## Observation Space
/// `Box(0, 1, [10, 10, 10])` Float32, channels-first: 0 sub front, 1 sub back, 2 friendly bullet, 3 trail,
/// 4 enemy bullet, 5 enemy fish, 6 enemy sub, 7 oxygen gauge, 8 diver gauge, 9 diver.
///
/// ## Rewards
/// +1 per enemy destroyed, plus `oxygen·10/200` (0–10) when surfacing with six divers.
///
/// ## Starting State
/// Sub at column 5 on the surface (row 0) facing left, oxygen 200, no divers, no enemies. The first enemy
/// spawns at step 21, the first diver at step 31.
///
/// ## Episode End
/// Terminated by a collision with an enemy or enemy bullet, running out of oxygen (the 201st step under
/// water), or surfacing with no divers. Truncated only by `maxEpisodeSteps`.
///
/// ## Arguments
/// `MinAtarOptions`: `stickyActionProbability` (0.1), `difficultyRamping` (true), `maxEpisodeSteps` (nil),
/// `renderScale` (16).
///
/// ## Version History
/// - v1: minimal action set (all 6). - v0: all 6 actions. Both follow MinAtar 1.0.15.
public final class Seaquest: Environment {
    /// `MinAtar/Seaquest-v0` or `-v1`.
    public let id: String
    /// `Box(0, 1, [10, 10, 10])`.
    public let observationSpace: Space = .box(shape: [SeaquestGame.channelCount, 10, 10], low: 0, high: 1)
    /// `Discrete(6)` (v0) or `Discrete(6)` (v1).
    public let actionSpace: Space
    var core: MinAtarCore
    var game = SeaquestGame()

    /// A Seaquest environment: v1 (minimal actions) when `minimalActionSet`, else v0.
    public init(minimalActionSet: Bool = true, options: MinAtarOptions = MinAtarOptions()) throws {
        core = try MinAtarCore(game: SeaquestGame.name,
                               minimalSet: minimalActionSet ? SeaquestGame.minimalActionSet : nil, options: options)
        id = core.id
        actionSpace = core.actionSpace
    }

    /// Starts an episode (re-seeding when `seed` is given) and writes the first observation.
    public func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
        core.startEpisode(seed: seed)
        game.reset(rng: &core.rng)
        game.write(into: core.clearedBoard(observation, channels: SeaquestGame.channelCount))
    }

    /// Advances one step (sticky draw first, then the game's draws) and writes the observation.
    public func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        let executed = try core.executedAction(for: action)
        let reward = game.act(executed, rng: &core.rng, ramping: core.difficultyRamping)
        let transition = core.finishStep(reward: reward, terminal: game.terminal)
        game.write(into: core.clearedBoard(observation, channels: SeaquestGame.channelCount))
        return transition
    }

    /// How many times difficulty has ramped this episode (one per surfacing with divers) — the reference's `difficulty_ramp()`.
    public var rampIndex: Int { game.rampIndex }

    /// The board, `renderScale` pixels a cell, one cubehelix colour per channel on black.
    public func render() -> Frame? { MinAtarPalette.frame(of: game, scale: core.renderScale) }
}
