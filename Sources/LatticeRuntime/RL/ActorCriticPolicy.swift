import Foundation
import LatticeNN
import LatticeRL
import LatticeTensor

/// A trained actor-critic as a `Policy`: argmax (`deterministic`) or sampled actions, with π(·|s) and V(s)
/// for the viewer's panel. Made from a model, or loaded from a run directory's config and checkpoint.
public final class ActorCriticPolicy: Policy {
    /// `ppo step 50000`, or what the caller names it.
    public let name: String
    /// The number of actions.
    public let actionCount: Int
    /// The network.
    public let model: ActorCritic
    /// Argmax actions when `true`, samples from π otherwise.
    public var deterministic: Bool
    private var generator: RandomGenerator

    /// A policy over `model` for `actionCount` actions; `seed` seeds sampling.
    public init(model: ActorCritic, actionCount: Int, name: String, deterministic: Bool = true, seed: UInt64 = 0) {
        self.model = model
        self.actionCount = actionCount
        self.name = name
        self.deterministic = deterministic
        generator = RandomGenerator(seed: seed)
        model.setTraining(false)
    }

    /// The policy of a run directory: its `config.yaml` rebuilds the model for `environment` (whose spaces
    /// must match the run's), then `checkpoint` (default: the latest) restores the weights. Errors name
    /// the file: no checkpoint, a corrupt one, or one whose tensors do not fit the config's model.
    public static func load(run: RunDirectory, environment: any Environment, registries: Registries,
                            checkpoint: URL? = nil, deterministic: Bool = true, seed: UInt64 = 0) throws -> ActorCriticPolicy {
        let experiment = try ExperimentConfig(contentsOf: run.configURL)
        guard case .discrete(let actions) = environment.actionSpace else {
            throw PolicyLoadError(message: "\(environment.id) has action space \(environment.actionSpace); an actor-critic needs a discrete one")
        }
        guard let url = try checkpoint ?? run.latestCheckpoint() else {
            throw PolicyLoadError(message: "\(run.url.path) has no checkpoint in checkpoints/; train first (lattice train …) or give --checkpoint")
        }
        var rng = RandomGenerator(seed: experiment.seed)
        let model = try ActorCriticBuilder.build(experiment.model, observationShape: environment.observationSpace.shape,
                                                 actionCount: actions, registries: registries, rng: &rng)
        let file = try SafetensorsFile(contentsOf: url)
        try file.restore(model: model)
        let step = file.metadata["step"].map { " step \($0)" } ?? ""
        return ActorCriticPolicy(model: model, actionCount: actions, name: "\(experiment.trainer.id)\(step)",
                                 deterministic: deterministic, seed: seed)
    }

    /// The action for one observation, with π(·|s) and V(s).
    public func act(_ observation: Tensor) -> PolicyDecision {
        withoutGradients {
            let (logits, values) = model(observation.reshaped([1] + observation.shape))
            let distribution = Categorical(logits: logits)
            let action = deterministic ? distribution.mode()[0] : distribution.sample(using: &generator)[0]
            return PolicyDecision(action: action, probabilities: distribution.probabilities.scalars, value: values.scalars[0])
        }
    }
}

/// A run's policy cannot be loaded (the message says why and what to do).
public struct PolicyLoadError: Error, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    /// The message.
    public var description: String { message }
}

/// Plays whole episodes with a policy and reports their returns: the evaluation of `lattice eval` and of
/// the learning tests.
public enum PolicyEvaluation {
    /// The mean, its standard error (sample standard deviation / √n; 0 for one episode) and the records of
    /// `episodes` episodes of `environment` played by `policy`; episode k starts with `reset(seed: seed + k)`.
    /// `onFrame`, if given, receives every rendered frame (for GIF recording). Episodes longer than
    /// `maxSteps` are cut off (and counted as they stand).
    public static func run(_ policy: any Policy, on environment: any Environment, episodes: Int, seed: UInt64,
                           maxSteps: Int = 100_000, onFrame: ((Frame) -> Void)? = nil) throws
        -> (mean: Double, standardError: Double, episodes: [EpisodeRecord]) {
        var records: [EpisodeRecord] = []
        for k in 0..<episodes {
            var observation = environment.reset(seed: seed &+ UInt64(k))
            if let onFrame, let frame = environment.render() { onFrame(frame) }
            var total = 0.0, length = 0, truncated = false
            while length < maxSteps {
                let result = try environment.step(policy.act(observation).action)
                if let onFrame, let frame = environment.render() { onFrame(frame) }
                total += Double(result.reward)
                length += 1
                observation = result.observation
                if result.terminated || result.truncated { truncated = result.truncated && !result.terminated; break }
            }
            records.append(EpisodeRecord(index: k, episodeReturn: total, length: length, truncated: truncated))
        }
        let returns = records.map(\.episodeReturn)
        let standardError = Statistics.standardDeviation(returns) / Double(max(returns.count, 1)).squareRoot()
        return (Statistics.mean(returns), standardError, records)
    }
}
