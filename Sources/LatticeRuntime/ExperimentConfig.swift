import Foundation

/// A component chosen by id with its parameters: `environment: MinAtar/Breakout-v1`, or
/// `trainer: {id: ppo, learningRate: 2.5e-4}` (the `id` key plus parameters in the same mapping, so
/// `trainer.learningRate=1e-3` overrides a parameter directly).
public struct ComponentSpec: Sendable, Equatable {
    /// The registry id.
    public var id: String
    /// The parameters: the section without its `id` key (positions kept).
    public var config: ConfigNode

    /// Reads a component section; `id` is required.
    public init(node: ConfigNode) throws {
        if let id = node.stringValue {
            self.id = id
            config = ConfigNode(.mapping([]), location: node.location, path: node.path)
            return
        }
        guard node.entries != nil else {
            throw node.typeMismatch(expected: "an id or a mapping with 'id:' and parameters")
        }
        id = try node.decode(String.self, "id")
        var params = node
        params.content = .mapping(node.entries!.filter { $0.key != "id" })
        config = params
    }
}

/// How a run logs: which sinks, how often, and checkpoint rotation.
public struct LoggingConfig: Sendable, Equatable {
    /// Keys of the `logging` section.
    public static let keys = ["console", "csv", "tensorboard", "everySteps", "checkpointEvery", "keepLast", "runsDirectory"]
    /// Print progress on stderr.
    public var console = true
    /// Write `metrics.csv`.
    public var csv = true
    /// Write a TensorBoard event file.
    public var tensorboard = true
    /// Metrics are logged every this many steps.
    public var everySteps = 1000
    /// A checkpoint every this many steps (0 = only at the end).
    public var checkpointEvery = 0
    /// Keep this many newest checkpoints (0 = keep all).
    public var keepLast = 3
    /// The parent directory of run directories.
    public var runsDirectory = "runs"

    /// Defaults.
    public init() {}

    /// Reads the `logging` section (absent keys keep their defaults).
    public init(node: ConfigNode) throws {
        let s = try node.requireMapping()
        try s.checkNoUnknownKeys(allowed: Self.keys)
        console = try s.decode(Bool.self, "console", default: console)
        csv = try s.decode(Bool.self, "csv", default: csv)
        tensorboard = try s.decode(Bool.self, "tensorboard", default: tensorboard)
        everySteps = try s.decode(Int.self, "everySteps", default: everySteps)
        try s.require("everySteps", everySteps > 0, "everySteps must be at least 1")
        checkpointEvery = try s.decode(Int.self, "checkpointEvery", default: checkpointEvery)
        keepLast = try s.decode(Int.self, "keepLast", default: keepLast)
        try s.require("keepLast", keepLast >= 0, "keepLast must be 0 (keep all) or more")
        runsDirectory = try s.decode(String.self, "runsDirectory", default: runsDirectory)
    }
}

/// One experiment's config file: `name`, `seed`, `environment` or `dataset`, `model`, `trainer`,
/// `budget`, `logging`. Validates the top level; each plugin validates its own section.
///
/// ```yaml
/// name: breakout-coordconv
/// seed: 1
/// environment: MinAtar/Breakout-v1          # or {id: MinAtar/Breakout-v1, stickyActionProbability: 0.1}
/// model:
///   trunk:
///     - coordconv2d: {filters: 16, kernel: 3}
///     - relu
///     - flatten
///   policyHead: [{dense: {units: 128}}, relu]
///   valueHead: [{dense: {units: 128}}, relu]
/// trainer: {id: ppo, learningRate: 2.5e-4}  # parameters next to the id: `trainer.learningRate=1e-3`
/// budget: {steps: 5000000}
/// logging: {everySteps: 10000, checkpointEvery: 500000, keepLast: 3}
/// ```
public struct ExperimentConfig: Sendable, Equatable {
    /// The top-level keys.
    public static let keys = ["name", "description", "seed", "environment", "dataset", "model", "trainer", "budget", "logging"]

    /// The whole tree after overrides (what `config.yaml` in the run holds).
    public var root: ConfigNode
    /// The experiment name (run directories are `<name>-<timestamp>`).
    public var name: String
    /// The seed of every generator in the run.
    public var seed: UInt64
    /// The environment, for RL experiments.
    public var environment: ComponentSpec?
    /// The dataset, for supervised and GAN experiments.
    public var dataset: ComponentSpec?
    /// The model's networks.
    public var model: ModelSpec
    /// The trainer and its hyperparameters.
    public var trainer: ComponentSpec
    /// The training budget (`budget: {steps: 1000000}`).
    public var budget: TrainingBudget
    /// Logging options.
    public var logging: LoggingConfig

    /// Validates a parsed tree.
    public init(root: ConfigNode) throws {
        let r = try root.requireMapping()
        self.root = r
        try r.checkNoUnknownKeys(allowed: Self.keys)
        name = try r.decode(String.self, "name")
        seed = try r.decode(UInt64.self, "seed", default: 0)
        environment = try r["environment"].map(ComponentSpec.init(node:))
        dataset = try r["dataset"].map(ComponentSpec.init(node:))
        if environment == nil && dataset == nil {
            throw ConfigError(.missingKey("environment"), at: r.location, path: "",
                              "missing 'environment' (RL) or 'dataset' (supervised, GAN); add one of them")
        }
        if environment != nil && dataset != nil, let loc = r.entry("dataset")?.keyLocation {
            throw ConfigError(.invalidValue, at: loc, path: "dataset",
                              "give either 'environment' or 'dataset', not both; remove one")
        }
        model = try ModelSpec(node: r["model"] ?? ConfigNode(.mapping([]), path: ["model"]))
        guard let trainerNode = r["trainer"] else {
            throw ConfigError(.missingKey("trainer"), at: r.location, path: "", "missing 'trainer'; add 'trainer: {id: …}'")
        }
        trainer = try ComponentSpec(node: trainerNode)
        let b = try (r["budget"] ?? ConfigNode(.mapping([]), path: ["budget"])).requireMapping()
        try b.checkNoUnknownKeys(allowed: ["steps", "epochs", "seconds"])
        budget = TrainingBudget(steps: try b.decodeIfPresent(Int.self, "steps"),
                                epochs: try b.decodeIfPresent(Int.self, "epochs"),
                                seconds: try b.decodeIfPresent(Double.self, "seconds"))
        logging = try r["logging"].map(LoggingConfig.init(node:)) ?? LoggingConfig()
    }

    /// Parses YAML text, applies `overrides` and validates.
    public init(yaml: String, file: String = "<string>", overrides: [String] = []) throws {
        try self.init(root: try ConfigNode.parse(yaml: yaml, file: file).applying(overrides: overrides))
    }

    /// Loads a file, applies `overrides` and validates.
    public init(contentsOf url: URL, overrides: [String] = []) throws {
        try self.init(root: try ConfigNode.load(contentsOf: url).applying(overrides: overrides))
    }

    /// The resolved config as YAML (what re-runs this experiment exactly).
    public var resolvedYAML: String { YAMLWriter.write(root) }
}
