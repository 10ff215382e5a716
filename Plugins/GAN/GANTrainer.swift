import Foundation
import LatticeNN
import LatticeRuntime
import LatticeTensor

/// The `gan` trainer: a generator G and a discriminator D built from the config's `model.generator` and
/// `model.discriminator` layer lists (so AddCoords/CoordConv can go in G, in D, in both or in neither),
/// trained adversarially on a dataset's images (Goodfellow et al., 2014; the CoordConv GAN experiment of
/// Liu et al., NeurIPS 2018, §5).
///
/// G maps z `[N, latentSize]` to images shaped like the dataset's; D maps images to one logit per image
/// (`[N, 1]` or `[N]`). A step is one iteration: `discriminatorSteps` updates of D on a real batch and a
/// detached fake batch, then `generatorSteps` updates of G through D, each with its own Adam. BatchNorm
/// uses batch statistics while training and running statistics when sampling.
///
/// Metrics every `logging.everySteps`: `losses/discriminator`, `losses/generator`, `gan/dRealMean` and
/// `gan/dFakeMean` (mean σ(logit) on real and fake batches), window means; every `sampleEvery` steps
/// and at the end also the `coverage/…` metrics of `CoverageMetrics` on `coverageSamples` images, and
/// a sample grid written to `media/` and sent as a TensorBoard image (`samples/grid`).
public final class GANTrainer: Trainer {
    /// The hyperparameters.
    public let config: GANConfig
    /// G: z → image.
    public let generator: Sequential
    /// D: image → logit.
    public let discriminator: Sequential
    /// G's optimizer.
    public let generatorOptimizer: Adam
    /// D's optimizer.
    public let discriminatorOptimizer: Adam
    /// The loss.
    public let loss: GANLoss
    /// The real images.
    let real: any DatasetSplit
    /// One image's shape `[C, H, W]`.
    public let imageShape: [Int]
    let checkpoints: CheckpointManager
    let runDirectory: RunDirectory?
    let logEvery: Int
    /// The seed of the fixed latent vectors used for sample grids and coverage (independent of training).
    let evaluationSeed: UInt64
    /// Draws real batches and training latents.
    var rng: RandomGenerator
    /// Iterations done.
    public internal(set) var step = 0

    /// Builds G and D from the experiment's model section and the dataset; restores a checkpoint if the
    /// context names one.
    public init(config: GANConfig, context: TrainerContext) throws {
        self.config = config
        let experiment = context.experiment
        guard let datasetSpec = experiment.dataset else {
            throw ConfigError(.missingKey("dataset"), at: experiment.root.location, path: "",
                              "the gan trainer needs a 'dataset' (GAN/Squares-v0 or GAN/SortOfClevr-v0)")
        }
        let dataset = try context.registries.datasets.make(datasetSpec.id, config: datasetSpec.config, registries: context.registries)
        real = try dataset.split(config.trainSplit)
        imageShape = real.inputShape
        var build = RandomGenerator(seed: experiment.seed)
        func network(_ name: String, input: [Int]) throws -> (Sequential, [Int]) {
            guard let specs = experiment.model[name] else {
                throw ConfigError(.missingKey(name), at: experiment.root["model"]?.location ?? experiment.root.location,
                                  path: "model", "the gan trainer builds 'model.\(name)'; add a layer list there")
            }
            let built = try ModelBuilder.build(specs, inputShape: input, registries: context.registries, rng: &build)
            return (Sequential(built.layers), built.outputShape)
        }
        let (g, gOut) = try network("generator", input: [config.batchSize, config.latentSize])
        guard gOut == [config.batchSize] + imageShape else {
            throw ConfigError(.invalidValue, at: experiment.root["model"]?["generator"]?.location, path: "model.generator",
                              "the generator outputs \(gOut) but the dataset's images are \([config.batchSize] + imageShape); "
                              + "change the last layers so G's output is [N] + \(imageShape)")
        }
        let (d, dOut) = try network("discriminator", input: [config.batchSize] + imageShape)
        guard dOut == [config.batchSize, 1] || dOut == [config.batchSize] else {
            throw ConfigError(.invalidValue, at: experiment.root["model"]?["discriminator"]?.location, path: "model.discriminator",
                              "the discriminator outputs \(dOut); it must give one logit per image ([N, 1]); end it with dense: {units: 1}")
        }
        generator = g
        discriminator = d
        generatorOptimizer = Adam(learningRate: config.generatorLearningRate, beta1: config.beta1, beta2: config.beta2)
        discriminatorOptimizer = Adam(learningRate: config.discriminatorLearningRate, beta1: config.beta1, beta2: config.beta2)
        loss = GANLoss(rawValue: config.loss)!
        checkpoints = CheckpointManager(context: context)
        runDirectory = context.runDirectory
        logEvery = max(1, experiment.logging.everySteps)
        rng = RandomGenerator(seed: experiment.seed &+ 0x5EED_0001)
        evaluationSeed = experiment.seed &+ 0xE7A1_0002
        if let file = try CheckpointManager.resumeFile(context) { try restore(from: file) }
    }

    /// `count` latent vectors `[count, latentSize]` from the configured distribution.
    public func sampleLatent(_ count: Int, using rng: inout RandomGenerator) -> Tensor {
        let shape = [count, config.latentSize]
        return config.latentDistribution == "normal"
            ? Tensor.normal(shape, using: &rng) : Tensor.uniform(shape, low: -1, high: 1, using: &rng)
    }

    /// A batch of real images drawn uniformly (with replacement) from the training split.
    func realBatch() -> Tensor {
        let indices = (0..<config.batchSize).map { _ in rng.nextInt(below: real.count) }
        return real.batch(indices).inputs
    }

    /// One update of D: the loss, and the mean σ(logit) on the real and on the fake batch.
    @discardableResult
    public func discriminatorStep() -> (loss: Float, realMean: Float, fakeMean: Float) {
        let x = realBatch()
        let fake = withoutGradients { generator(sampleLatent(config.batchSize, using: &rng)) }
        let realLogits = discriminator(x), fakeLogits = discriminator(fake)
        let value = loss.discriminator(real: realLogits, fake: fakeLogits)
        let parameters = discriminator.parameters
        discriminatorOptimizer.update(parameters, along: gradients(of: value, wrt: parameters.map(\.value)))
        return (value.scalar, GANTrainer.meanProbability(realLogits), GANTrainer.meanProbability(fakeLogits))
    }

    /// One update of G through D (D's weights are not changed).
    @discardableResult
    public func generatorStep() -> Float {
        let fakeLogits = discriminator(generator(sampleLatent(config.batchSize, using: &rng)))
        let value = loss.generator(fake: fakeLogits)
        let parameters = generator.parameters
        generatorOptimizer.update(parameters, along: gradients(of: value, wrt: parameters.map(\.value)))
        return value.scalar
    }

    /// Mean of σ(l) over a batch of logits.
    static func meanProbability(_ logits: Tensor) -> Float {
        logits.withUnsafeBufferPointer { p in
            p.reduce(Float(0)) { $0 + 1 / (1 + expf(-$1)) } / Float(max(p.count, 1))
        }
    }

    /// One iteration: `discriminatorSteps` D updates then `generatorSteps` G updates. Returns the mean D
    /// loss, mean G loss, and D's mean real and fake probabilities.
    @discardableResult
    public func iterate() -> (discriminator: Float, generator: Float, realMean: Float, fakeMean: Float) {
        generator.setTraining(true)
        discriminator.setTraining(true)
        var d: Float = 0, r: Float = 0, f: Float = 0, g: Float = 0
        for _ in 0..<config.discriminatorSteps {
            let s = discriminatorStep()
            d += s.loss; r += s.realMean; f += s.fakeMean
        }
        for _ in 0..<config.generatorSteps { g += generatorStep() }
        let k = Float(config.discriminatorSteps), m = Float(config.generatorSteps)
        step += 1
        return (d / k, g / m, r / k, f / k)
    }

    public func train(budget: TrainingBudget, callbacks: [any TrainingCallback]) throws -> TrainingSummary {
        let start = Date()
        _ = callbacks.send(.started(trainer: "gan", parameterCount: generator.parameterCount + discriminator.parameterCount))
        var stopReason: StopReason? = nil
        var last: [String: Double] = [:]
        var sums = [Double](repeating: 0, count: 4), count = 0
        var windowStart = Date()
        while stopReason == nil {
            if let reason = budget.exhausted(step: step, elapsed: Date().timeIntervalSince(start)) {
                stopReason = reason
                break
            }
            let s = iterate()
            guard s.discriminator.isFinite && s.generator.isFinite else {
                stopReason = .diverged("step \(step): losses/discriminator \(s.discriminator), losses/generator \(s.generator); "
                                       + "last good checkpoint: \(checkpoints.lastSaved ?? "none")")
                break
            }
            for (i, v) in [s.discriminator, s.generator, s.realMean, s.fakeMean].enumerated() { sums[i] += Double(v) }
            count += 1
            var metrics: [String: Double] = [:]
            if step % logEvery == 0 {
                let n = Double(count)
                metrics = ["losses/discriminator": sums[0] / n, "losses/generator": sums[1] / n,
                           "gan/dRealMean": sums[2] / n, "gan/dFakeMean": sums[3] / n,
                           "charts/stepsPerSecond": n / max(Date().timeIntervalSince(windowStart), 1e-9)]
                sums = [0, 0, 0, 0]; count = 0; windowStart = Date()
            }
            if config.sampleEvery > 0 && step % config.sampleEvery == 0 {
                metrics.merge(try evaluate(callbacks: callbacks)) { $1 }
            }
            if !metrics.isEmpty {
                last.merge(metrics) { $1 }
                if let reason = callbacks.send(.metrics(step: step, metrics)) { stopReason = reason }
            }
            if checkpoints.isDue(step: step), let url = try checkpoints.save(step: step, checkpointFile) {
                if let reason = callbacks.send(.checkpoint(step: step, url: url)) { stopReason = stopReason ?? reason }
            }
        }
        let reason = stopReason ?? .budgetExhausted("budget")
        if case .diverged = reason {} else {
            if config.sampleEvery == 0 || step % config.sampleEvery != 0 {
                let metrics = try evaluate(callbacks: callbacks)
                last.merge(metrics) { $1 }
                _ = callbacks.send(.metrics(step: step, metrics))
            }
            if let url = try checkpoints.save(step: step, checkpointFile) { _ = callbacks.send(.checkpoint(step: step, url: url)) }
        }
        _ = callbacks.send(.stopped(reason))
        let summary = TrainingSummary(trainer: "gan", steps: step, seconds: Date().timeIntervalSince(start),
                                      stopReason: reason, finalMetrics: last, lastCheckpoint: checkpoints.lastSaved)
        _ = callbacks.send(.finished(summary))
        return summary
    }
}
