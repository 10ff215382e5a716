import XCTest
import CoordConv
import Datasets
import LatticeNN
import LatticeRuntime
import LatticeTensor
import StandardLayers
@testable import GAN

/// The learning test: with a fixed seed, the `gan` trainer turns noise into the four Gaussian clusters
/// of `Synthetic/Blobs-v0` (centres on a circle of radius 2, σ = 0.2). A broken loss sign, a generator
/// that never gets D's gradient, or swapped optimizers all leave the samples far from the clusters.
final class GANLearningTests: XCTestCase {
    let yaml = """
    name: gan-blobs
    seed: 3
    dataset: {id: Synthetic/Blobs-v0, classes: 4, count: 4000, spread: 0.2}
    model:
      generator:
        - dense: {units: 64}
        - relu
        - dense: {units: 64}
        - relu
        - dense: {units: 2}
      discriminator:
        - dense: {units: 64}
        - leakyRelu: {slope: 0.2}
        - dense: {units: 64}
        - leakyRelu: {slope: 0.2}
        - dense: {units: 1}
    trainer: {id: gan, latentSize: 4, latentDistribution: normal, batchSize: 64, generatorSteps: 1,
              discriminatorLearningRate: 1.0e-3, generatorLearningRate: 1.0e-3, sampleEvery: 0}
    budget: {steps: 1500}
    logging: {everySteps: 100, console: false}
    """

    /// For 1,000 generated points: the share within 0.6 of a cluster centre, and how many of the four
    /// clusters hold at least 5% of the points.
    func quality(_ trainer: GANTrainer) -> (near: Double, clusters: Int) {
        let points = trainer.evaluationSamples(1000).scalars
        let centres = (0..<4).map { c -> (Float, Float) in
            let a = 2 * Float.pi * Float(c) / 4
            return (2 * cosf(a), 2 * sinf(a))
        }
        var counts = [Int](repeating: 0, count: 4), near = 0
        for i in 0..<1000 {
            let x = points[2 * i], y = points[2 * i + 1]
            let d = centres.map { ($0.0 - x) * ($0.0 - x) + ($0.1 - y) * ($0.1 - y) }
            let best = d.indices.min { d[$0] < d[$1] }!
            if d[best] < 0.36 { near += 1; counts[best] += 1 }
        }
        return (Double(near) / 1000, counts.filter { $0 >= 50 }.count)
    }

    func testGeneratorLearnsTheClusters() throws {
        let registries = try Registries(modules: [StandardLayersPlugin.self, DatasetsPlugin.self, GANPlugin.self])
        let experiment = try ExperimentConfig(yaml: yaml)
        let trainer = try GANTrainer.make(experiment: experiment, registries: registries)
        let before = quality(trainer)
        XCTAssertLessThan(before.near, 0.1)
        let memory = MemorySink()
        let summary = try trainer.train(budget: experiment.budget, callbacks: [MetricsCallback(sink: memory)])
        XCTAssertEqual(summary.steps, 1500)
        let after = quality(trainer)
        print("gan-blobs: near \(before.near) → \(after.near), clusters \(before.clusters) → \(after.clusters)")
        XCTAssertGreaterThan(after.near, 0.6)
        XCTAssertGreaterThanOrEqual(after.clusters, 2)
        // D is neither perfect nor fooled completely once G matches the data.
        let fake = try XCTUnwrap(memory.latest["gan/dFakeMean"])
        XCTAssertGreaterThan(fake, 0.1)
        XCTAssertLessThan(fake, 0.9)
    }
}
