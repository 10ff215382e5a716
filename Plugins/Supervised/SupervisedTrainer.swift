import Foundation
import LatticeNN
import LatticeRuntime
import LatticeTensor

/// The `supervised` trainer: minibatch Adam on a dataset's train split with the model's `layers`,
/// evaluating on the test split every `evaluateEvery` epochs (or every `evaluateEverySteps` steps).
///
/// Steps are optimizer steps. Each epoch visits the train split in a permutation drawn from
/// (experiment seed, epoch), so a resumed run replays the same batches as an uninterrupted one.
/// Metrics: `train/loss`, `test/loss`, and per split the configured metrics (`accuracy`, `iou`,
/// `pixelError`: see `SupervisedMetrics`) as `train/…` (running means over the logging window) and
/// `test/…`; `charts/epoch`, `charts/stepsPerSecond`, `charts/trainingSeconds` (wall time spent training,
/// evaluations excluded); with `finalTrainEvaluation`, `final/trainLoss`, `final/trainAccuracy`, … at the end.
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
        if config.auxiliaryLoss != "none" {
            let trainer = experiment.root["trainer"]
            guard config.auxiliaryLayer < built.layers.count else {
                throw ConfigError(.invalidValue, at: trainer?["auxiliaryLayer"]?.location, path: "trainer.auxiliaryLayer",
                                  "auxiliaryLayer \(config.auxiliaryLayer) is past the last layer (the model has \(built.layers.count))")
            }
            guard train is any LabelledSplit else {
                throw ConfigError(.invalidValue, at: trainer?["auxiliaryLoss"]?.location, path: "trainer.auxiliaryLoss",
                                  "auxiliaryLoss needs a dataset whose splits carry labels; \(datasetSpec.id) has none")
            }
        }
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

    /// The model's output and the loss of a batch (the main loss plus the weighted auxiliary loss when
    /// configured and `labels` are given).
    func forward(_ inputs: Tensor, _ targets: Tensor, labels: [Int]? = nil) -> (loss: Tensor, output: Tensor) {
        let wantsAuxiliary = config.auxiliaryLoss != "none" && labels != nil
        let (out, intermediate) = model(inputs, capturing: wantsAuxiliary ? config.auxiliaryLayer : nil)
        let main = mainLoss(out, targets)
        guard wantsAuxiliary, let intermediate, let labels else { return (main, out) }
        let logits = intermediate.reshaped([intermediate.shape[0], -1])
        return (main + Loss.softmaxCrossEntropy(logits: logits, labels: labels) * config.auxiliaryWeight, out)
    }

    /// The labels of a batch for the auxiliary loss (nil when there is none).
    func auxiliaryLabels(_ split: any DatasetSplit, _ indices: [Int]) -> [Int]? {
        guard config.auxiliaryLoss != "none" else { return nil }
        return (split as? any LabelledSplit)?.labels(indices)
    }

    /// The configured loss of `out` against `targets`.
    func mainLoss(_ out: Tensor, _ targets: Tensor) -> Tensor {
        switch config.loss {
        case "softmaxCrossEntropy":
            if out.rank == 2 && targets.shape == out.shape {
                return Loss.softmaxCrossEntropy(logits: out, probabilities: targets)
            }
            let logits = out.reshaped([out.shape[0], -1])
            return Loss.softmaxCrossEntropy(logits: logits, labels: targets.scalars.map { Int($0) })
        case "sigmoidCrossEntropy":
            return Loss.sigmoidCrossEntropy(logits: out, labels: targets.reshaped(out.shape))
        default:
            return Loss.meanSquaredError(out, targets.reshaped(out.shape))
        }
    }

    /// An empty accumulator of the configured metrics.
    func newMetrics() -> SupervisedMetrics { SupervisedMetrics(requested: Set(config.effectiveMetrics)) }

    /// Adds a batch's output to `metrics` (IoU threshold: logit 0 for sigmoid cross-entropy, else 0.5).
    func accumulate(_ metrics: inout SupervisedMetrics, output: Tensor, targets: Tensor) {
        guard !metrics.requested.isEmpty else { return }
        metrics.add(output: output, target: targets,
                    iouThreshold: config.loss == "sigmoidCrossEntropy" ? 0 : 0.5, pixelScale: config.pixelScale)
    }

    /// L2 on kernels: c/2 · Σ w² over weights of rank ≥ 2 (of the first `kernelL2Layers` layers when set).
    func kernelPenalty() -> Tensor? {
        guard config.kernelL2 > 0 else { return nil }
        let kernels = model.namedParameters().filter { name, parameter in
            guard name.hasSuffix("weight"), parameter.value.rank >= 2 else { return false }
            guard config.kernelL2Layers > 0, let layer = Int(name.prefix { $0 != "." }) else { return true }
            return layer < config.kernelL2Layers
        }
        return kernels.map { ($0.1.value * $0.1.value).sum() }.reduce(Tensor(0), +) * (config.kernelL2 / 2)
    }

    /// Loss and the configured metrics over a whole split, in evaluation mode, keyed `<prefix>loss`, ….
    public func evaluate(_ split: any DatasetSplit, prefix: String = "test/") -> [String: Double] {
        model.setTraining(false)
        defer { model.setTraining(true) }
        var total = 0.0
        var metrics = newMetrics()
        var start = 0
        let batch = config.evaluationBatchSize
        while start < split.count {
            let indices = Array(start..<min(start + batch, split.count))
            let (x, y) = split.batch(indices)
            let (loss, out) = withoutGradients { forward(x, y, labels: auxiliaryLabels(split, indices)) }
            total += Double(loss.scalar) * Double(indices.count)
            accumulate(&metrics, output: out, targets: y)
            start += batch
        }
        var result = [prefix + "loss": total / Double(max(split.count, 1))]
        result.merge(metrics.means(prefix: prefix)) { $1 }
        return result
    }

    func checkpointFile() throws -> SafetensorsFile {
        try SafetensorsFile(model: model, optimizer: optimizer,
                            metadata: ["step": String(step), "trainer": "supervised", "epoch": String(step / stepsPerEpoch)])
    }

    public func train(budget: TrainingBudget, callbacks: [any TrainingCallback]) throws -> TrainingSummary {
        FloatingPointMode.setFlushingDenormals(config.flushDenormals)
        let start = Date()
        _ = callbacks.send(.started(trainer: "supervised", parameterCount: model.parameterCount))
        var stopReason: StopReason? = nil
        var last: [String: Double] = [:]
        var lossSum = 0.0, seen = 0
        var window = newMetrics()
        var evaluationSeconds = 0.0, evaluationCPUSeconds = 0.0
        let cpuStart = processCPUSeconds()
        var lastEvaluated = -1
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
            let (dataLoss, output) = forward(x, y, labels: auxiliaryLabels(train, indices))
            let loss = kernelPenalty().map { dataLoss + $0 } ?? dataLoss
            let value = dataLoss.scalar
            guard value.isFinite else {
                stopReason = .diverged("step \(step): train/loss is \(value); last good checkpoint: \(checkpoints.lastSaved ?? "none")")
                break
            }
            let params = model.parameters
            optimizer.learningRate = config.schedule.rate(at: step)
            optimizer.update(params, along: gradients(of: loss, wrt: params.map(\.value)))
            step += 1
            windowSteps += 1
            lossSum += Double(value) * Double(indices.count)
            seen += indices.count
            accumulate(&window, output: output, targets: y)

            let epochDone = step % stepsPerEpoch == 0
            let evaluationDue = config.evaluateEverySteps > 0
                ? step % config.evaluateEverySteps == 0
                : epochDone && (step / stepsPerEpoch) % max(config.evaluateEvery, 1) == 0
            if step % logEvery == 0 || epochDone || evaluationDue {
                var metrics: [String: Double] = ["train/loss": lossSum / Double(seen), "charts/epoch": Double(step) / Double(stepsPerEpoch)]
                metrics.merge(window.means(prefix: "train/")) { $1 }
                metrics["charts/stepsPerSecond"] = Double(windowSteps) / max(Date().timeIntervalSince(windowStart), 1e-9)
                if evaluationDue, let test {
                    let evaluationStart = Date(), evaluationCPUStart = processCPUSeconds()
                    metrics.merge(evaluate(test)) { $1 }
                    evaluationSeconds += Date().timeIntervalSince(evaluationStart)
                    evaluationCPUSeconds += processCPUSeconds() - evaluationCPUStart
                    lastEvaluated = step
                }
                metrics["charts/trainingSeconds"] = Date().timeIntervalSince(start) - evaluationSeconds
                metrics["charts/trainingCPUSeconds"] = processCPUSeconds() - cpuStart - evaluationCPUSeconds
                if let bad = model.firstNonFiniteParameter {
                    stopReason = .diverged("step \(step): parameter \(bad) is not finite; last good checkpoint: \(checkpoints.lastSaved ?? "none")")
                    break
                }
                last.merge(metrics) { $1 }
                lossSum = 0; seen = 0; window = newMetrics(); windowSteps = 0; windowStart = Date()
                if let reason = callbacks.send(.metrics(step: step, metrics)) { stopReason = reason }
            }
            if checkpoints.isDue(step: step), let url = try checkpoints.save(step: step, checkpointFile) {
                if let reason = callbacks.send(.checkpoint(step: step, url: url)) { stopReason = stopReason ?? reason }
            }
        }
        let reason = stopReason ?? .budgetExhausted("budget")
        var diverged = false
        if case .diverged = reason { diverged = true }
        // The run ends with a test evaluation of the final model, unless the last step already had one.
        if let test, !diverged, step > 0, lastEvaluated != step {
            var final = evaluate(test)
            final["charts/trainingSeconds"] = Date().timeIntervalSince(start) - evaluationSeconds
            final["charts/trainingCPUSeconds"] = processCPUSeconds() - cpuStart - evaluationCPUSeconds
            last.merge(final) { $1 }
            _ = callbacks.send(.metrics(step: step, final))
        }
        if config.finalTrainEvaluation, !diverged, step > 0 {
            var final: [String: Double] = [:]
            for (key, value) in evaluate(train, prefix: "") { final["final/train" + key.prefix(1).uppercased() + key.dropFirst()] = value }
            last.merge(final) { $1 }
            _ = callbacks.send(.metrics(step: step, final))
        }
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

/// CPU seconds the whole process has used (every thread).
func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
