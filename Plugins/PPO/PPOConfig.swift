import LatticeRuntime

/// Every hyperparameter of the `ppo` trainer with CleanRL's default (`ppo_atari.py`'s `Args`), the
/// reference the spec names. Keys in a config are these names: `trainer: {id: ppo, learningRate: 2.5e-4}`.
public struct PPOConfig: Sendable, Equatable {
    /// Rollout: 8 copies × 128 steps, γ 0.99, λ 0.95 (CleanRL's `num_envs`, `num_steps`, `gamma`, `gae_lambda`).
    public var rollout = OnPolicySettings(environments: 8, rolloutSteps: 128, discount: 0.99, gaeLambda: 0.95)
    /// Adam's step size at the start (`learning_rate`).
    public var learningRate: Float = 2.5e-4
    /// Anneal the step size linearly to 0 over `budget.steps` (`anneal_lr`).
    public var annealLearningRate = true
    /// Fraction of `budget.steps` over which the step size ramps up linearly from 0 (gymnax-blines'
    /// `lr_warmup`; 0 = no warm-up, CleanRL's default).
    public var learningRateWarmup: Float = 0
    /// Adam's ε (detail 3: 1e-5, not PyTorch's 1e-8).
    public var adamEpsilon: Float = 1e-5
    /// Passes over each rollout (`update_epochs`).
    public var epochs = 4
    /// Minibatches per epoch (`num_minibatches`); each holds N·T / minibatches transitions.
    public var minibatches = 4
    /// Normalise advantages per minibatch to mean 0, standard deviation 1 (`norm_adv`).
    public var normalizeAdvantages = true
    /// ε of the clipped surrogate (`clip_coef`; 0.1 for Atari, 0.2 for classic control).
    public var clipEpsilon: Float = 0.1
    /// Clip the value loss around the old values with the same ε (`clip_vloss`).
    public var clipValueLoss = true
    /// c_ent, the entropy bonus (`ent_coef`).
    public var entropyCoefficient: Float = 0.01
    /// c_vf, the value-loss weight (`vf_coef`).
    public var valueCoefficient: Float = 0.5
    /// Global gradient-norm bound (`max_grad_norm`).
    public var maxGradientNorm: Float = 0.5
    /// Stop an update's epochs early once the approximate KL passes this (`target_kl`); 0 = never.
    public var targetKL: Float = 0

    /// The defaults.
    public init() {}

    /// The step size at `progress` (0 at the start of the budget, 1 at its end): `learningRate`, ramped up
    /// linearly over the first `learningRateWarmup` of the budget, times 1 − progress when annealing.
    public func learningRate(atProgress progress: Double) -> Float {
        var rate = learningRate
        if learningRateWarmup > 0 { rate *= Float(min(1, progress / Double(learningRateWarmup))) }
        if annealLearningRate { rate *= Float(max(0, 1 - progress)) }
        return rate
    }

    /// Reads the trainer section; unknown keys are errors with line and column and the valid keys.
    public init(section: ConfigNode) throws {
        var r = try ConfigSectionReader(section)
        let d = PPOConfig()
        rollout = try OnPolicySettings(reading: &r, defaults: d.rollout)
        learningRate = try r.read("learningRate", default: d.learningRate)
        annealLearningRate = try r.read("annealLearningRate", default: d.annealLearningRate)
        learningRateWarmup = try r.read("learningRateWarmup", default: d.learningRateWarmup)
        adamEpsilon = try r.read("adamEpsilon", default: d.adamEpsilon)
        epochs = try r.read("epochs", default: d.epochs)
        minibatches = try r.read("minibatches", default: d.minibatches)
        normalizeAdvantages = try r.read("normalizeAdvantages", default: d.normalizeAdvantages)
        clipEpsilon = try r.read("clipEpsilon", default: d.clipEpsilon)
        clipValueLoss = try r.read("clipValueLoss", default: d.clipValueLoss)
        entropyCoefficient = try r.read("entropyCoefficient", default: d.entropyCoefficient)
        valueCoefficient = try r.read("valueCoefficient", default: d.valueCoefficient)
        maxGradientNorm = try r.read("maxGradientNorm", default: d.maxGradientNorm)
        targetKL = try r.read("targetKL", default: d.targetKL)
        try r.finish()
        let s = r.section
        try s.require("learningRate", learningRate > 0, "learningRate must be positive")
        try s.require("learningRateWarmup", (0..<1).contains(learningRateWarmup), "learningRateWarmup must be in [0, 1)")
        try s.require("epochs", epochs >= 1, "epochs must be at least 1")
        try s.require("minibatches", minibatches >= 1 && minibatches <= rollout.batchSize,
                      "minibatches must be in 1...\(rollout.batchSize) (environments × rolloutSteps)")
        try s.require("clipEpsilon", clipEpsilon > 0, "clipEpsilon must be positive")
        try s.require("maxGradientNorm", maxGradientNorm > 0, "maxGradientNorm must be positive")
        try s.require("targetKL", targetKL >= 0, "targetKL must be 0 (off) or positive")
    }

    /// The keys for `lattice list trainers`.
    public static var parameters: [ParameterInfo] {
        let d = PPOConfig()
        return OnPolicySettings.parameters(defaults: d.rollout) + [
            ParameterInfo("learningRate", "float", default: "2.5e-4", "Adam step size at the start"),
            ParameterInfo("annealLearningRate", "bool", default: "true", "linear decay to 0 over budget.steps"),
            ParameterInfo("learningRateWarmup", "float", default: "0", "fraction of budget.steps of linear warm-up from 0"),
            ParameterInfo("adamEpsilon", "float", default: "1e-5", "Adam ε"),
            ParameterInfo("epochs", "int", default: "4", "passes over each rollout"),
            ParameterInfo("minibatches", "int", default: "4", "minibatches per epoch"),
            ParameterInfo("normalizeAdvantages", "bool", default: "true", "per-minibatch advantage normalisation"),
            ParameterInfo("clipEpsilon", "float", default: "0.1", "surrogate clip ε"),
            ParameterInfo("clipValueLoss", "bool", default: "true", "clipped value loss"),
            ParameterInfo("entropyCoefficient", "float", default: "0.01", "entropy bonus c_ent"),
            ParameterInfo("valueCoefficient", "float", default: "0.5", "value loss weight c_vf"),
            ParameterInfo("maxGradientNorm", "float", default: "0.5", "global gradient-norm clip"),
            ParameterInfo("targetKL", "float", default: "0", "early-stop KL per update (0 = off)"),
        ]
    }
}
