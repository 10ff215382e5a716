import LatticeNN
import LatticeRL

/// The rollout side of an on-policy trainer (A2C, PPO): how many environment copies, how many steps each
/// per update, the advantage estimator and how the copies are stepped. Read from the trainer's section.
public struct OnPolicySettings: Sendable, Equatable {
    /// Environment copies N stepped together (CleanRL's `num_envs`).
    public var environments: Int
    /// Steps T per copy per rollout (CleanRL's `num_steps`); one update uses N·T transitions.
    public var rolloutSteps: Int
    /// γ.
    public var discount: Float
    /// λ of GAE (1 = n-step returns).
    public var gaeLambda: Float
    /// `sync` (one thread; best for cheap environments such as MinAtar and grid-worlds) or `threaded`
    /// (copies stepped on `workers` threads; pays only for expensive environments).
    public var vectorization: String
    /// Threads for `threaded`.
    public var workers: Int
    /// Threads for the update: each minibatch is cut into this many shards whose gradients are computed in
    /// parallel and summed (`DataParallel`); 0 = one per worker-pool thread (one per core, or
    /// `LATTICE_THREADS`), 1 = no sharding. Shards keep at least 64 transitions, so small batches (A2C's
    /// 8 × 5) run as one. The rollout's forward pass over 64 or more
    /// copies is cut the same way (`inferenceShards`).
    public var updateThreads: Int

    /// The vectorization modes.
    public static let vectorizations = ["sync", "threaded"]

    /// Settings with these values.
    public init(environments: Int, rolloutSteps: Int, discount: Float, gaeLambda: Float,
                vectorization: String = "sync", workers: Int = 2, updateThreads: Int = 0) {
        self.environments = environments
        self.rolloutSteps = rolloutSteps
        self.discount = discount
        self.gaeLambda = gaeLambda
        self.vectorization = vectorization
        self.workers = workers
        self.updateThreads = updateThreads
    }

    /// Reads the keys `environments`, `rolloutSteps`, `discount`, `gaeLambda`, `vectorization`, `workers`,
    /// `updateThreads` from `reader`, with `defaults` for absent ones; values out of range are errors naming the key.
    public init(reading reader: inout ConfigSectionReader, defaults d: OnPolicySettings) throws {
        environments = try reader.read("environments", default: d.environments)
        rolloutSteps = try reader.read("rolloutSteps", default: d.rolloutSteps)
        discount = try reader.read("discount", default: d.discount)
        gaeLambda = try reader.read("gaeLambda", default: d.gaeLambda)
        vectorization = try reader.readChoice("vectorization", default: d.vectorization, choices: Self.vectorizations)
        workers = try reader.read("workers", default: d.workers)
        updateThreads = try reader.read("updateThreads", default: d.updateThreads)
        try reader.section.require("environments", environments >= 1, "environments must be at least 1")
        try reader.section.require("rolloutSteps", rolloutSteps >= 1, "rolloutSteps must be at least 1")
        try reader.section.require("discount", discount > 0 && discount <= 1, "discount must be in (0, 1]")
        try reader.section.require("gaeLambda", gaeLambda >= 0 && gaeLambda <= 1, "gaeLambda must be in [0, 1]")
        try reader.section.require("workers", workers >= 1, "workers must be at least 1")
        try reader.section.require("updateThreads", updateThreads >= 0, "updateThreads must be 0 (one per core) or more")
    }

    /// Transitions per update, N·T.
    public var batchSize: Int { environments * rolloutSteps }

    /// The number of shards for an update minibatch of `size` transitions.
    public func updateShards(minibatchSize size: Int) -> Int {
        DataParallel.shardCount(batchSize: size, threads: updateThreads)
    }

    /// The threads for the rollout's forward pass over the copies (blocks of at least 32 copies).
    public var inferenceShards: Int {
        DataParallel.shardCount(batchSize: environments, threads: updateThreads, minimumShard: 32)
    }

    /// The estimator these settings describe.
    public var advantageEstimation: AdvantageEstimation { AdvantageEstimation(discount: discount, gaeLambda: gaeLambda) }

    /// `lattice list trainers` rows for these keys, with `d`'s values as defaults.
    public static func parameters(defaults d: OnPolicySettings) -> [ParameterInfo] {
        [
            ParameterInfo("environments", "int", default: "\(d.environments)", "environment copies stepped together"),
            ParameterInfo("rolloutSteps", "int", default: "\(d.rolloutSteps)", "steps per copy per update"),
            ParameterInfo("discount", "float", default: "\(d.discount)", "γ"),
            ParameterInfo("gaeLambda", "float", default: "\(d.gaeLambda)", "GAE λ (1 = n-step returns)"),
            ParameterInfo("vectorization", "string", default: d.vectorization, "sync | threaded"),
            ParameterInfo("workers", "int", default: "\(d.workers)", "threads for threaded vectorization"),
            ParameterInfo("updateThreads", "int", default: "\(d.updateThreads)", "threads for the update's minibatch shards (0 = one per core)"),
        ]
    }
}
