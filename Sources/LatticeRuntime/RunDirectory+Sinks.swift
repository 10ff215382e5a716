import Foundation

extension RunDirectory {
    /// The sinks `logging` asks for, writing into this run: `metrics.csv`, a TensorBoard event file in
    /// the run directory, and the console progress line (`totalSteps` gives its ETA).
    public func makeMetricsSink(logging: LoggingConfig, totalSteps: Int? = nil) throws -> MultiSink {
        var sinks: [any MetricsSink] = []
        if logging.csv { sinks.append(try CSVSink(url: metricsURL)) }
        if logging.tensorboard { sinks.append(try TensorBoardSink(directory: url)) }
        if logging.console { sinks.append(ConsoleSink(totalSteps: totalSteps)) }
        return MultiSink(sinks)
    }

    /// Creates the run directory for `experiment` under its `logging.runsDirectory` (relative paths
    /// are taken from `base`, by default the working directory) and writes the resolved `config.yaml`.
    public static func create(for experiment: ExperimentConfig, base: URL? = nil, date: Date = Date()) throws -> RunDirectory {
        let runs = experiment.logging.runsDirectory
        let parent = runs.hasPrefix("/")
            ? URL(fileURLWithPath: runs)
            : (base ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).appendingPathComponent(runs)
        let run = try create(in: parent, name: experiment.name, date: date)
        try run.writeConfig(experiment.resolvedYAML)
        return run
    }

    /// Makes `url` the run directory of `experiment` (created if missing, with `checkpoints/` and `media/`)
    /// and writes its config; refuses a directory that already holds a run (a `config.yaml`), so a finished
    /// run is never overwritten.
    public static func create(at url: URL, for experiment: ExperimentConfig) throws -> RunDirectory {
        let run = RunDirectory(url: url)
        let fm = FileManager.default
        if fm.fileExists(atPath: run.configURL.path) {
            throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: run.configURL.path,
                NSLocalizedDescriptionKey: "\(url.path) already holds a run (config.yaml); choose another directory"])
        }
        try fm.createDirectory(at: run.checkpointsURL, withIntermediateDirectories: true)
        try fm.createDirectory(at: run.mediaURL, withIntermediateDirectories: true)
        try run.writeConfig(experiment.resolvedYAML)
        return run
    }
}
