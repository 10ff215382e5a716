import Foundation
import LatticeNN
import LatticeRL
import LatticeTensor

/// The loop shared by the A2C and PPO trainers (by composition: each trainer owns a runner and gives it
/// its update rule): builds the vector environment and the actor-critic from the experiment, then
/// repeats collect a rollout → estimate advantages → `update` until the budget is used, logging metrics,
/// writing checkpoints and stopping on a non-finite loss or parameter.
///
/// **Steps** are environment steps (each vector step of N copies counts N); `budget.steps` is checked
/// before each rollout, so a run ends within one rollout (N·T steps) past it. **Progress** handed to the
/// update is the fraction of `budget.steps` done before the rollout (0 without a step budget), for
/// learning-rate annealing.
///
/// **Randomness** comes from the experiment seed s: the model's weights from a generator seeded s, copy i
/// of the environment from s + i at the first reset, action sampling from s + 1 (the collector), and
/// minibatch shuffling from s + 2 (`shuffleGenerator`, owned by the trainer's update). The same config and
/// seed give the same numbers.
///
/// **Metrics** every `logging.everySteps` environment steps: `rollout/episodeReturn`,
/// `rollout/episodeLength` (means over the episodes finished since the last log; absent when none),
/// `rollout/episodes`, the update's metrics averaged over the updates since the last log, `charts/stepsPerSecond`
/// and `charts/learningRate`.
///
/// **Checkpoints** hold the model, the optimizer state and the step, update count and generator states;
/// a resumed run continues the step count, the learning-rate schedule and the generators, and starts new
/// episodes (environment internals are not saved), so it is not bit-identical to an uninterrupted run.
public final class OnPolicyRunner {
    /// The trainer's id (for events and checkpoint metadata).
    public let trainerID: String
    /// The rollout settings.
    public let settings: OnPolicySettings
    /// The policy and value network.
    public let model: ActorCritic
    /// The vector environment.
    public let environment: any VectorEnvironmentProtocol
    /// The rollout collector (owns the buffer and the sampling generator).
    public let collector: RolloutCollector
    /// The optimizer the update rule steps (saved in checkpoints).
    public let optimizer: any Optimizer
    /// The generator the update rule shuffles minibatches with.
    public var shuffleGenerator: RandomGenerator
    /// Environment steps done.
    public private(set) var step = 0
    /// Updates done.
    public private(set) var updates = 0
    let checkpoints: CheckpointManager
    let logEvery: Int
    let seed: UInt64

    /// Builds the environment copies, the model (from `model.trunk/policyHead/valueHead`) and the optimizer
    /// (`makeOptimizer`), and restores a checkpoint when the context resumes one.
    public init(trainerID: String, settings: OnPolicySettings, context: TrainerContext,
                makeOptimizer: () -> any Optimizer) throws {
        self.trainerID = trainerID
        self.settings = settings
        let experiment = context.experiment
        guard let spec = experiment.environment else {
            throw ConfigError(.missingKey("environment"), at: experiment.root.location, path: "",
                              "the \(trainerID) trainer needs an 'environment' (e.g. environment: MinAtar/Breakout-v1)")
        }
        do {
            environment = try Self.makeVectorEnvironment(spec, settings: settings, registries: context.registries)
        } catch let error as RegistryError {
            let node = experiment.root["environment"]
            throw ConfigError(.invalidValue, at: node?["id"]?.location ?? node?.location, path: "environment", error.description)
        }
        guard case .discrete(let actions) = environment.actionSpace else {
            throw ConfigError(.invalidValue, at: experiment.root["environment"]?.location, path: "environment",
                              "\(spec.id) has action space \(environment.actionSpace); \(trainerID) needs a discrete one")
        }
        var rng = RandomGenerator(seed: experiment.seed)
        model = try ActorCriticBuilder.build(experiment.model, observationShape: environment.observationSpace.shape,
                                             actionCount: actions, registries: context.registries, rng: &rng)
        seed = experiment.seed
        collector = RolloutCollector(environment: environment, model: model, steps: settings.rolloutSteps, seed: seed &+ 1)
        collector.inferenceShards = settings.inferenceShards
        optimizer = makeOptimizer()
        shuffleGenerator = RandomGenerator(seed: seed &+ 2)
        checkpoints = CheckpointManager(context: context)
        logEvery = max(1, experiment.logging.everySteps)
        if let file = try CheckpointManager.resumeFile(context) {
            try file.restore(model: model, optimizer: optimizer)
            step = try file.metadataInt("step")
            updates = try file.metadataInt("updates")
            collector.rng = try file.metadataGenerator("samplingGenerator")
            shuffleGenerator = try file.metadataGenerator("shuffleGenerator")
        }
    }

    /// N copies of the environment `spec` from the registry, in a synchronous or threaded vector.
    public static func makeVectorEnvironment(_ spec: ComponentSpec, settings: OnPolicySettings,
                                             registries: Registries) throws -> any VectorEnvironmentProtocol {
        let copies = try (0..<settings.environments).map { _ in
            try registries.environments.make(spec.id, config: spec.config, registries: registries)
        }
        return settings.vectorization == "threaded"
            ? try ThreadedVectorEnvironment(copies, workers: settings.workers)
            : try VectorEnvironment(copies)
    }

    /// The checkpoint of the current state.
    func checkpointFile() throws -> SafetensorsFile {
        try SafetensorsFile(model: model, optimizer: optimizer, metadata: [
            "trainer": trainerID, "step": String(step), "updates": String(updates),
            "samplingGenerator": collector.rng.stateText, "shuffleGenerator": shuffleGenerator.stateText,
        ])
    }

    /// Trains until the budget is used or a callback stops it. `update(buffer, progress)` performs one
    /// update on the filled buffer (advantages and returns already computed) and returns its metrics;
    /// each must be finite, and the key `losses/total` (if present) is the one checked for divergence.
    public func train(budget: TrainingBudget, callbacks: [any TrainingCallback],
                      update: (RolloutBuffer, Double) throws -> [String: Double]) throws -> TrainingSummary {
        let start = Date()
        _ = callbacks.send(.started(trainer: trainerID, parameterCount: model.parameterCount))
        collector.reset(seed: seed &+ UInt64(step))
        let estimator = settings.advantageEstimation
        var stopReason: StopReason?
        var last: [String: Double] = [:]
        var episodes: [EpisodeRecord] = []
        var sums: [String: Double] = [:]
        var summed = 0
        var windowStart = Date(), windowSteps = 0
        model.setTraining(false)
        while stopReason == nil {
            if let reason = budget.exhausted(step: step, elapsed: Date().timeIntervalSince(start)) { stopReason = reason; break }
            let progress = budget.steps.map { Double(step) / Double(max($0, 1)) } ?? 0
            let report = try collector.collect()
            estimator.compute(collector.buffer)
            model.setTraining(true)
            var metrics = try update(collector.buffer, progress)
            model.setTraining(false)
            metrics["losses/explainedVariance"] = collector.buffer.explainedVariance()
            let before = step
            step += report.environmentSteps
            updates += 1
            windowSteps += report.environmentSteps
            episodes += report.episodes
            if let bad = metrics.first(where: { !$0.value.isFinite && $0.key != "losses/explainedVariance" }) {
                stopReason = .diverged("step \(step): \(bad.key) is \(bad.value); last good checkpoint: \(checkpoints.lastSaved ?? "none")")
                break
            }
            for (k, v) in metrics where v.isFinite { sums[k, default: 0] += v }
            summed += 1
            if step / logEvery > before / logEvery {
                var logged = sums.mapValues { $0 / Double(summed) }
                if !episodes.isEmpty {
                    logged["rollout/episodeReturn"] = episodes.map(\.episodeReturn).reduce(0, +) / Double(episodes.count)
                    logged["rollout/episodeLength"] = Double(episodes.map(\.length).reduce(0, +)) / Double(episodes.count)
                }
                logged["rollout/episodes"] = Double(episodes.count)
                logged["charts/stepsPerSecond"] = Double(windowSteps) / max(Date().timeIntervalSince(windowStart), 1e-9)
                logged["charts/learningRate"] = Double(optimizer.learningRate)
                if let bad = model.firstNonFiniteParameter {
                    stopReason = .diverged("step \(step): parameter \(bad) is not finite; last good checkpoint: \(checkpoints.lastSaved ?? "none")")
                    break
                }
                last.merge(logged) { $1 }
                episodes.removeAll(); sums.removeAll(); summed = 0; windowSteps = 0; windowStart = Date()
                if let reason = callbacks.send(.metrics(step: step, logged)) { stopReason = reason }
            }
            if checkpoints.every > 0, step / checkpoints.every > before / checkpoints.every,
               let url = try checkpoints.save(step: step, checkpointFile) {
                if let reason = callbacks.send(.checkpoint(step: step, url: url)) { stopReason = stopReason ?? reason }
            }
        }
        let reason = stopReason ?? .budgetExhausted("budget")
        // A diverged run keeps its last good checkpoint; any other stop saves where it is.
        if case .diverged = reason {} else if let url = try checkpoints.save(step: step, checkpointFile) {
            _ = callbacks.send(.checkpoint(step: step, url: url))
        }
        _ = callbacks.send(.stopped(reason))
        let summary = TrainingSummary(trainer: trainerID, steps: step, seconds: Date().timeIntervalSince(start),
                                      stopReason: reason, finalMetrics: last, lastCheckpoint: checkpoints.lastSaved)
        _ = callbacks.send(.finished(summary))
        return summary
    }
}
