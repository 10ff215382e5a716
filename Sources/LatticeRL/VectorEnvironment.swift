import LatticeTensor

/// N copies of an environment stepped one after another on the calling thread, with SAME_STEP auto-reset.
///
/// **Auto-reset mode: SAME_STEP**, like Stable-Baselines3 (Gymnasium 1.x defaults to NEXT_STEP; Lattice
/// does not). When copy `i` ends an episode during `step(_:)`, the same call resets it and
///  - row `i` of `observations` is the first observation of the *next* episode,
///  - `rewards[i]`, `terminated[i]`, `truncated[i]` describe the step that *ended* the old one,
///  - row `i` of `finalObservations` holds the old episode's last observation and
///    `hasFinalObservation[i]` is `true` (bootstrap a truncated step with `γ·V(final observation)`),
///  - `finishedEpisodes` holds an `EpisodeRecord` (return, length, wall time) for it, in copy order.
///
/// **Seeding**: `reset(seed: s)` seeds copy `i` with `s &+ i`; `reset(seed: nil)` and auto-resets keep each
/// copy's own stream, so a seeded run is reproducible bit for bit.
///
/// **No allocation per step**: observations are written by each copy straight into its row of one batch
/// tensor `[N, ...observationShape]` kept here; rewards and flags go into arrays allocated once. Read
/// `observations` right after `step` (or copy its scalars into a rollout buffer); keeping the tensor value
/// across the next `step` is safe but makes that step copy the batch.
///
/// ```swift
/// let envs = try VectorEnvironment((0..<8).map { _ in try make("GridWorld/Empty-5x5-v0") })
/// envs.reset(seed: 42)
/// try envs.step(actions)          // envs.observations, envs.rewards, envs.finishedEpisodes ...
/// ```
public final class VectorEnvironment: VectorEnvironmentProtocol {
    let batch: VectorBatch

    /// Wraps `environments` (distinct objects with equal spaces) as one batch.
    public init(_ environments: [any Environment]) throws {
        batch = try VectorBatch(environments, kind: "VectorEnvironment")
    }

    /// The copies, in batch order.
    public var environments: [any Environment] { batch.environments }
    /// The number of copies N.
    public var count: Int { batch.count }
    /// The id of the copies' environment.
    public var id: String { batch.id }
    /// The observation space of one copy.
    public var observationSpace: Space { batch.observationSpace }
    /// The action space of one copy.
    public var actionSpace: Space { batch.actionSpace }
    /// `[N, ...observationShape]`: each copy's current observation (next episode's first after a finish).
    public var observations: Tensor { batch.observations }
    /// The reward of each copy's last step.
    public var rewards: [Float] { batch.rewards }
    /// Whether each copy's last step reached an end state.
    public var terminated: [Bool] { batch.terminated }
    /// Whether each copy's last step was cut off.
    public var truncated: [Bool] { batch.truncated }
    /// Final observations of the copies that finished in the last step (rows where `hasFinalObservation`).
    public var finalObservations: Tensor { batch.finalObservations }
    /// Which rows of `finalObservations` the last step wrote.
    public var hasFinalObservation: [Bool] { batch.hasFinalObservation }
    /// The episodes that finished in the last step, in copy order.
    public var finishedEpisodes: [EpisodeRecord] { batch.finishedEpisodes }

    /// Resets every copy (copy `i` with `seed &+ i`).
    public func reset(seed: UInt64? = nil) { batch.reset(seed: seed) }

    /// Steps every copy on this thread with SAME_STEP auto-reset.
    public func step(_ actions: [Int]) throws { try batch.step(actions, workers: 1) }
}
