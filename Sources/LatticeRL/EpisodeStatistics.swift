import LatticeTensor

/// Records each episode's undiscounted return, length and wall time, and changes nothing else.
///
/// `lastEpisode` is the most recent finished episode; `recentEpisodes` keeps the last `historyLength`
/// (100 by default, as Stable-Baselines3's `ep_info_buffer`) for smoothed curves.
public final class EpisodeStatistics: Environment {
    /// The wrapped environment.
    public let environment: any Environment
    /// How many finished episodes `recentEpisodes` keeps.
    public let historyLength: Int
    /// The most recent finished episode, or `nil` before the first one ends.
    public private(set) var lastEpisode: EpisodeRecord?
    /// Up to `historyLength` finished episodes, oldest first.
    public private(set) var recentEpisodes: [EpisodeRecord] = []
    /// The number of episodes finished since this wrapper was made.
    public private(set) var finishedEpisodeCount = 0
    /// The return `Σ r_t` of the running episode so far.
    public private(set) var runningReturn: Double = 0
    /// The number of steps of the running episode so far.
    public private(set) var runningLength = 0
    private var startNanoseconds: UInt64 = 0

    /// Records the episodes of `environment`, keeping the last `historyLength` of them.
    public init(_ environment: any Environment, historyLength: Int = 100) {
        self.environment = environment
        self.historyLength = max(1, historyLength)
        recentEpisodes.reserveCapacity(self.historyLength)
    }

    /// The wrapped environment's id.
    public var id: String { environment.id }
    /// The wrapped environment's observation space.
    public var observationSpace: Space { environment.observationSpace }
    /// The wrapped environment's action space.
    public var actionSpace: Space { environment.actionSpace }
    /// The mean return of `recentEpisodes`, or `nil` if none finished yet.
    public var meanRecentReturn: Double? {
        recentEpisodes.isEmpty ? nil : recentEpisodes.reduce(0) { $0 + $1.episodeReturn } / Double(recentEpisodes.count)
    }

    /// Resets the wrapped environment and starts counting a new episode.
    public func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
        environment.reset(seed: seed, into: observation)
        runningReturn = 0
        runningLength = 0
        startNanoseconds = monotonicNanoseconds()
    }

    /// Steps the wrapped environment and adds the reward; records the episode when it ends.
    public func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        let t = try environment.step(action, into: observation)
        runningReturn += Double(t.reward)
        runningLength &+= 1
        if t.isDone {
            let record = EpisodeRecord(
                episodeReturn: runningReturn, length: runningLength,
                duration: Double(monotonicNanoseconds() &- startNanoseconds) * 1e-9,
                truncated: t.truncated && !t.terminated)
            lastEpisode = record
            finishedEpisodeCount &+= 1
            if recentEpisodes.count == historyLength { recentEpisodes.removeFirst() }
            recentEpisodes.append(record)
        }
        return t
    }

    /// The wrapped environment's frame.
    public func render() -> Frame? { environment.render() }
}
