import XCTest
import CoordConv
import Datasets
import LatticeNN
import LatticeRuntime
import LatticeTensor
import StandardLayers
@testable import GAN

/// The `gan` trainer: config errors, losses, evaluation mode, checkpoints, media, and a learning test.
final class GANTrainerTests: XCTestCase {
    /// A small conv GAN on Squares (the bench's dcgan-half, narrower), `extra` appended to the trainer.
    func yaml(steps: Int = 4, sampleEvery: Int = 0, trainer extra: String = "", generatorLast: String = "convTranspose2d: {filters: 1, kernel: 4, stride: 2, padding: 1}",
              discriminatorLast: String = "dense: {units: 1}") -> String {
        """
        name: gan-test
        seed: 7
        dataset: {id: GAN/Squares-v0, count: 5000}
        model:
          generator:
            - dense: {units: 512}
            - reshape: {shape: [32, 4, 4]}
            - batchNorm2d
            - relu
            - convTranspose2d: {filters: 16, kernel: 4, stride: 2, padding: 1}
            - batchNorm2d
            - relu
            - convTranspose2d: {filters: 8, kernel: 4, stride: 2, padding: 1}
            - batchNorm2d
            - relu
            - convTranspose2d: {filters: 8, kernel: 4, stride: 2, padding: 1}
            - batchNorm2d
            - relu
            - \(generatorLast)
            - tanh
          discriminator:
            - conv2d: {filters: 8, kernel: 4, stride: 2, padding: 1}
            - leakyRelu: {slope: 0.2}
            - conv2d: {filters: 16, kernel: 4, stride: 2, padding: 1}
            - batchNorm2d
            - leakyRelu: {slope: 0.2}
            - conv2d: {filters: 32, kernel: 4, stride: 2, padding: 1}
            - batchNorm2d
            - leakyRelu: {slope: 0.2}
            - flatten
            - \(discriminatorLast)
        trainer: {id: gan, latentSize: 16, batchSize: 8, sampleEvery: \(sampleEvery), coverageSamples: 50, gridColumns: 4\(extra)}
        budget: {steps: \(steps)}
        logging: {everySteps: 2, checkpointEvery: 2, keepLast: 5, console: false}
        """
    }

    func registries() throws -> Registries {
        try Registries(modules: [StandardLayersPlugin.self, CoordConvPlugin.self, DatasetsPlugin.self, GANPlugin.self])
    }

    func trainer(_ text: String, run: RunDirectory? = nil, resume: URL? = nil) throws -> GANTrainer {
        let session = TrainingSession(experiment: try ExperimentConfig(yaml: text), registries: try registries(),
                                      runDirectory: run, resumeCheckpoint: resume)
        guard let trainer = try session.makeTrainer() as? GANTrainer else { throw CocoaError(.featureUnsupported) }
        return trainer
    }

    func temporaryRuns() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lattice-gan-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testConfigErrorsNameTheFix() throws {
        XCTAssertThrowsError(try trainer(yaml(trainer: ", lernRate: 1"))) { error in
            XCTAssertTrue("\(error)".contains("lernRate"), "\(error)")
        }
        XCTAssertThrowsError(try trainer(yaml(trainer: ", loss: wasserstein"))) { error in
            XCTAssertTrue("\(error)".contains("hinge"), "\(error)")
        }
        XCTAssertThrowsError(try trainer(yaml(generatorLast: "convTranspose2d: {filters: 3, kernel: 4, stride: 2, padding: 1}"))) { error in
            XCTAssertTrue("\(error)".contains("generator outputs [8, 3, 64, 64]"), "\(error)")
        }
        XCTAssertThrowsError(try trainer(yaml(discriminatorLast: "dense: {units: 2}"))) { error in
            XCTAssertTrue("\(error)".contains("one logit per image"), "\(error)")
        }
        let defaults = try GANConfig(section: .emptyMapping)
        XCTAssertEqual(defaults, GANConfig())
        XCTAssertEqual(defaults.discriminatorSteps, 1)
        XCTAssertEqual(defaults.generatorSteps, 2)
    }

    func testLossesOnHandWorkedLogits() {
        let real = Tensor([2, -1]), fake = Tensor([0, 3])
        func sp(_ x: Float) -> Float { log(1 + exp(x)) }
        let d = (sp(-2) + sp(1)) / 2 + (sp(0) + sp(3)) / 2
        XCTAssertEqual(GANLoss.nonSaturating.discriminator(real: real, fake: fake).scalar, d, accuracy: 1e-6)
        XCTAssertEqual(GANLoss.minimax.discriminator(real: real, fake: fake).scalar, d, accuracy: 1e-6)
        XCTAssertEqual(GANLoss.nonSaturating.generator(fake: fake).scalar, (sp(0) + sp(-3)) / 2, accuracy: 1e-6)
        XCTAssertEqual(GANLoss.minimax.generator(fake: fake).scalar, -(sp(0) + sp(3)) / 2, accuracy: 1e-6)
        // Hinge: D = mean(relu(1 − r)) + mean(relu(1 + f)) = (0 + 2)/2 + (1 + 4)/2.
        XCTAssertEqual(GANLoss.hinge.discriminator(real: real, fake: fake).scalar, 3.5, accuracy: 1e-6)
        XCTAssertEqual(GANLoss.hinge.generator(fake: fake).scalar, -1.5, accuracy: 1e-6)
    }

    func testStepsChangeOnlyTheirOwnNetworkAndSamplingUsesRunningStatistics() throws {
        let t = try trainer(yaml())
        let g0 = t.generator.parameters.map(\.value.scalars), d0 = t.discriminator.parameters.map(\.value.scalars)
        t.discriminatorStep()
        XCTAssertEqual(t.generator.parameters.map(\.value.scalars), g0)
        XCTAssertNotEqual(t.discriminator.parameters.map(\.value.scalars), d0)
        let d1 = t.discriminator.parameters.map(\.value.scalars)
        t.generatorStep()
        XCTAssertNotEqual(t.generator.parameters.map(\.value.scalars), g0)
        XCTAssertEqual(t.discriminator.parameters.map(\.value.scalars), d1)
        // Sampling: evaluation mode (running statistics), no change to any buffer, deterministic.
        let buffersG = t.generator.namedBuffers().map(\.1.value.scalars)
        let a = t.evaluationSamples(6), b = t.evaluationSamples(6)
        XCTAssertEqual(a.scalars, b.scalars)
        XCTAssertEqual(t.generator.namedBuffers().map(\.1.value.scalars), buffersG)
        // In evaluation mode an image does not depend on its batch-mates.
        // (Equal up to rounding: BLAS blocks a batch of 1 differently from a batch of 6.)
        let single = t.evaluationSamples(1).scalars
        XCTAssertLessThan(zip(a.scalars[0..<4096], single).map { abs($0 - $1) }.max()!, 1e-5)
    }

    func testResumeReplaysTheUninterruptedRunBitForBit() throws {
        let base = try temporaryRuns()
        let straight = try trainer(yaml(steps: 4))
        _ = try straight.train(budget: TrainingBudget(steps: 4), callbacks: [])
        let experiment = try ExperimentConfig(yaml: yaml(steps: 2))
        let run = try RunDirectory.create(for: experiment, base: base)
        let first = try trainer(yaml(steps: 2), run: run)
        _ = try first.train(budget: TrainingBudget(steps: 2), callbacks: [])
        let resumed = try trainer(yaml(steps: 4), run: run, resume: try run.latestCheckpoint())
        XCTAssertEqual(resumed.step, 2)
        _ = try resumed.train(budget: TrainingBudget(steps: 4), callbacks: [])
        XCTAssertEqual(resumed.generator.parameters.map(\.value.scalars), straight.generator.parameters.map(\.value.scalars))
        XCTAssertEqual(resumed.discriminator.parameters.map(\.value.scalars), straight.discriminator.parameters.map(\.value.scalars))
        XCTAssertEqual(resumed.generator.namedBuffers().map(\.1.value.scalars), straight.generator.namedBuffers().map(\.1.value.scalars))
    }

    func testTrainingWritesMetricsGridsAndTensorBoardImages() throws {
        let text = yaml(steps: 4, sampleEvery: 2)
        let experiment = try ExperimentConfig(yaml: text)
        let run = try RunDirectory.create(for: experiment, base: try temporaryRuns())
        let memory = MemorySink()
        var images: [(Int, TrainingImage)] = []
        let grab = ClosureCallback { event in
            if case .image(let step, let image) = event { images.append((step, image)) }
            return .proceed
        }
        let sink = try run.makeMetricsSink(logging: experiment.logging)
        let summary = try trainer(text, run: run).train(budget: experiment.budget,
                                                        callbacks: [MetricsCallback(sink: memory), MetricsCallback(sink: sink), grab])
        XCTAssertEqual(summary.steps, 4)
        for key in ["losses/discriminator", "losses/generator", "gan/dRealMean", "gan/dFakeMean",
                    "coverage/cellFraction", "coverage/uniformDistance", "coverage/axisRatio", "coverage/missingFraction"] {
            XCTAssertNotNil(memory.latest[key], key)
        }
        XCTAssertEqual(images.map(\.0), [2, 4])
        XCTAssertEqual(images[0].1.tag, "samples/grid")
        XCTAssertEqual(images[0].1.width, 4 * 65 + 1)
        let media = try FileManager.default.contentsOfDirectory(atPath: run.mediaURL.path).sorted()
        XCTAssertEqual(media, ["samples-step-000000002.png", "samples-step-000000004.png"])
        // The TensorBoard file holds an image summary (the PNG signature inside an event).
        let events = try FileManager.default.contentsOfDirectory(atPath: run.url.path).filter { $0.hasPrefix("events.out") }
        let bytes = try Data(contentsOf: run.url.appendingPathComponent(try XCTUnwrap(events.first)))
        XCTAssertNotNil(bytes.range(of: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A])))
        XCTAssertNotNil(bytes.range(of: Data("samples/grid".utf8)))
    }

    func testLatentInterpolationAndObjectPaths() {
        let ends = Tensor(shape: [4, 2], scalars: [0, 0, 1, 2, -1, 1, 1, -1])
        let walk = LatentInterpolation(rows: 2, frames: 3) { n in
            XCTAssertEqual(n, 4)
            return ends
        }
        XCTAssertEqual(walk.latents.shape, [6, 2])
        XCTAssertEqual(walk.latents.scalars, [0, 0, 0.5, 1, 1, 2, -1, 1, 0, 0, 1, -1])
        let path = LatentInterpolation.path([CentrePoint(x: 0, y: 0), nil, CentrePoint(x: 3, y: 4), CentrePoint(x: 3, y: 10)])
        XCTAssertEqual(path.length, 11, accuracy: 1e-12)
        XCTAssertEqual(path.missing, 1)
    }
}
