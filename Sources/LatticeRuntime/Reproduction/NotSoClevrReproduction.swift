import Foundation

/// `lattice reproduce notsoclevr`: trains the twelve Not-so-Clevr cells (three tasks × two splits ×
/// {conv baseline, CoordConv}) from `Examples/notsoclevr/`, with the configs' fixed seeds and budgets,
/// and writes `report.md`, `report.json` and plots of the test metric against training time.
///
/// Each cell may list several settings (config overrides); all are run and the cell reports the best,
/// while a second table lists what every setting gave. `quick` runs only each cell's first setting,
/// for `quickSeconds` each — the whole reduced reproduction takes about a minute and a half.
public struct NotSoClevrReproduction {
    /// The result of one setting of one cell.
    public struct Result: Codable, Sendable {
        /// The cell.
        public var cell: NotSoClevrCell
        /// The overrides of this setting (empty: the config as written).
        public var setting: [String]
        /// Model parameters.
        public var parameters: Int
        /// The cell's metric on the whole train split at the end (evaluation mode).
        public var trainMetric: Double?
        /// The best test metric seen at any evaluation.
        public var testMetric: Double?
        /// The test metric at the last evaluation.
        public var finalTestMetric: Double?
        /// Training seconds (evaluations excluded) when the best test metric was first reached.
        public var secondsToBest: Double?
        /// Training CPU seconds (all threads, evaluations excluded) when the best test metric was first reached.
        public var cpuSecondsToBest: Double?
        /// Training seconds in all.
        public var trainingSeconds: Double
        /// Optimizer steps.
        public var steps: Int
        /// The run's directory, relative to the report.
        public var run: String?
        /// (training seconds, test metric) at every evaluation.
        public var curve: [[Double]]
    }

    /// The plugin registries.
    public var registries: Registries
    /// The directory holding the twelve configs.
    public var examples: URL
    /// Run the reduced version.
    public var quick: Bool
    /// The training budget of a cell in quick mode, seconds.
    public var quickSeconds = 4.0
    /// The cells to run (default: all twelve).
    public var cells = NotSoClevrCell.all
    /// Settings tried per cell in the full run (config overrides); the first one is the config as written.
    public var settings: [String: [[String]]] = NotSoClevrReproduction.defaultSettings
    /// Overrides applied to every cell after its setting's own (e.g. `budget={seconds: 600}`).
    public var extraOverrides: [String] = []
    /// Receives one line per finished setting.
    public var log: (String) -> Void = { print($0) }

    /// The settings the full run tries per cell besides the config as written (none by default: on this
    /// shared 2-core machine the full run affords one setting per cell within 30 minutes; the configs' comments
    /// record the other settings tried). The paper swept 324–648 settings per conv baseline.
    public static let defaultSettings: [String: [[String]]] = [:]

    /// A reproduction reading configs from `examples`.
    public init(registries: Registries, examples: URL, quick: Bool) {
        self.registries = registries
        self.examples = examples
        self.quick = quick
    }

    /// Runs every cell and setting, writing the runs under `directory/runs/` and the report into `directory`.
    public func run(into directory: URL) throws -> [Result] {
        let runner = InProcessRunner(registries: registries, parent: directory.appendingPathComponent("runs"))
        var results: [Result] = []
        for cell in cells {
            let tried = quick ? [[]] : (settings[cell.name] ?? [[]])
            for setting in tried {
                var overrides = setting + extraOverrides + ["logging.console=false", "logging.tensorboard=false"]
                // Quick: the whole budget replaced by the time (a config may budget steps instead).
                overrides += quick ? ["budget={seconds: \(quickSeconds)}", "trainer.finalTrainEvaluation=false"]
                                   : ["trainer.finalTrainEvaluation=true"]
                let url = examples.appendingPathComponent(cell.name + ".yaml")
                let experiment = try ExperimentConfig(contentsOf: url, overrides: overrides)
                let (summary, history, run) = try runner.run(experiment, name: cell.name)
                let result = Self.result(cell, setting: setting + extraOverrides, summary: summary, history: history,
                                         run: run.map { "runs/" + $0.url.lastPathComponent })
                log(Self.describe(result))
                results.append(result)
            }
        }
        try NotSoClevrReport(results: results, quick: quick, quickSeconds: quickSeconds).write(into: directory)
        return results
    }

    /// Summarises a finished run.
    static func result(_ cell: NotSoClevrCell, setting: [String], summary: TrainingSummary, history: MetricHistory,
                       run: String?) -> Result {
        let key = "test/" + cell.metric
        let best = history.best(key, higherIsBetter: cell.higherIsBetter, timeKey: "charts/trainingSeconds")
        // The whole train split at the end when evaluated (full runs), else the last running mean (quick runs).
        let trainKey = "final/train" + cell.metric.prefix(1).uppercased() + cell.metric.dropFirst()
        let curve = history.series(key, against: "charts/trainingSeconds").map { [$0.x, $0.y] }
        return Result(cell: cell, setting: setting, parameters: history.parameterCount ?? 0,
                      trainMetric: history.last(trainKey) ?? history.last("train/" + cell.metric), testMetric: best?.value, finalTestMetric: history.last(key),
                      secondsToBest: best?.time,
                      cpuSecondsToBest: history.best(key, higherIsBetter: cell.higherIsBetter, timeKey: "charts/trainingCPUSeconds")?.time,
                      trainingSeconds: history.last("charts/trainingSeconds") ?? summary.seconds,
                      steps: summary.steps, run: run, curve: curve)
    }

    /// One log line: cell, setting, metrics.
    static func describe(_ r: Result) -> String {
        let setting = r.setting.isEmpty ? "as configured" : r.setting.joined(separator: " ")
        return "\(r.cell.name) [\(setting)]: \(r.parameters) params, \(r.steps) steps, "
            + "train \(NotSoClevrReport.format(r.trainMetric, r.cell)), best test \(NotSoClevrReport.format(r.testMetric, r.cell))"
            + " at \(r.secondsToBest.map { String(format: "%.1f s", $0) } ?? "—")"
    }
}
