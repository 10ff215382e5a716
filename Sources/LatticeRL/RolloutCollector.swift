import LatticeNN
import LatticeTensor

/// Fills a `RolloutBuffer` by running an `ActorCritic` policy in a vector environment — the data side
/// shared by the A2C and PPO trainers (they own a collector; neither inherits from it).
///
/// Each of the buffer's `steps` steps: store the current observations sₜ; evaluate the model on them
/// inside `withoutGradients` (no autodiff graph); sample aₜ ~ Categorical(logits) with the collector's
/// generator and store aₜ, log π(aₜ|sₜ) and V(sₜ); step the vector environment (SAME_STEP auto-reset);
/// store rₜ and the terminated/truncated flags; for copies that were truncated (and not terminated),
/// evaluate V(final observation) in one batch and store it in `finalValues` (0 elsewhere); collect the
/// finished episodes' records. After the last step, store the observations and their values for
/// bootstrapping. The collector does not compute advantages (see `AdvantageEstimation`).
///
/// The environment must have been reset (`reset(seed:)` here, or on the environment) before the first
/// `collect()`; episodes continue across calls. Buffers and the action array are reused between steps;
/// the only per-step allocations are the model's own tensors. The model's training flag is left as the
/// trainer set it (call `model.setTraining(false)` first if it holds BatchNorm layers).
public final class RolloutCollector {
    /// The vector environment stepped.
    public let environment: any VectorEnvironmentProtocol
    /// The policy and value network.
    public let model: ActorCritic
    /// The storage filled by `collect()`.
    public let buffer: RolloutBuffer
    /// The generator actions are sampled with.
    public var rng: RandomGenerator
    /// Environment steps taken over all `collect()` calls (each vector step counts `environment.count`).
    public private(set) var environmentSteps = 0
    /// An optional per-copy action mask source: given the current observations, N·A flags (`true` =
    /// allowed), for `Categorical(logits:mask:)`. `nil` allows every action.
    public var actionMask: ((Tensor) -> [Bool])?
    /// Threads for the policy's forward pass over the copies (`ActorCritic.shardedInference`; blocks of at
    /// least 32 copies, so 8 copies always run as one). Trainers set it from `updateThreads`.
    public var inferenceShards = 1
    private var actions: [Int]

    /// A collector for `steps` steps per rollout; `seed` seeds action sampling.
    public init(environment: any VectorEnvironmentProtocol, model: ActorCritic, steps: Int, seed: UInt64) {
        guard case .discrete = environment.actionSpace else {
            preconditionFailure("RolloutCollector: action space \(environment.actionSpace) is not discrete; the categorical policy needs Discrete(n)")
        }
        self.environment = environment
        self.model = model
        self.buffer = RolloutBuffer(steps: steps, environments: environment.count,
                                    observationShape: environment.observationSpace.shape)
        self.rng = RandomGenerator(seed: seed)
        self.actions = [Int](repeating: 0, count: environment.count)
    }

    /// Resets every environment copy (copy i with `seed &+ i`); the next `collect()` starts new episodes.
    public func reset(seed: UInt64?) {
        environment.reset(seed: seed)
    }

    /// Fills the buffer with one rollout of `buffer.steps` vector steps and reports what happened.
    /// Throws what the environment throws (e.g. `EnvironmentError.notReset` before the first reset).
    @discardableResult
    public func collect() throws -> RolloutReport {
        let n = environment.count
        let steps = buffer.steps
        var episodes: [EpisodeRecord] = []
        for t in 0..<steps {
            let base = t &* n
            do {
                // Scoped so the batch is released before `step` writes it in place (no copy-on-write).
                let observations = environment.observations
                buffer.storeObservations(observations, step: t)
                let mask = actionMask?(observations)
                withoutGradients {
                    let (logits, values) = model.shardedInference(observations, shards: inferenceShards)
                    let policy = Categorical(logits: logits, mask: mask)
                    actions.withUnsafeMutableBufferPointer { act in
                        buffer.logProbabilities.withUnsafeMutableBufferPointer { lp in
                            policy.sample(into: act.baseAddress!, logProbabilities: lp.baseAddress! + base, using: &rng)
                        }
                    }
                    values.withUnsafeBufferPointer { v in
                        buffer.values.withUnsafeMutableBufferPointer { dst in
                            (dst.baseAddress! + base).update(from: v.baseAddress!, count: n)
                        }
                    }
                }
            }
            for e in 0..<n { buffer.actions[base &+ e] = actions[e] }
            try environment.step(actions)
            environmentSteps &+= n
            let rewards = environment.rewards, terminated = environment.terminated, truncated = environment.truncated
            var bootstrapCount = 0
            for e in 0..<n {
                buffer.rewards[base &+ e] = rewards[e]
                buffer.terminated[base &+ e] = terminated[e]
                buffer.truncated[base &+ e] = truncated[e]
                buffer.finalValues[base &+ e] = 0
                if truncated[e] && !terminated[e] { bootstrapCount &+= 1 }
            }
            if bootstrapCount > 0 { storeFinalValues(step: t, count: bootstrapCount) }
            episodes.append(contentsOf: environment.finishedEpisodes)
        }
        let last = environment.observations
        buffer.storeLastObservations(last)
        withoutGradients {
            let v = model.values(last)
            v.withUnsafeBufferPointer { src in
                buffer.lastValues.withUnsafeMutableBufferPointer { dst in
                    dst.baseAddress!.update(from: src.baseAddress!, count: n)
                }
            }
        }
        return RolloutReport(environmentSteps: steps &* n, totalEnvironmentSteps: environmentSteps, episodes: episodes)
    }

    /// Evaluates V on the final observations of the `count` copies truncated in step `t` (one batch) and
    /// stores the values in `buffer.finalValues`.
    private func storeFinalValues(step t: Int, count: Int) {
        let n = environment.count
        let size = buffer.observationSize
        let truncated = environment.truncated, terminated = environment.terminated
        let hasFinal = environment.hasFinalObservation
        var rows: [Int] = []
        rows.reserveCapacity(count)
        for e in 0..<n where truncated[e] && !terminated[e] {
            precondition(hasFinal[e], "RolloutCollector: copy \(e) was truncated but its vector environment gave no final observation")
            rows.append(e)
        }
        let finals = environment.finalObservations.withUnsafeBufferPointer { src in
            Tensor(shape: [rows.count] + buffer.observationShape) { dst in
                for (k, e) in rows.enumerated() {
                    (dst.baseAddress! + k &* size).update(from: src.baseAddress! + e &* size, count: size)
                }
            }
        }
        withoutGradients {
            let v = model.values(finals)
            v.withUnsafeBufferPointer { values in
                for (k, e) in rows.enumerated() { buffer.finalValues[t &* n &+ e] = values[k] }
            }
        }
    }
}

/// What one `RolloutCollector.collect()` did.
public struct RolloutReport: Sendable, Equatable {
    /// Environment steps in this rollout (steps × copies).
    public var environmentSteps: Int
    /// Environment steps over all rollouts of the collector so far.
    public var totalEnvironmentSteps: Int
    /// The episodes that finished during this rollout, in the order they finished (copy order within a step).
    public var episodes: [EpisodeRecord]

    /// A report.
    public init(environmentSteps: Int, totalEnvironmentSteps: Int, episodes: [EpisodeRecord]) {
        self.environmentSteps = environmentSteps
        self.totalEnvironmentSteps = totalEnvironmentSteps
        self.episodes = episodes
    }
}
