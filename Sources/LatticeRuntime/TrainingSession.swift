import Foundation

/// Runs one experiment end to end: builds the trainer from the registries, wires the metric sinks
/// (console, `metrics.csv`, TensorBoard) and Ctrl-C handling, trains, and writes `summary.json`.
public struct TrainingSession {
    public var experiment: ExperimentConfig
    public var registries: Registries
    /// The run directory (created by the caller), or `nil` to save nothing.
    public var runDirectory: RunDirectory?
    /// The checkpoint to resume from.
    public var resumeCheckpoint: URL?
    /// Extra callbacks (tests, viewers).
    public var callbacks: [any TrainingCallback] = []
    /// Ctrl-C handling; `nil` for none.
    public var interrupt: InterruptFlag?

    public init(experiment: ExperimentConfig, registries: Registries, runDirectory: RunDirectory?,
                resumeCheckpoint: URL? = nil, callbacks: [any TrainingCallback] = [], interrupt: InterruptFlag? = nil) {
        self.experiment = experiment
        self.registries = registries
        self.runDirectory = runDirectory
        self.resumeCheckpoint = resumeCheckpoint
        self.callbacks = callbacks
        self.interrupt = interrupt
    }

    /// Builds the trainer (config errors surface here, before any training).
    public func makeTrainer() throws -> any Trainer {
        let context = TrainerContext(experiment: experiment, registries: registries, runDirectory: runDirectory,
                                     resumeCheckpoint: resumeCheckpoint)
        let builder = try registries.trainers.make(experiment.trainer.id, config: experiment.trainer.config,
                                                   registries: registries)
        return try builder(context)
    }

    /// Trains and returns the summary (also written to `summary.json`).
    public func run() throws -> TrainingSummary {
        let trainer = try makeTrainer()
        var all = callbacks
        var sink: MultiSink? = nil
        if let run = runDirectory {
            let s = try run.makeMetricsSink(logging: experiment.logging, totalSteps: experiment.budget.steps)
            sink = s
            all.append(MetricsCallback(sink: s))
        }
        if let interrupt { all.append(interrupt.callback) }
        do {
            // The metrics callback closes the sinks on the trainer's `.finished` event.
            let summary = try trainer.train(budget: experiment.budget, callbacks: all)
            try runDirectory?.writeSummary(summary)
            return summary
        } catch {
            sink?.close()
            throw error
        }
    }
}
