import LatticeRL
import LatticeTensor

/// The environment wrapper's part of a MinAtar game: seeding, sticky actions, the v1 action map,
/// episode bookkeeping and the optional step cap. One per environment object.
///
/// Reference semantics kept: one generator serves the sticky draw and the game (the sticky draw comes
/// first in each step, and is made even when the probability is 0); `reset` keeps `lastAction`.
struct MinAtarCore {
    /// Where the episode is.
    enum Phase { case notReset, running, finished }

    let id: String
    let actionSpace: Space
    let actionCount: Int
    /// Action i of the space is full action `(actionMap >> 4i) & 0xF`.
    let actionMap: UInt32
    let stickyActionProbability: Float
    let difficultyRamping: Bool
    /// Step cap, `Int.max` when there is none.
    let maxEpisodeSteps: Int
    let renderScale: Int

    /// The one generator of this environment (seed 0 until `reset(seed:)` gives one).
    var rng = RandomGenerator(seed: 0)
    /// The last executed full action (0..5); sticks across resets, as in the reference.
    var lastAction = 0
    var phase = Phase.notReset
    /// Steps taken in the current episode.
    var elapsedSteps = 0

    /// Builds the wrapper for `game`, with the minimal action set when `minimalSet` is given.
    init(game: String, minimalSet: [Int]?, options: MinAtarOptions) throws(EnvironmentError) {
        id = "MinAtar/\(game)-v\(minimalSet == nil ? 0 : 1)"
        try options.validate(for: id)
        let actions = minimalSet ?? [0, 1, 2, 3, 4, 5]
        var map: UInt32 = 0
        for (i, a) in actions.enumerated() { map |= UInt32(a) << (4 * UInt32(i)) }
        actionMap = map
        actionCount = actions.count
        actionSpace = .discrete(actions.count)
        stickyActionProbability = options.stickyActionProbability
        difficultyRamping = options.difficultyRamping
        maxEpisodeSteps = options.maxEpisodeSteps ?? Int.max
        renderScale = options.renderScale
    }

    /// Starts an episode: re-seeds when a seed is given, keeps the stream otherwise.
    mutating func startEpisode(seed: UInt64?) {
        if let seed { rng = RandomGenerator(seed: seed) }
        phase = .running
        elapsedSteps = 0
    }

    /// Checks the call, maps a v1 index to its full action, applies stickiness
    /// (`u < p` ⇒ repeat `lastAction`) and records the executed action.
    @inline(__always)
    mutating func executedAction(for action: Int) throws(EnvironmentError) -> Int {
        guard phase == .running else {
            throw phase == .notReset ? .notReset(environment: id) : .episodeFinished(environment: id)
        }
        guard action >= 0, action < actionCount else {
            throw .invalidAction(environment: id, action: action, space: actionSpace)
        }
        var full = Int((actionMap >> (4 &* UInt32(truncatingIfNeeded: action))) & 0xF)
        if rng.nextUniform() < stickyActionProbability { full = lastAction }
        lastAction = full
        return full
    }

    /// Closes the step's bookkeeping: `truncated` when the cap is reached (as Gymnasium's `TimeLimit`,
    /// it can be set together with `terminated`).
    @inline(__always)
    mutating func finishStep(reward: Int, terminal: Bool) -> Transition {
        elapsedSteps &+= 1
        let truncated = elapsedSteps >= maxEpisodeSteps
        if terminal || truncated { phase = .finished }
        return Transition(reward: Float(reward), terminated: terminal, truncated: truncated)
    }

    /// Zeroes the caller's observation buffer (which must hold `channels·100` floats) and returns its base.
    @inline(__always)
    func clearedBoard(_ observation: UnsafeMutableBufferPointer<Float>, channels: Int) -> UnsafeMutablePointer<Float> {
        let count = channels &* MinAtarBoard.cellsPerChannel
        precondition(observation.count == count,
                     "\(id): the observation buffer holds \(observation.count) floats; it needs \(count) ([\(channels), 10, 10])")
        let base = observation.baseAddress!
        base.update(repeating: 0, count: count)
        return base
    }
}
