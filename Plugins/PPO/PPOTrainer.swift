import LatticeNN
import LatticeRL
import LatticeRuntime
import LatticeTensor

/// The `ppo` trainer: Proximal Policy Optimization with a clipped surrogate (Schulman et al. 2017) and
/// the 13 core implementation details of Huang et al. 2022 ("The 37 Implementation Details of PPO"):
/// vector environments with auto-reset, orthogonal initialisation, Adam ε 1e-5, linear learning-rate
/// annealing, GAE, shuffled minibatches over several epochs, per-minibatch advantage normalisation,
/// clipped surrogate, clipped value loss, one combined loss with an entropy bonus, global gradient
/// clipping, the debug metrics, and a shared trunk. Plus target-KL early stopping and bootstrapping
/// from V(final observation) on truncation (SB3's handling of time limits).
///
/// Steps are environment steps. Metrics besides the runner's: `losses/policy`, `losses/value`,
/// `losses/entropy`, `losses/approxKL`, `losses/clipFraction`, `losses/total`, `losses/gradientNorm`,
/// `charts/epochs` (epochs run before a target-KL stop).
public final class PPOTrainer: Trainer {
    /// The hyperparameters.
    public let config: PPOConfig
    /// The shared rollout loop (environment, model, collector, checkpoints).
    public let runner: OnPolicyRunner
    let adam: Adam

    /// A trainer for the experiment in `context`.
    public init(config: PPOConfig, context: TrainerContext) throws {
        self.config = config
        let adam = Adam(learningRate: config.learningRate, epsilon: config.adamEpsilon)
        self.adam = adam
        runner = try OnPolicyRunner(trainerID: "ppo", settings: config.rollout, context: context) { adam }
    }

    /// The policy and value network.
    public var model: ActorCritic { runner.model }

    public func train(budget: TrainingBudget, callbacks: [any TrainingCallback]) throws -> TrainingSummary {
        try runner.train(budget: budget, callbacks: callbacks) { buffer, progress in
            update(buffer, progress: progress)
        }
    }

    /// One PPO update on a filled buffer: `epochs` passes of `minibatches` shuffled minibatches, each one
    /// Adam step on the clipped loss after global-norm clipping. Returns the metrics averaged over the
    /// minibatches run.
    ///
    /// Each minibatch's advantages are normalised over the whole minibatch first; then its gradient is
    /// computed in `rollout.updateShards` shards on parallel threads (`ActorCritic.shardedGradients`), and
    /// the metrics are the shards' size-weighted means.
    public func update(_ buffer: RolloutBuffer, progress: Double) -> [String: Double] {
        adam.learningRate = config.learningRate(atProgress: progress)
        let parameters = model.parameters
        let tensors = parameters.map(\.value)
        let shards = config.rollout.updateShards(minibatchSize: buffer.count / config.minibatches)
        var sums: [String: Double] = [:]
        var count = 0, epochsRun = 0
        epochs: for _ in 0..<config.epochs {
            epochsRun += 1
            var epochKL = 0.0, epochBatches = 0
            for indices in buffer.minibatches(count: config.minibatches, rng: &runner.shuffleGenerator) {
                var batch = buffer.minibatch(indices)
                if config.normalizeAdvantages { batch.advantages = PPOLoss.normalized(batch.advantages) }
                let (grads, parts) = model.shardedGradients(on: batch, shards: shards, wrt: tensors) { part, logits, values in
                    let loss = PPOLoss(logits: logits, values: values, batch: part, clipEpsilon: config.clipEpsilon,
                                       clipValueLoss: config.clipValueLoss, normalizeAdvantages: false,
                                       entropyCoefficient: config.entropyCoefficient, valueCoefficient: config.valueCoefficient)
                    return (loss.total, [loss.policy, loss.value, loss.entropy, loss.approxKL, loss.clipFraction])
                }
                let (total, terms) = ActorCritic.combined(parts)
                guard total.isFinite else { return ["losses/total": Double(total)] }
                let norm = grads.globalNorm
                guard norm.isFinite else { return ["losses/gradientNorm": Double(norm)] }
                adam.update(parameters, along: grads, scaledBy: clipFactor(norm: norm, maxNorm: config.maxGradientNorm))
                for (key, value) in zip(["losses/policy", "losses/value", "losses/entropy", "losses/approxKL", "losses/clipFraction",
                                         "losses/total", "losses/gradientNorm"], terms + [total, norm]) {
                    sums[key, default: 0] += Double(value)
                }
                count += 1
                epochKL += Double(terms[3])
                epochBatches += 1
            }
            if config.targetKL > 0 && epochKL / Double(epochBatches) > Double(config.targetKL) { break epochs }
        }
        var metrics = sums.mapValues { $0 / Double(max(count, 1)) }
        metrics["charts/epochs"] = Double(epochsRun)
        return metrics
    }
}
