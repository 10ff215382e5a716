import XCTest
import Foundation
import A2C
import CoordConv
import GridWorld
import LatticeRuntime
import MinAtar
import PPO
import StandardLayers

/// Registries and run helpers shared by the RL trainer tests.
enum RLTestSupport {
    /// Every module these tests use.
    static func registries() throws -> Registries {
        try Registries(modules: [StandardLayersPlugin.self, CoordConvPlugin.self, A2CPlugin.self, PPOPlugin.self,
                                 GridWorldPlugin.self, MinAtarPlugin.self])
    }

    /// A config for `environment` with a small conv trunk (`conv` = conv2d or coordconv2d), the trainer
    /// section `trainer` (flow-style YAML) and a step budget. Logging is quiet.
    static func config(name: String = "test", seed: UInt64 = 1, environment: String, conv: String = "conv2d",
                       hidden: Int = 64, trainer: String, steps: Int, everySteps: Int = 2048) -> String {
        """
        name: \(name)
        seed: \(seed)
        environment: \(environment)
        model:
          trunk:
            - \(conv): {filters: 16, kernel: 3}
            - relu
            - flatten
            - dense: {units: \(hidden)}
            - relu
        trainer: \(trainer)
        budget: {steps: \(steps)}
        logging: {everySteps: \(everySteps), console: false, keepLast: 2}
        """
    }

    /// A fresh temporary directory removed after the test.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lattice-rl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Trains `yaml` (no run directory unless `run` is given) and returns the summary, the trainer and every
    /// metrics event.
    static func train(_ yaml: String, run: RunDirectory? = nil, resume: URL? = nil)
        throws -> (summary: TrainingSummary, trainer: any Trainer, metrics: [(step: Int, metrics: [String: Double])]) {
        let experiment = try ExperimentConfig(yaml: yaml)
        try run?.writeConfig(experiment.resolvedYAML)
        let session = TrainingSession(experiment: experiment, registries: try registries(), runDirectory: run, resumeCheckpoint: resume)
        let trainer = try session.makeTrainer()
        let history = MetricHistory()
        let summary = try trainer.train(budget: experiment.budget, callbacks: [history])
        return (summary, trainer, history.rows)
    }
}
