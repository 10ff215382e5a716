import LatticeRuntime

/// Every hyperparameter of the `a2c` trainer with Stable-Baselines3's default (`A2C.__init__`): 5 steps
/// per copy, plain n-step returns (λ = 1; set `gaeLambda` for GAE), RMSprop with α 0.99 and ε 1e-5,
/// learning rate 7e-4, no advantage normalisation, entropy 0, value weight 0.5, gradient norm 0.5.
public struct A2CConfig: Sendable, Equatable {
    /// Rollout: 8 copies × 5 steps, γ 0.99, λ 1 (SB3's `n_steps`, `gamma`, `gae_lambda`; 8 copies as
    /// rl-baselines3-zoo's Atari setting).
    public var rollout = OnPolicySettings(environments: 8, rolloutSteps: 5, discount: 0.99, gaeLambda: 1)
    /// The step size (`learning_rate`).
    public var learningRate: Float = 7e-4
    /// Anneal the step size linearly to 0 over `budget.steps` (SB3 keeps it constant by default).
    public var annealLearningRate = false
    /// `rmsprop` (SB3's default, `use_rms_prop`) or `adam`.
    public var optimizer = "rmsprop"
    /// RMSprop's α (`alpha`).
    public var rmspropAlpha: Float = 0.99
    /// The optimizer's ε (`rms_prop_eps`).
    public var epsilon: Float = 1e-5
    /// Normalise advantages over the batch (`normalize_advantage`).
    public var normalizeAdvantages = false
    /// c_ent (`ent_coef`).
    public var entropyCoefficient: Float = 0
    /// c_vf (`vf_coef`).
    public var valueCoefficient: Float = 0.5
    /// Global gradient-norm bound (`max_grad_norm`).
    public var maxGradientNorm: Float = 0.5

    /// The optimizers.
    public static let optimizers = ["rmsprop", "adam"]

    /// The defaults.
    public init() {}

    /// Reads the trainer section; unknown keys are errors with line and column and the valid keys.
    public init(section: ConfigNode) throws {
        var r = try ConfigSectionReader(section)
        let d = A2CConfig()
        rollout = try OnPolicySettings(reading: &r, defaults: d.rollout)
        learningRate = try r.read("learningRate", default: d.learningRate)
        annealLearningRate = try r.read("annealLearningRate", default: d.annealLearningRate)
        optimizer = try r.readChoice("optimizer", default: d.optimizer, choices: Self.optimizers)
        rmspropAlpha = try r.read("rmspropAlpha", default: d.rmspropAlpha)
        epsilon = try r.read("epsilon", default: d.epsilon)
        normalizeAdvantages = try r.read("normalizeAdvantages", default: d.normalizeAdvantages)
        entropyCoefficient = try r.read("entropyCoefficient", default: d.entropyCoefficient)
        valueCoefficient = try r.read("valueCoefficient", default: d.valueCoefficient)
        maxGradientNorm = try r.read("maxGradientNorm", default: d.maxGradientNorm)
        try r.finish()
        let s = r.section
        try s.require("learningRate", learningRate > 0, "learningRate must be positive")
        try s.require("rmspropAlpha", rmspropAlpha > 0 && rmspropAlpha < 1, "rmspropAlpha must be in (0, 1)")
        try s.require("maxGradientNorm", maxGradientNorm > 0, "maxGradientNorm must be positive")
    }

    /// The keys for `lattice list trainers`.
    public static var parameters: [ParameterInfo] {
        OnPolicySettings.parameters(defaults: A2CConfig().rollout) + [
            ParameterInfo("learningRate", "float", default: "7e-4", "step size"),
            ParameterInfo("annealLearningRate", "bool", default: "false", "linear decay to 0 over budget.steps"),
            ParameterInfo("optimizer", "string", default: "rmsprop", "rmsprop | adam"),
            ParameterInfo("rmspropAlpha", "float", default: "0.99", "RMSprop α"),
            ParameterInfo("epsilon", "float", default: "1e-5", "optimizer ε"),
            ParameterInfo("normalizeAdvantages", "bool", default: "false", "normalise advantages over the batch"),
            ParameterInfo("entropyCoefficient", "float", default: "0", "entropy bonus c_ent"),
            ParameterInfo("valueCoefficient", "float", default: "0.5", "value loss weight c_vf"),
            ParameterInfo("maxGradientNorm", "float", default: "0.5", "global gradient-norm clip"),
        ]
    }
}
