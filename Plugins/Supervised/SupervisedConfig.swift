import LatticeNN
import LatticeRuntime

/// Every hyperparameter of the `supervised` trainer, with its default (the CoordConv paper's code uses
/// Adam with β2 = 0.99; PyTorch's default is 0.999).
public struct SupervisedConfig: Sendable, Equatable {
    /// Adam's step size.
    public var learningRate: Float = 1e-3
    /// Step decay of the learning rate (the reference code's `--lrpolicy step`): multiplied by
    /// `learningRateDecay` every `learningRateDecayEvery` steps; 0 keeps it constant.
    public var learningRateDecayEvery = 0
    /// The factor of each decay step.
    public var learningRateDecay: Float = 0.1
    /// Adam's β1.
    public var beta1: Float = 0.9
    /// Adam's β2.
    public var beta2: Float = 0.999
    /// Adam's ε.
    public var epsilon: Float = 1e-8
    /// Examples per minibatch.
    public var batchSize = 32
    /// L2 penalty coefficient on kernels (parameters named `weight` of rank ≥ 2): loss += c·Σ w²/2.
    public var kernelL2: Float = 0
    /// When positive, `kernelL2` applies only to the kernels of the first this many layers of
    /// `model.layers` (e.g. the centre-logit stack of the rendering model, not its painter); 0: every layer.
    public var kernelL2Layers = 0
    /// The loss: `softmaxCrossEntropy` (integer or one-hot targets), `meanSquaredError`, `sigmoidCrossEntropy`.
    public var loss = "softmaxCrossEntropy"
    /// The split to train on.
    public var trainSplit = "train"
    /// The split evaluated after every `evaluateEvery` epochs (empty: none).
    public var testSplit = "test"
    /// Evaluate every this many epochs.
    public var evaluateEvery = 1
    /// When positive, evaluate every this many steps instead of every `evaluateEvery` epochs.
    public var evaluateEverySteps = 0
    /// Examples per evaluation batch.
    public var evaluationBatchSize = 256
    /// Metrics computed on each split besides the loss: `accuracy`, `iou`, `pixelError`. Empty in a config
    /// means "from the loss": accuracy for softmax cross-entropy, IoU for sigmoid cross-entropy, none for MSE.
    public var metrics: [String] = []
    /// Pixels per unit of regression target, for `pixelError` (Not-so-Clevr's normalised centre: 63/2 = 31.5).
    public var pixelScale: Float = 31.5
    /// Evaluate the whole train split (evaluation mode) once at the end: metrics `final/train…`.
    public var finalTrainEvaluation = false
    /// Flush denormal floats to zero on the training thread (`FloatingPointMode`), as TensorFlow does: a
    /// sharp softmax otherwise fills the backward pass with denormals that make steps several times slower.
    public var flushDenormals = true
    /// An auxiliary loss on the output of one layer: `none`, or `softmaxCrossEntropy` of that output
    /// (flattened per example) against the split's labels (a `LabelledSplit`) — the CoordConv paper's
    /// rendering model adds it on its centre logits (the reference code's `interm_loss softmax`).
    public var auxiliaryLoss = "none"
    /// The 0-based index in `model.layers` of the layer whose output the auxiliary loss reads.
    public var auxiliaryLayer = -1
    /// The auxiliary loss's weight: loss = main + weight · auxiliary.
    public var auxiliaryWeight: Float = 1

    /// The learning-rate schedule: constant, or step decay.
    public var schedule: StandardSchedule {
        learningRateDecayEvery > 0 ? .step(initial: learningRate, gamma: learningRateDecay, every: learningRateDecayEvery)
                                   : .constant(learningRate)
    }

    /// The metrics reported: `metrics`, or the loss's default.
    public var effectiveMetrics: [String] {
        if !metrics.isEmpty { return metrics }
        switch loss {
        case "softmaxCrossEntropy": return ["accuracy"]
        case "sigmoidCrossEntropy": return ["iou"]
        default: return []
        }
    }

    public static let losses = ["softmaxCrossEntropy", "meanSquaredError", "sigmoidCrossEntropy"]
    /// The choices of `auxiliaryLoss`.
    public static let auxiliaryLosses = ["none", "softmaxCrossEntropy"]

    public init() {}

    /// Reads the trainer section; unknown keys are errors with line and column.
    public init(section: ConfigNode) throws {
        var r = try ConfigSectionReader(section)
        let d = SupervisedConfig()
        learningRate = try r.read("learningRate", default: d.learningRate)
        learningRateDecayEvery = max(0, try r.read("learningRateDecayEvery", default: d.learningRateDecayEvery))
        learningRateDecay = try r.read("learningRateDecay", default: d.learningRateDecay)
        beta1 = try r.read("beta1", default: d.beta1)
        beta2 = try r.read("beta2", default: d.beta2)
        epsilon = try r.read("epsilon", default: d.epsilon)
        batchSize = try r.read("batchSize", default: d.batchSize)
        kernelL2 = try r.read("kernelL2", default: d.kernelL2)
        kernelL2Layers = max(0, try r.read("kernelL2Layers", default: d.kernelL2Layers))
        loss = try r.readChoice("loss", default: d.loss, choices: SupervisedConfig.losses)
        trainSplit = try r.read("trainSplit", default: d.trainSplit)
        testSplit = try r.read("testSplit", default: d.testSplit)
        evaluateEvery = try r.read("evaluateEvery", default: d.evaluateEvery)
        evaluateEverySteps = try r.read("evaluateEverySteps", default: d.evaluateEverySteps)
        evaluationBatchSize = max(1, try r.read("evaluationBatchSize", default: d.evaluationBatchSize))
        metrics = try r.read("metrics", default: d.metrics)
        pixelScale = try r.read("pixelScale", default: d.pixelScale)
        finalTrainEvaluation = try r.read("finalTrainEvaluation", default: d.finalTrainEvaluation)
        flushDenormals = try r.read("flushDenormals", default: d.flushDenormals)
        auxiliaryLoss = try r.readChoice("auxiliaryLoss", default: d.auxiliaryLoss, choices: SupervisedConfig.auxiliaryLosses)
        auxiliaryLayer = try r.read("auxiliaryLayer", default: d.auxiliaryLayer)
        auxiliaryWeight = try r.read("auxiliaryWeight", default: d.auxiliaryWeight)
        if let bad = metrics.first(where: { !SupervisedMetrics.names.contains($0) }) {
            let node = section["metrics"]
            throw ConfigError(.invalidValue, at: node?.location, path: node?.pathText ?? "metrics",
                              "unknown metric '\(bad)'; known: \(SupervisedMetrics.names.joined(separator: ", "))")
        }
        try r.finish()
        if auxiliaryLoss != "none" && auxiliaryLayer < 0 {
            let node = section["auxiliaryLayer"] ?? section["auxiliaryLoss"]
            throw ConfigError(.invalidValue, at: node?.location, path: node?.pathText ?? "auxiliaryLayer",
                              "auxiliaryLoss \(auxiliaryLoss) needs auxiliaryLayer: the 0-based index of a layer in model.layers")
        }
        if batchSize < 1 {
            let node = section["batchSize"]
            throw ConfigError(.invalidValue, at: node?.location, path: node?.pathText ?? "batchSize", "batchSize must be at least 1")
        }
    }

    /// The keys for `lattice list trainers`.
    public static let parameters: [ParameterInfo] = [
        ParameterInfo("learningRate", "float", default: "0.001", "Adam step size"),
        ParameterInfo("learningRateDecayEvery", "int", default: "0", "steps between learning-rate decays (0: constant)"),
        ParameterInfo("learningRateDecay", "float", default: "0.1", "factor of each learning-rate decay"),
        ParameterInfo("beta1", "float", default: "0.9", ""), ParameterInfo("beta2", "float", default: "0.999", ""),
        ParameterInfo("epsilon", "float", default: "1e-8", ""), ParameterInfo("batchSize", "int", default: "32", ""),
        ParameterInfo("kernelL2", "float", default: "0", "L2 on kernels"),
        ParameterInfo("kernelL2Layers", "int", default: "0", "L2 only on the first n layers (0: all)"),
        ParameterInfo("loss", "string", default: "softmaxCrossEntropy", losses.joined(separator: " | ")),
        ParameterInfo("trainSplit", "string", default: "train", ""), ParameterInfo("testSplit", "string", default: "test", ""),
        ParameterInfo("evaluateEvery", "int", default: "1", "epochs between evaluations"),
        ParameterInfo("evaluateEverySteps", "int", default: "0", "steps between evaluations (0: use evaluateEvery)"),
        ParameterInfo("evaluationBatchSize", "int", default: "256", "examples per evaluation batch"),
        ParameterInfo("metrics", "[string]", default: "from loss", SupervisedMetrics.names.joined(separator: " | ")),
        ParameterInfo("pixelScale", "float", default: "31.5", "pixels per target unit, for pixelError"),
        ParameterInfo("finalTrainEvaluation", "bool", default: "false", "evaluate the whole train split at the end"),
        ParameterInfo("flushDenormals", "bool", default: "true", "flush denormal floats to zero while training (as TensorFlow does)"),
        ParameterInfo("auxiliaryLoss", "string", default: "none", auxiliaryLosses.joined(separator: " | ") + ", on the output of auxiliaryLayer against the split's labels"),
        ParameterInfo("auxiliaryLayer", "int", default: "-1", "0-based index in model.layers of the layer the auxiliary loss reads"),
        ParameterInfo("auxiliaryWeight", "float", default: "1", "weight of the auxiliary loss"),
    ]
}
