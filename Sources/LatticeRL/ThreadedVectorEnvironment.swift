import LatticeTensor

/// N copies of an environment stepped in parallel on a small worker pool, with SAME_STEP auto-reset;
/// the same API and bit-identical results as `VectorEnvironment`.
///
/// Each `step` splits the copies into `workers` contiguous chunks and runs them with
/// `DispatchQueue.concurrentPerform` (the calling thread takes part). Every copy writes only its own row
/// of the batch and its own slot, and the finished episodes are gathered in copy order afterwards, so the
/// results do not depend on scheduling: same seed, same numbers as the single-threaded version.
///
/// **When to use it**: only when one step of one copy is expensive — tens of microseconds or more.
/// Waking the pool's second thread costs on the order of 10–20 µs per `step`, which swamps cheap
/// environments. Measured on the 2-core development machine (8 copies, 2 workers, release build, medians
/// of 5 runs of 2000 batch steps; `LATTICE_BENCH=1 swift test -c release -Xswiftc -enable-testing
/// --filter testBenchmarkThreadedVersusSync`), microseconds per batch step, sync vs threaded:
///
/// | work per copy-step | sync | threaded | threaded speed-up |
/// |---|---|---|---|
/// | ~0.1 µs (a counter; grid-worlds and MinAtar are this class) | 0.8 | 1.8–2.2 | 0.4× |
/// | ~1.5 µs | 12 | 18 | 0.65× |
/// | ~4 µs | 33 | 49 | 0.7× |
/// | ~28 µs | 220 | 166–169 | 1.3× |
/// | ~140 µs | 1116 | 618 | 1.8× |
///
/// Break-even is around 10 µs of work per copy-step. Prefer `VectorEnvironment` unless the environment is
/// that slow (pixel rendering at high resolution, a physics step) *and* a core is free: the trainer's own
/// BLAS threads compete for the same cores.
///
/// **Auto-reset** and **seeding** are as in `VectorEnvironment`: SAME_STEP, copy `i` seeded `seed &+ i`.
/// The wrapped copies must not share mutable state (each must be its own object with its own generator).
public final class ThreadedVectorEnvironment: VectorEnvironmentProtocol {
    let batch: VectorBatch
    /// The number of chunks stepped in parallel (at most `count`).
    public let workers: Int

    /// Wraps `environments` (distinct objects with equal spaces), stepped by `workers` threads.
    public init(_ environments: [any Environment], workers: Int = 2) throws {
        guard workers >= 1 else {
            throw EnvironmentError.invalidOption(environment: "ThreadedVectorEnvironment",
                                                 message: "workers must be at least 1, got \(workers)")
        }
        batch = try VectorBatch(environments, kind: "ThreadedVectorEnvironment")
        self.workers = workers
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

    /// Resets every copy (copy `i` with `seed &+ i`), on the calling thread.
    public func reset(seed: UInt64? = nil) { batch.reset(seed: seed) }

    /// Steps the copies on the worker pool with SAME_STEP auto-reset.
    public func step(_ actions: [Int]) throws { try batch.step(actions, workers: workers) }
}
