import Dispatch

/// The statistics of one finished episode: its undiscounted return, its length and its wall time.
///
/// Returned by `EpisodeStatistics` (the wrapper) and by vector environments for every copy that finishes.
public struct EpisodeRecord: Sendable, Equatable, CustomStringConvertible {
    /// The copy of a vector environment the episode ran in (0 for a single environment).
    public var index: Int
    /// The undiscounted return `Σ_t r_t`, summed in Double.
    public var episodeReturn: Double
    /// The number of `step` calls from `reset` to the end of the episode.
    public var length: Int
    /// The wall-clock time from the `reset` that started the episode to the step that ended it, in seconds.
    public var duration: Double
    /// Whether the episode ended by truncation (a time limit) rather than termination.
    public var truncated: Bool

    /// An episode record.
    public init(index: Int = 0, episodeReturn: Double, length: Int, duration: Double = 0, truncated: Bool = false) {
        self.index = index
        self.episodeReturn = episodeReturn
        self.length = length
        self.duration = duration
        self.truncated = truncated
    }

    /// The same record without its wall time (for comparing runs, whose timings always differ).
    public var withoutTiming: EpisodeRecord {
        var r = self
        r.duration = 0
        return r
    }

    /// `episode 3: return 12.0, length 140, 0.012 s`.
    public var description: String {
        let seconds = (duration * 1000).rounded() / 1000
        return "copy \(index): return \(episodeReturn), length \(length)\(truncated ? " (truncated)" : ""), \(seconds) s"
    }
}

/// A monotonic clock reading in nanoseconds, for episode wall times.
@inline(__always) func monotonicNanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
