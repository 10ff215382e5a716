import LatticeRuntime

/// Every hyperparameter of the `gan` trainer, with the CoordConv reference code's defaults
/// (non-saturating loss, z ~ U(−1, 1) of 256, one discriminator step then two generator steps, Adam at
/// 1e-4 for D and 5e-4 for G, batch 16). Adam's β1 defaults to DCGAN's 0.5 (Radford et al., 2016).
///
/// A training step is one iteration: `discriminatorSteps` updates of D, then `generatorSteps` of G.
public struct GANConfig: Sendable, Equatable {
    /// Length of the latent vector z.
    public var latentSize = 256
    /// z's distribution: `uniform` (U(−1, 1)) or `normal` (N(0, 1)).
    public var latentDistribution = "uniform"
    /// The loss: `nonSaturating` (G minimises −log D(G(z))), `minimax` (G minimises log(1 − D(G(z))))
    /// or `hinge` (D: max(0, 1 − D(x)) + max(0, 1 + D(G(z))); G: −D(G(z))).
    public var loss = "nonSaturating"
    /// Discriminator updates per iteration (k).
    public var discriminatorSteps = 1
    /// Generator updates per iteration (m).
    public var generatorSteps = 2
    /// D's Adam step size.
    public var discriminatorLearningRate: Float = 1e-4
    /// G's Adam step size.
    public var generatorLearningRate: Float = 5e-4
    /// Adam's β1 (both optimizers).
    public var beta1: Float = 0.5
    /// Adam's β2 (both optimizers).
    public var beta2: Float = 0.999
    /// Images per batch (real and fake each).
    public var batchSize = 16
    /// A sample grid and the coverage metrics every this many steps (0: only at the end).
    public var sampleEvery = 1000
    /// Generated images measured by the coverage metrics.
    public var coverageSamples = 1000
    /// The sample grid is `gridColumns × gridColumns` images.
    public var gridColumns = 8
    /// The split real images are drawn from.
    public var trainSplit = "train"

    /// The accepted losses.
    public static let losses = ["nonSaturating", "minimax", "hinge"]
    /// The accepted latent distributions.
    public static let latentDistributions = ["uniform", "normal"]

    /// The reference defaults.
    public init() {}

    /// Reads the trainer section; unknown keys are errors with line and column.
    public init(section: ConfigNode) throws {
        var r = try ConfigSectionReader(section)
        let d = GANConfig()
        latentSize = try r.read("latentSize", default: d.latentSize)
        latentDistribution = try r.readChoice("latentDistribution", default: d.latentDistribution,
                                              choices: GANConfig.latentDistributions)
        loss = try r.readChoice("loss", default: d.loss, choices: GANConfig.losses)
        discriminatorSteps = try r.read("discriminatorSteps", default: d.discriminatorSteps)
        generatorSteps = try r.read("generatorSteps", default: d.generatorSteps)
        discriminatorLearningRate = try r.read("discriminatorLearningRate", default: d.discriminatorLearningRate)
        generatorLearningRate = try r.read("generatorLearningRate", default: d.generatorLearningRate)
        beta1 = try r.read("beta1", default: d.beta1)
        beta2 = try r.read("beta2", default: d.beta2)
        batchSize = try r.read("batchSize", default: d.batchSize)
        sampleEvery = try r.read("sampleEvery", default: d.sampleEvery)
        coverageSamples = try r.read("coverageSamples", default: d.coverageSamples)
        gridColumns = try r.read("gridColumns", default: d.gridColumns)
        trainSplit = try r.read("trainSplit", default: d.trainSplit)
        try r.finish()
        let checks: [(String, Bool, String)] = [
            ("latentSize", latentSize >= 1, "latentSize must be at least 1"),
            ("discriminatorSteps", discriminatorSteps >= 1, "discriminatorSteps must be at least 1"),
            ("generatorSteps", generatorSteps >= 1, "generatorSteps must be at least 1"),
            ("batchSize", batchSize >= 2, "batchSize must be at least 2 (BatchNorm needs a batch)"),
            ("sampleEvery", sampleEvery >= 0, "sampleEvery must be 0 (only at the end) or more"),
            ("coverageSamples", coverageSamples >= 1, "coverageSamples must be at least 1"),
            ("gridColumns", gridColumns >= 1, "gridColumns must be at least 1"),
        ]
        for (key, ok, message) in checks where !ok {
            let node = section[key]
            throw ConfigError(.invalidValue, at: node?.location, path: node?.pathText ?? key, message)
        }
    }

    /// The keys for `lattice list trainers`.
    public static let parameters: [ParameterInfo] = [
        ParameterInfo("latentSize", "int", default: "256", "length of z"),
        ParameterInfo("latentDistribution", "string", default: "uniform", latentDistributions.joined(separator: " | ")),
        ParameterInfo("loss", "string", default: "nonSaturating", losses.joined(separator: " | ")),
        ParameterInfo("discriminatorSteps", "int", default: "1", "D updates per iteration"),
        ParameterInfo("generatorSteps", "int", default: "2", "G updates per iteration"),
        ParameterInfo("discriminatorLearningRate", "float", default: "1e-4", ""),
        ParameterInfo("generatorLearningRate", "float", default: "5e-4", ""),
        ParameterInfo("beta1", "float", default: "0.5", "Adam β1"), ParameterInfo("beta2", "float", default: "0.999", "Adam β2"),
        ParameterInfo("batchSize", "int", default: "16", ""),
        ParameterInfo("sampleEvery", "int", default: "1000", "steps between sample grids and coverage metrics"),
        ParameterInfo("coverageSamples", "int", default: "1000", "generated images measured"),
        ParameterInfo("gridColumns", "int", default: "8", "sample grid is columns × columns"),
        ParameterInfo("trainSplit", "string", default: "train", ""),
    ]
}
