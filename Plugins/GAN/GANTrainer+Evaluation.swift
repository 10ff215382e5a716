import Foundation
import LatticeNN
import LatticeRuntime
import LatticeTensor

extension GANTrainer {
    /// The `gan` trainer of `experiment` built through the registries (its trainer id must be `gan`).
    public static func make(experiment: ExperimentConfig, registries: Registries, runDirectory: RunDirectory? = nil,
                            resumeCheckpoint: URL? = nil) throws -> GANTrainer {
        let session = TrainingSession(experiment: experiment, registries: registries, runDirectory: runDirectory,
                                      resumeCheckpoint: resumeCheckpoint)
        guard let trainer = try session.makeTrainer() as? GANTrainer else {
            throw ConfigError(.invalidValue, at: experiment.root["trainer"]?.location, path: "trainer",
                              "this needs the 'gan' trainer, found '\(experiment.trainer.id)'")
        }
        return trainer
    }

    /// `count` images from G in evaluation mode (BatchNorm running statistics), no gradients, for the
    /// latents `z` `[count, latentSize]`, computed in chunks of at most 100.
    public func generate(_ z: Tensor) -> Tensor {
        generator.setTraining(false)
        defer { generator.setTraining(true) }
        let n = z.shape[0], chunk = 100
        var parts: [Tensor] = []
        withoutGradients {
            var start = 0
            while start < n {
                let end = min(n, start + chunk)
                parts.append(generator(z.slice(alongAxis: 0, from: start, to: end)))
                start = end
            }
        }
        return parts.count == 1 ? parts[0] : Tensor.concat(parts, alongAxis: 0)
    }

    /// `count` images from the fixed evaluation latents (the same z at every step, so grids and
    /// coverage are comparable along training).
    public func evaluationSamples(_ count: Int) -> Tensor {
        var r = RandomGenerator(seed: evaluationSeed)
        return generate(sampleLatent(count, using: &r))
    }

    /// The coverage metrics of `count` generated images.
    public func generatedCoverage(count: Int? = nil) -> (metrics: CoverageMetrics, centres: [CentrePoint]) {
        let images = evaluationSamples(count ?? config.coverageSamples)
        return CoverageGrid.forImages(channels: imageShape[0]).measure(images: images)
    }

    /// The coverage metrics of `count` real training images (the reference values).
    public func realCoverage(count: Int? = nil) -> (metrics: CoverageMetrics, centres: [CentrePoint]) {
        let n = min(count ?? config.coverageSamples, real.count)
        let images = real.batch(Array(0..<n)).inputs
        return CoverageGrid.forImages(channels: imageShape[0]).measure(images: images)
    }

    /// The sample grid of the first `gridColumns²` evaluation latents.
    public func sampleGrid() -> SampleGrid {
        SampleGrid(images: evaluationSamples(config.gridColumns * config.gridColumns), columns: config.gridColumns)
    }

    /// Whether the data are images the detector and the grid understand: `[1 or 3, H, W]`.
    public var producesImages: Bool { imageShape.count == 3 && (imageShape[0] == 1 || imageShape[0] == 3) }

    /// Coverage metrics and a sample grid (PNG in `media/`, TensorBoard image `samples/grid`); nothing
    /// for data that are not images (vectors: the toy point datasets).
    func evaluate(callbacks: [any TrainingCallback]) throws -> [String: Double] {
        guard producesImages else { return [:] }
        let grid = sampleGrid()
        let png = try grid.png()
        if let run = runDirectory {
            let digits = String(step)
            let name = "samples-step-" + String(repeating: "0", count: max(0, 9 - digits.count)) + digits + ".png"
            try png.write(to: run.mediaURL.appendingPathComponent(name), options: .atomic)
        }
        let image = TrainingImage(tag: "samples/grid", png: Array(png), width: grid.width, height: grid.height, channels: grid.channels)
        _ = callbacks.send(.image(step: step, image))
        return generatedCoverage().metrics.metricValues
    }

    /// The checkpoint: G and D parameters and buffers under `generator.` / `discriminator.`, each Adam's
    /// state under `optimizer.generator.` / `optimizer.discriminator.`, and the step and generator state.
    func checkpointFile() throws -> SafetensorsFile {
        let g = named("generator", generator.namedParameters()), d = named("discriminator", discriminator.namedParameters())
        var tensors = (g + d + named("generator", generator.namedBuffers()) + named("discriminator", discriminator.namedBuffers()))
            .map { ($0.0, $0.1.value.detached) }
        tensors += (generatorOptimizer.stateTensors(for: g) + discriminatorOptimizer.stateTensors(for: d))
            .map { (SafetensorsFile.optimizerPrefix + $0.0, $0.1) }
        return try SafetensorsFile(tensors: tensors, metadata: ["step": String(step), "trainer": "gan", "rng": rng.stateText])
    }

    /// Restores everything `checkpointFile` saved; checks every tensor before changing anything.
    func restore(from file: SafetensorsFile) throws {
        let g = named("generator", generator.namedParameters()), d = named("discriminator", discriminator.namedParameters())
        let all = g + d + named("generator", generator.namedBuffers()) + named("discriminator", discriminator.namedBuffers())
        for (name, parameter) in all {
            guard let t = file[name] else { throw CheckpointError.missingTensor(name: name, available: file.names.sorted()) }
            guard t.shape == parameter.shape else {
                throw CheckpointError.shapeMismatch(name: name, parameterShape: parameter.shape, checkpointShape: t.shape)
            }
        }
        let state = file.optimizerState()
        try generatorOptimizer.loadState(state.filter { $0.key.hasPrefix("generator.") }, for: g)
        try discriminatorOptimizer.loadState(state.filter { $0.key.hasPrefix("discriminator.") }, for: d)
        try file.assign(to: all)
        step = try file.metadataInt("step")
        rng = try file.metadataGenerator("rng")
    }

    /// Loads only G's and D's weights and buffers (for sampling from a run).
    public func loadWeights(from file: SafetensorsFile) throws {
        try file.assign(to: named("generator", generator.namedParameters() + generator.namedBuffers())
                        + named("discriminator", discriminator.namedParameters() + discriminator.namedBuffers()))
        step = (try? file.metadataInt("step")) ?? step
    }

    private func named(_ prefix: String, _ list: [(String, Parameter)]) -> [(String, Parameter)] {
        list.map { ("\(prefix).\($0.0)", $0.1) }
    }
}
