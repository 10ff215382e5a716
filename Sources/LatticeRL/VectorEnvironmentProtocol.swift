import LatticeTensor

/// N copies of an environment stepped in lockstep, with SAME_STEP auto-reset — the calls a rollout
/// collector needs, met by `VectorEnvironment` (one thread) and `ThreadedVectorEnvironment` (a worker pool).
///
/// **Auto-reset mode: SAME_STEP** (as Stable-Baselines3 does). When copy `i` finishes (terminated or
/// truncated) during `step`, that same `step` call resets it: row `i` of `observations` holds the *first
/// observation of its next episode*, `terminated[i]`/`truncated[i]`/`rewards[i]` describe the step that
/// ended the old episode, the old episode's last observation is handed over in row `i` of
/// `finalObservations` with `hasFinalObservation[i] == true` (bootstrap truncated steps from it), and
/// `finishedEpisodes` lists its return and length. Gymnasium 1.x defaults to NEXT_STEP instead (the step
/// *after* a finish resets and ignores its action), which silently broke CleanRL-style collectors; Lattice
/// never does that.
///
/// **Seeding**: `reset(seed: s)` seeds copy `i` with `s &+ i` (wrapping), so copies differ and the batch is
/// reproducible; `reset(seed: nil)` keeps every copy's stream. Auto-resets never re-seed.
///
/// **Memory**: all outputs live in buffers allocated once. `observations` is a `[N, ...observationShape]`
/// tensor written in place; read it (or copy its scalars) after each call rather than keeping the value
/// across the next `step` — a kept value stays valid (copy-on-write) but forces one copy of the batch.
public protocol VectorEnvironmentProtocol: AnyObject {
    /// The number of copies N.
    var count: Int { get }
    /// The id of the wrapped environment (copy 0).
    var id: String { get }
    /// The observation space of one copy (the batch is `[N] + observationSpace.shape`).
    var observationSpace: Space { get }
    /// The action space of one copy.
    var actionSpace: Space { get }
    /// The current observations, `[N, ...observationShape]`: after a finish, the next episode's first one.
    var observations: Tensor { get }
    /// The reward of each copy's last step.
    var rewards: [Float] { get }
    /// Whether each copy's last step reached an end state of the MDP (no bootstrap).
    var terminated: [Bool] { get }
    /// Whether each copy's last step was cut off (bootstrap from `finalObservations`).
    var truncated: [Bool] { get }
    /// Row `i` is the last observation of copy `i`'s finished episode when `hasFinalObservation[i]`,
    /// otherwise stale; shape `[N, ...observationShape]`.
    var finalObservations: Tensor { get }
    /// Which rows of `finalObservations` were written by the last `step` (exactly the finished copies).
    var hasFinalObservation: [Bool] { get }
    /// The episodes that finished during the last `step` (or `reset`: none), in copy order.
    var finishedEpisodes: [EpisodeRecord] { get }
    /// Resets every copy (copy `i` with seed `seed &+ i` when a seed is given) and fills `observations`.
    func reset(seed: UInt64?)
    /// Steps copy `i` with `actions[i]`, auto-resetting finished copies (SAME_STEP).
    /// Throws `EnvironmentError.invalidAction` before stepping anything if an action is outside the space,
    /// `.notReset` before the first `reset` or after a copy threw.
    func step(_ actions: [Int]) throws
}

extension VectorEnvironmentProtocol {
    /// Whether copy `i`'s last step ended its episode (`terminated || truncated`).
    public func isDone(_ i: Int) -> Bool { terminated[i] || truncated[i] }

    /// The final observation of copy `i`'s episode that finished in the last `step`, or `nil` if it did not
    /// finish. Allocates; hot loops read `finalObservations` rows directly.
    public func finalObservation(of i: Int) -> Tensor? {
        guard hasFinalObservation[i] else { return nil }
        let n = observationSpace.scalarCount
        return finalObservations.withUnsafeBufferPointer { all in
            Tensor(shape: observationSpace.shape) { row in
                row.baseAddress!.update(from: all.baseAddress! + i &* n, count: n)
            }
        }
    }

    /// The observation of copy `i` as its own tensor (allocates; for tests and tools).
    public func observation(of i: Int) -> Tensor {
        let n = observationSpace.scalarCount
        return observations.withUnsafeBufferPointer { all in
            Tensor(shape: observationSpace.shape) { row in
                row.baseAddress!.update(from: all.baseAddress! + i &* n, count: n)
            }
        }
    }
}
