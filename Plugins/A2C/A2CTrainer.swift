import LatticeNN
import LatticeRL
import LatticeRuntime
import LatticeTensor

/// The `a2c` trainer: synchronous advantage actor-critic (Mnih et al., "Asynchronous Methods for Deep
/// Reinforcement Learning", 2016, in its synchronous form as Stable-Baselines3 implements it). One
/// gradient step per rollout on the whole batch of N·T transitions:
///
///     policy  = −mean(A · log π(a|s))            (A not normalised unless asked)
///     value   = mean((R − V(s))²)                 (R = A + V_old: n-step returns when λ = 1)
///     entropy = mean(H(π(·|s)))
///     total   = policy − c_ent·entropy + c_vf·value
///
/// then global-norm clipping and an RMSprop (α 0.99, ε 1e-5) or Adam step. Steps are environment steps.
public final class A2CTrainer: Trainer {
    /// The hyperparameters.
    public let config: A2CConfig
    /// The shared rollout loop.
    public let runner: OnPolicyRunner

    /// A trainer for the experiment in `context`.
    public init(config: A2CConfig, context: TrainerContext) throws {
        self.config = config
        runner = try OnPolicyRunner(trainerID: "a2c", settings: config.rollout, context: context) {
            config.optimizer == "adam"
                ? Adam(learningRate: config.learningRate, epsilon: config.epsilon) as any Optimizer
                : RMSprop(learningRate: config.learningRate, alpha: config.rmspropAlpha, epsilon: config.epsilon)
        }
    }

    /// The policy and value network.
    public var model: ActorCritic { runner.model }

    public func train(budget: TrainingBudget, callbacks: [any TrainingCallback]) throws -> TrainingSummary {
        try runner.train(budget: budget, callbacks: callbacks) { buffer, progress in
            update(buffer, progress: progress)
        }
    }

    /// The A2C loss terms on a batch (differentiable total, and the parts as numbers).
    public static func loss(logits: Tensor, values: Tensor, batch: RolloutBuffer.Minibatch, normalizeAdvantages: Bool,
                            entropyCoefficient: Float, valueCoefficient: Float)
        -> (total: Tensor, policy: Float, value: Float, entropy: Float) {
        let distribution = Categorical(logits: logits)
        let advantages = normalizeAdvantages ? AdvantageEstimation.normalized(batch.advantages) : batch.advantages
        let policy = -(advantages * distribution.logProbability(of: batch.actions)).mean()
        let value = ((batch.returns - values) * (batch.returns - values)).mean()
        let entropy = distribution.entropy().mean()
        let total = policy - entropyCoefficient * entropy + valueCoefficient * value
        return (total, policy.scalar, value.scalar, entropy.scalar)
    }

    /// One A2C step on the whole rollout (advantages normalised over it when asked; its gradient computed in
    /// `rollout.updateShards` shards, one for the default 8 × 5).
    public func update(_ buffer: RolloutBuffer, progress: Double) -> [String: Double] {
        let optimizer = runner.optimizer
        if config.annealLearningRate { optimizer.learningRate = config.learningRate * Float(max(0, 1 - progress)) }
        let parameters = model.parameters
        var batch = buffer.minibatch(Array(0..<buffer.count))
        if config.normalizeAdvantages { batch.advantages = AdvantageEstimation.normalized(batch.advantages) }
        let shards = config.rollout.updateShards(minibatchSize: batch.actions.count)
        let (grads, parts) = model.shardedGradients(on: batch, shards: shards, wrt: parameters.map(\.value)) { part, logits, values in
            let loss = Self.loss(logits: logits, values: values, batch: part, normalizeAdvantages: false,
                                 entropyCoefficient: config.entropyCoefficient, valueCoefficient: config.valueCoefficient)
            return (loss.total, [loss.policy, loss.value, loss.entropy])
        }
        let (total, combined) = ActorCritic.combined(parts)
        guard total.isFinite else { return ["losses/total": Double(total)] }
        let norm = grads.globalNorm
        guard norm.isFinite else { return ["losses/gradientNorm": Double(norm)] }
        optimizer.update(parameters, along: grads, scaledBy: clipFactor(norm: norm, maxNorm: config.maxGradientNorm))
        let terms = combined.map(Double.init)
        return ["losses/policy": terms[0], "losses/value": terms[1], "losses/entropy": terms[2],
                "losses/total": Double(total), "losses/gradientNorm": Double(norm)]
    }
}
