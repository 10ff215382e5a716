import LatticeRL
import LatticeTensor

/// MinAtar Freeway (`MinAtar/Freeway-v0`, `MinAtar/Freeway-v1`).
///
/// ## Description
/// A chicken in column 4 crosses eight lanes of traffic from row 9 to row 0 (K. Young and T. Tian,
/// "MinAtar", arXiv:1903.03176, 2019; rules of the reference v1.0.15, spec `minatar.md` §4). A car of speed
/// s moves one cell every s+1 steps, wrapping around; a hit sends the chicken back to row 9. The chicken
/// can move once every 3 steps. Each crossing re-draws the cars' speeds and directions.
///
/// ## Action Space
/// `Discrete(6)` for v0: 0 no-op, 1 left, 2 up, 3 right, 4 down, 5 fire (only up and down act).
/// `Discrete(3)` for v1, the minimal set `[0, 2, 4]`.
///
/// ## Observation Space
/// `Box(0, 1, [7, 10, 10])` Float32, channels-first: 0 chicken, 1 car, 2–6 the trail behind a car of
/// speed 1–5.
///
/// ## Rewards
/// +1 for each crossing (reaching row 0).
///
/// ## Starting State
/// Chicken on row 9; cars on rows 1–8 at column 0 with speeds 1–5 and random directions.
///
/// ## Episode End
/// Terminated after exactly 2501 steps (the reference's 2500-step timer runs below 0); there is no other
/// end. Truncated only by `maxEpisodeSteps`.
///
/// ## Arguments
/// `MinAtarOptions`: `stickyActionProbability` (0.1), `maxEpisodeSteps` (nil), `renderScale` (16);
/// `difficultyRamping` has no effect.
///
/// ## Version History
/// - v1: minimal action set. - v0: all 6 actions. Both follow MinAtar 1.0.15.
public final class Freeway: Environment {
    /// `MinAtar/Freeway-v0` or `-v1`.
    public let id: String
    /// `Box(0, 1, [7, 10, 10])`.
    public let observationSpace: Space = .box(shape: [FreewayGame.channelCount, 10, 10], low: 0, high: 1)
    /// `Discrete(6)` (v0) or `Discrete(3)` (v1).
    public let actionSpace: Space
    var core: MinAtarCore
    var game = FreewayGame()

    /// A Freeway environment: v1 (minimal actions) when `minimalActionSet`, else v0.
    public init(minimalActionSet: Bool = true, options: MinAtarOptions = MinAtarOptions()) throws {
        core = try MinAtarCore(game: FreewayGame.name,
                               minimalSet: minimalActionSet ? FreewayGame.minimalActionSet : nil, options: options)
        id = core.id
        actionSpace = core.actionSpace
    }

    /// Starts an episode (re-seeding when `seed` is given) and writes the first observation.
    public func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
        core.startEpisode(seed: seed)
        game.reset(rng: &core.rng)
        game.write(into: core.clearedBoard(observation, channels: FreewayGame.channelCount))
    }

    /// Advances one step (sticky draw first, then the game's draws) and writes the observation.
    public func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        let executed = try core.executedAction(for: action)
        let reward = game.act(executed, rng: &core.rng, ramping: core.difficultyRamping)
        let transition = core.finishStep(reward: reward, terminal: game.terminal)
        game.write(into: core.clearedBoard(observation, channels: FreewayGame.channelCount))
        return transition
    }

    /// The board, `renderScale` pixels a cell, one cubehelix colour per channel on black.
    public func render() -> Frame? { MinAtarPalette.frame(of: game, scale: core.renderScale) }
}
