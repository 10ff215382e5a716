import Foundation

/// Runs experiment configs in this process (for `lattice reproduce …` and its tests): a run directory
/// per config under a parent, the usual sinks, and a `MetricHistory` of the run.
public struct InProcessRunner {
    /// The plugin registries.
    public var registries: Registries
    /// The parent directory of the runs' directories (`nil`: no files are written).
    public var parent: URL?

    /// A runner writing runs under `parent`.
    public init(registries: Registries, parent: URL?) {
        self.registries = registries
        self.parent = parent
    }

    /// Trains `experiment` to its budget; returns the summary, the metric history and the run directory.
    public func run(_ experiment: ExperimentConfig, name: String? = nil) throws
        -> (summary: TrainingSummary, history: MetricHistory, directory: RunDirectory?) {
        var directory: RunDirectory? = nil
        if let parent {
            let run = try RunDirectory.create(in: parent, name: name ?? experiment.name)
            try run.writeConfig(experiment.resolvedYAML)
            directory = run
        }
        let history = MetricHistory()
        let session = TrainingSession(experiment: experiment, registries: registries, runDirectory: directory,
                                      callbacks: [history])
        let summary = try session.run()
        return (summary, history, directory)
    }
}
