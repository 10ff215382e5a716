import XCTest
import Datasets
import LatticeNN
import LatticeRuntime
import LatticeTensor
import StandardLayers
@testable import Supervised

final class SupervisedTrainerTests: XCTestCase {
    let yaml = """
    name: blobs
    seed: 3
    dataset: {id: Synthetic/Blobs-v0, classes: 3, count: 600}
    model:
      layers:
        - dense: {units: 16}
        - tanh
        - dense: {units: 3}
    trainer: {id: supervised, learningRate: 0.01, batchSize: 32}
    budget: {steps: 120}
    logging: {everySteps: 20, checkpointEvery: 60, keepLast: 5, console: false}
    """

    func registries() throws -> Registries {
        try Registries(modules: [StandardLayersPlugin.self, SupervisedPlugin.self, DatasetsPlugin.self])
    }

    func temporaryRuns() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lattice-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func run(_ experiment: ExperimentConfig, in run: RunDirectory?, resume: URL? = nil,
             interrupt: InterruptFlag? = nil) throws -> (TrainingSummary, SupervisedTrainer) {
        var trainer: SupervisedTrainer?
        let session = TrainingSession(experiment: experiment, registries: try registries(), runDirectory: run,
                                      resumeCheckpoint: resume, interrupt: interrupt)
        let t = try session.makeTrainer() as! SupervisedTrainer
        trainer = t
        // Run through the session's wiring but with the trainer we can inspect.
        var callbacks: [any TrainingCallback] = []
        var sink: MultiSink?
        if let run { sink = try run.makeMetricsSink(logging: experiment.logging); callbacks.append(MetricsCallback(sink: sink!)) }
        if let interrupt { callbacks.append(interrupt.callback) }
        let summary = try t.train(budget: experiment.budget, callbacks: callbacks)
        try run?.writeSummary(summary)
        return (summary, trainer!)
    }

    func testRunWritesEveryArtifactAndLearns() throws {
        let experiment = try ExperimentConfig(yaml: yaml)
        let dir = try RunDirectory.create(for: experiment, base: try temporaryRuns())
        let (summary, _) = try run(experiment, in: dir)
        XCTAssertEqual(summary.steps, 120)
        XCTAssertGreaterThan(summary.finalMetrics["test/accuracy"] ?? 0, 0.9)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
        XCTAssertTrue(files.contains("config.yaml"))
        XCTAssertTrue(files.contains("metrics.csv"))
        XCTAssertTrue(files.contains("summary.json"))
        XCTAssertTrue(files.contains { $0.hasPrefix("events.out.tfevents.") })
        XCTAssertEqual(try dir.checkpoints().map(\.step), [60, 120])
        let csv = try String(contentsOf: dir.metricsURL, encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(csv[0].contains("train/loss"))
        // 480 training examples / 32 = 15 steps an epoch: rows every 20 steps and at each epoch's end
        // (15, 20, 30, 40, 45, 60, 75, 80, 90, 100, 105, 120).
        XCTAssertEqual(csv.count, 1 + 12)
        // The saved config re-runs the experiment: it parses back to the same tree.
        XCTAssertEqual(try ExperimentConfig(contentsOf: dir.configURL).root, experiment.root)
    }

    func testResumedRunEqualsUninterruptedRun() throws {
        let base = try temporaryRuns()
        let full = try ExperimentConfig(yaml: yaml)
        let (fullSummary, fullTrainer) = try run(full, in: try RunDirectory.create(for: full, base: base))

        let half = try ExperimentConfig(yaml: yaml, overrides: ["budget.steps=60"])
        let halfDir = try RunDirectory.create(for: half, base: base)
        _ = try run(half, in: halfDir)
        let checkpoint = try XCTUnwrap(try halfDir.latestCheckpoint())
        let (resumedSummary, resumedTrainer) = try run(full, in: halfDir, resume: checkpoint)

        XCTAssertEqual(resumedSummary.steps, fullSummary.steps)
        for ((name, a), (_, b)) in zip(fullTrainer.model.namedParameters(), resumedTrainer.model.namedParameters()) {
            XCTAssertEqual(a.value.scalars, b.value.scalars, "parameter \(name) differs after resuming")
        }
        XCTAssertEqual(resumedSummary.finalMetrics["test/loss"], fullSummary.finalMetrics["test/loss"])
    }

    func testSameSeedSameNumbers() throws {
        let experiment = try ExperimentConfig(yaml: yaml, overrides: ["budget.steps=40"])
        let (a, ta) = try run(experiment, in: nil)
        let (b, tb) = try run(experiment, in: nil)
        XCTAssertEqual(a.finalMetrics["train/loss"], b.finalMetrics["train/loss"])
        XCTAssertEqual(ta.model.parameters.map(\.value.scalars), tb.model.parameters.map(\.value.scalars))
        let (_, tc) = try run(try ExperimentConfig(yaml: yaml, overrides: ["budget.steps=40", "seed=4"]), in: nil)
        XCTAssertNotEqual(ta.model.parameters[0].value.scalars, tc.model.parameters[0].value.scalars)
    }

    func testDivergenceStopsWithStepMetricAndCheckpoint() throws {
        // 60 good steps, then resume with an absurd learning rate: the run must stop at once, naming the
        // step, what went non-finite and the last good checkpoint — and write no checkpoint of the bad state.
        let half = try ExperimentConfig(yaml: yaml, overrides: ["budget.steps=60"])
        let dir = try RunDirectory.create(for: half, base: try temporaryRuns())
        _ = try run(half, in: dir)
        let bad = try ExperimentConfig(yaml: yaml, overrides: ["trainer.learningRate=1e38", "logging.everySteps=1"])
        let (summary, _) = try run(bad, in: dir, resume: try dir.latestCheckpoint())
        guard case .diverged(let message) = summary.stopReason else {
            return XCTFail("expected a divergence stop, got \(summary.stopReason)")
        }
        XCTAssertTrue(message.hasPrefix("step 61: ") || message.hasPrefix("step 62: "), message)  // within two steps of the jump
        XCTAssertTrue(message.contains("is not finite") || message.contains("train/loss is"), message)
        XCTAssertTrue(message.hasSuffix("last good checkpoint: checkpoints/step-000000060.safetensors"), message)
        XCTAssertEqual(try dir.checkpoints().map(\.step), [60])
    }

    func testInterruptStopsCleanlyWithAFinalCheckpoint() throws {
        let experiment = try ExperimentConfig(yaml: yaml)
        let dir = try RunDirectory.create(for: experiment, base: try temporaryRuns())
        let flag = InterruptFlag(installHandler: false)
        flag.raise()
        let (summary, _) = try run(experiment, in: dir, interrupt: flag)
        XCTAssertEqual(summary.stopReason, .requested("interrupted (Ctrl-C)"))
        XCTAssertEqual(summary.steps, 15, "stops at the first metrics event (the end of epoch 1)")
        XCTAssertEqual(try dir.checkpoints().map(\.step), [15])
    }

    func testStepDecayOfTheLearningRate() throws {
        let experiment = try ExperimentConfig(yaml: yaml, overrides: ["budget.steps=25", "+trainer.learningRateDecayEvery=10",
                                                                      "+trainer.learningRateDecay=0.5"])
        let (_, trainer) = try run(experiment, in: nil)
        XCTAssertEqual(trainer.config.schedule.rate(at: 9), 0.01)
        XCTAssertEqual(trainer.config.schedule.rate(at: 10), 0.005)
        XCTAssertEqual(trainer.optimizer.learningRate, 0.0025, "the last update (step 24) used 0.01·0.5²")
        let constant = try ExperimentConfig(yaml: yaml, overrides: ["budget.steps=25"])
        XCTAssertEqual(try run(constant, in: nil).1.optimizer.learningRate, 0.01)
    }

    func testUnknownTrainerKeyIsAConfigErrorWithPosition() throws {
        let bad = yaml.replacingOccurrences(of: "batchSize: 32", with: "batchSise: 32")
        let experiment = try ExperimentConfig(yaml: bad, file: "bad.yaml")
        let session = TrainingSession(experiment: experiment, registries: try registries(), runDirectory: nil)
        XCTAssertThrowsError(try session.makeTrainer()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("bad.yaml:9:"), text)
            XCTAssertTrue(text.contains("did you mean 'batchSize'"), text)
        }
    }

    func testShapeErrorNamesTheLayer() throws {
        let bad = yaml.replacingOccurrences(of: "- dense: {units: 16}", with: "- conv2d: {filters: 4, kernel: 3}")
        let experiment = try ExperimentConfig(yaml: bad, file: "bad.yaml")
        let session = TrainingSession(experiment: experiment, registries: try registries(), runDirectory: nil)
        XCTAssertThrowsError(try session.makeTrainer()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("model.layers.0"), text)
            XCTAssertTrue(text.contains("[32, 2]"), text)
        }
    }
}
