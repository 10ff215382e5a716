import LatticeRL

/// The arguments shared by every MinAtar game (`MinAtar/<Game>-v0` and `-v1`).
///
/// The defaults are the reference's (`sticky_action_prob=0.1`, `difficulty_ramping=True`, no time limit).
/// Other libraries use other defaults (gymnax: no sticky actions and a step cap), so every reported
/// result should name these settings.
public struct MinAtarOptions: Sendable, Equatable {
    /// Probability that an action is replaced by the previous executed action (sticky actions), in [0, 1].
    public var stickyActionProbability: Float
    /// Whether difficulty rises over an episode (Asterix by time, Seaquest per surfacing,
    /// Space Invaders per cleared wave); `false` freezes every game at its starting difficulty.
    public var difficultyRamping: Bool
    /// A step cap: when the episode reaches this many steps, the step reports `truncated = true`
    /// (Gymnasium's `TimeLimit`); `nil` means no cap, as in the reference.
    public var maxEpisodeSteps: Int?
    /// Pixels per board cell in `render()` (the frame is `10·renderScale` square).
    public var renderScale: Int

    /// Options with the reference defaults unless given.
    public init(stickyActionProbability: Float = 0.1, difficultyRamping: Bool = true,
                maxEpisodeSteps: Int? = nil, renderScale: Int = 16) {
        self.stickyActionProbability = stickyActionProbability
        self.difficultyRamping = difficultyRamping
        self.maxEpisodeSteps = maxEpisodeSteps
        self.renderScale = renderScale
    }

    /// Throws `EnvironmentError.invalidOption` naming the bad value and its valid range.
    func validate(for id: String) throws(EnvironmentError) {
        guard stickyActionProbability >= 0, stickyActionProbability <= 1 else {
            throw .invalidOption(environment: id, message:
                "stickyActionProbability must lie in [0, 1], got \(stickyActionProbability)")
        }
        if let cap = maxEpisodeSteps, cap < 1 {
            throw .invalidOption(environment: id, message:
                "maxEpisodeSteps must be at least 1 (or nil for no cap), got \(cap)")
        }
        guard renderScale >= 1, renderScale <= 256 else {
            throw .invalidOption(environment: id, message: "renderScale must lie in 1...256, got \(renderScale)")
        }
    }
}
