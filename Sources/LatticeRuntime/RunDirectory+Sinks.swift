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
}
