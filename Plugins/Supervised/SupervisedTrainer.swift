import Foundation
import LatticeNN
import LatticeRuntime
import LatticeTensor

/// The `supervised` trainer: minibatch Adam on a dataset's train split with the model's `layers`,
/// evaluating on the test split every `evaluateEvery` epochs.
///
/// Steps are optimizer steps. Each epoch visits the train split in a permutation drawn from
/// (experiment seed, epoch), so a resumed run replays the same batches as an uninterrupted one.
/// Metrics: `train/loss`, `train/accuracy` (classification), `test/loss`, `test/accuracy`,
/// `charts/epoch`, `charts/stepsPerSecond`.
public final class SupervisedTrainer: Trainer {
    public let config: SupervisedConfig
    public let model: Sequential
    let train: any DatasetSplit
    let test: (any DatasetSplit)?
    let optimizer: Adam
    let checkpoints: CheckpointManager
    let seed: UInt64
    let logEvery: Int
    var step = 0

    public init(config: SupervisedConfig, context: TrainerContext) throws {
        self.config = config
        let experiment = context.experiment
        guard let datasetSpec = experiment.dataset else {
            throw ConfigError(.missingKey("dataset"), at: experiment.root.location, path: "",
                              "the supervised trainer needs a 'dataset'")
        }
        let dataset = try context.registries.datasets.make(datasetSpec.id, config: datasetSpec.config, registries: context.registries)
        train = try dataset.split(config.trainSplit)
        test = config.testSplit.isEmpty ? nil : try dataset.split(config.testSplit)
        guard let layers = experiment.model["layers"] else {
            throw ConfigError(.missingKey("layers"), at: experiment.root["model"]?.location, path: "model",
                              "the supervised trainer builds 'model.layers'; add a layer list there")
        }
        var rng = RandomGenerator(seed: experiment.seed)
        let built = try ModelBuilder.build(layers, inputShape: [config.batchSize] + train.inputShape,
                                           registries: context.registries, rng: &rng)
        model = Sequential(built.layers)
        optimizer = Adam(learningRate: config.learningRate, beta1: config.beta1, beta2: config.beta2, epsilon: config.epsilon)
        checkpoints = CheckpointManager(context: context)
        seed = experiment.seed
        logEvery = max(1, experiment.logging.everySteps)
        if let file = try CheckpointManager.resumeFile(context) {
            try file.restore(model: model, optimizer: optimizer)
            step = try file.metadataInt("step")
        }
    }

    var stepsPerEpoch: Int { (train.count + config.batchSize - 1) / config.batchSize }

    /// The visiting order of epoch `epoch`: a Fisher–Yates shuffle seeded by (seed, epoch).
    func permutation(epoch: Int) -> [Int] {
        var rng = RandomGenerator(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1))
        var order = Array(0..<train.count)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.nextInt(below: i + 1)) }
        return order
    }

    /// The loss of a batch and the number of correct predictions (classification losses).
    func lossAndCorrect(_ inputs: Tensor, _ targets: Tensor) -> (Tensor, Int?) {
        let out = model(inputs)
        switch config.loss {
        case "softmaxCrossEntropy":
            if out.rank == 2 && targets.shape == out.shape {
                let correct = Self.countEqual(out.argmax(alongAxis: 1), targets.argmax(alongAxis: 1))
                return (Loss.softmaxCrossEntropy(logits: out, probabilities: targets), correct)
            }
            let logits = out.reshaped([out.shape[0], -1])
            let labels = targets.scalars.map { Int($0) }
            let correct = Self.countEqual(logits.argmax(alongAxis: 1), targets.reshaped([-1]))
            return (Loss.softmaxCrossEntropy(logits: logits, labels: labels), correct)
        case "sigmoidCrossEntropy":
            return (Loss.sigmoidCrossEntropy(logits: out, labels: targets.reshaped(out.shape)), nil)
        default:
            return (Loss.meanSquaredError(out, targets.reshaped(out.shape)), nil)
        }
    }

    static func countEqual(_ a: Tensor, _ b: Tensor) -> Int {
        zip(a.scalars, b.scalars).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
    }

    /// L2 on kernels: c/2 · Σ w² over weights of rank ≥ 2.
    func kernelPenalty() -> Tensor? {
        guard config.kernelL2 > 0 else { return nil }
        let kernels = model.namedParameters().filter { $0.0.hasSuffix("weight") && $0.1.value.rank >= 2 }
        return kernels.map { ($0.1.value * $0.1.value).sum() }.reduce(Tensor(0), +) * (config.kernelL2 / 2)
    }

    /// Loss and accuracy over a whole split, in evaluation mode.
    func evaluate(_ split: any DatasetSplit) -> [String: Double] {
        model.setTraining(false)
        defer { model.setTraining(true) }
        var total = 0.0, correct = 0, hasAccuracy = false
        var start = 0
        let batch = max(config.batchSize, 256)
        while start < split.count {
            let indices = Array(start..<min(start + batch, split.count))
            let (x, y) = split.batch(indices)
            let (loss, c) = withoutGradients { lossAndCorrect(x, y) }
            total += Double(loss.scalar) * Double(indices.count)
            if let c { correct += c; hasAccuracy = true }
            start += batch
        }
        var metrics = ["test/loss": total / Double(max(split.count, 1))]
        if hasAccuracy { metrics["test/accuracy"] = Double(correct) / Double(max(split.count, 1)) }
        return metrics
    }

    func checkpointFile() throws -> SafetensorsFile {
        try SafetensorsFile(model: model, optimizer: optimizer,
                            metadata: ["step": String(step), "trainer": "supervised", "epoch": String(step / stepsPerEpoch)])
    }

    public func train(budget: TrainingBudget, callbacks: [any TrainingCallback]) throws -> TrainingSummary {
        let start = Date()
        _ = callbacks.send(.started(trainer: "supervised", parameterCount: model.parameterCount))
        var stopReason: StopReason? = nil
        var last: [String: Double] = [:]
        var lossSum = 0.0, seen = 0, correct = 0, hasAccuracy = false
        var windowStart = Date(), windowSteps = 0
        var order = permutation(epoch: step / stepsPerEpoch)
        var orderEpoch = step / stepsPerEpoch
        model.setTraining(true)
        while stopReason == nil {
            let epoch = step / stepsPerEpoch
            if let reason = budget.exhausted(step: step, epoch: epoch, elapsed: Date().timeIntervalSince(start)) {
                stopReason = reason
                break
            }
            if epoch != orderEpoch { order = permutation(epoch: epoch); orderEpoch = epoch }
            let position = step % stepsPerEpoch
            let indices = Array(order[(position * config.batchSize)..<min((position + 1) * config.batchSize, train.count)])
            let (x, y) = train.batch(indices)
            let (dataLoss, c) = lossAndCorrect(x, y)
            let loss = kernelPenalty().map { dataLoss + $0 } ?? dataLoss
            let value = dataLoss.scalar
            guard value.isFinite else {
                stopReason = .diverged("step \(step): train/loss is \(value); last good checkpoint: \(checkpoints.lastSaved ?? "none")")
                break
            }
            let params = model.parameters
            optimizer.update(params, along: gradients(of: loss, wrt: params.map(\.value)))
            step += 1
            windowSteps += 1
            lossSum += Double(value) * Double(indices.count)
            seen += indices.count
            if let c { correct += c; hasAccuracy = true }

            let epochDone = step % stepsPerEpoch == 0
            if step % logEvery == 0 || epochDone {
                var metrics: [String: Double] = ["train/loss": lossSum / Double(seen), "charts/epoch": Double(step) / Double(stepsPerEpoch)]
                if hasAccuracy { metrics["train/accuracy"] = Double(correct) / Double(seen) }
                metrics["charts/stepsPerSecond"] = Double(windowSteps) / max(Date().timeIntervalSince(windowStart), 1e-9)
                if epochDone, let test, (step / stepsPerEpoch) % max(config.evaluateEvery, 1) == 0 {
                    metrics.merge(evaluate(test)) { $1 }
                }
                if let bad = model.namedParameters().first(where: { !$0.1.value.scalars.allSatisfy(\.isFinite) }) {
                    stopReason = .diverged("step \(step): parameter \(bad.0) is not finite; last good checkpoint: \(checkpoints.lastSaved ?? "none")")
                    break
                }
                last.merge(metrics) { $1 }
                lossSum = 0; seen = 0; correct = 0; hasAccuracy = false; windowSteps = 0; windowStart = Date()
                if let reason = callbacks.send(.metrics(step: step, metrics)) { stopReason = reason }
            }
            if checkpoints.isDue(step: step), let url = try checkpoints.save(step: step, checkpointFile) {
                if let reason = callbacks.send(.checkpoint(step: step, url: url)) { stopReason = stopReason ?? reason }
            }
        }
        let reason = stopReason ?? .budgetExhausted("budget")
        // A diverged run keeps its last good checkpoint; any other stop saves where it is.
        if case .diverged = reason {} else if let url = try checkpoints.save(step: step, checkpointFile) {
            _ = callbacks.send(.checkpoint(step: step, url: url))
        }
        _ = callbacks.send(.stopped(reason))
        let summary = TrainingSummary(trainer: "supervised", steps: step, epochs: step / stepsPerEpoch,
                                      seconds: Date().timeIntervalSince(start), stopReason: reason,
                                      finalMetrics: last, lastCheckpoint: checkpoints.lastSaved)
        _ = callbacks.send(.finished(summary))
        return summary
    }
}
