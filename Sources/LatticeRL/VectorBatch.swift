import Dispatch
import LatticeTensor

/// The shared machinery of `VectorEnvironment` and `ThreadedVectorEnvironment`: the copies, the batch
/// buffers allocated once, and the SAME_STEP auto-reset of one range of copies (which touches only that
/// range's rows and per-copy slots, so ranges can run on different threads and give identical results).
final class VectorBatch {
    /// What one copy's step produced and its running episode totals; one slot per copy, written only by
    /// the thread stepping that copy.
    struct Slot {
        var reward: Float = 0
        var terminated = false
        var truncated = false
        var finished: EpisodeRecord? = nil
        var error: (any Error)? = nil
        var runningReturn: Double = 0
        var runningLength = 0
        var startNanoseconds: UInt64 = 0
    }

    let environments: [any Environment]
    let count: Int
    let id: String
    let observationSpace: Space
    let actionSpace: Space
    /// Scalars in one observation.
    let rowLength: Int
    var observations: Tensor
    var finalObservations: Tensor
    var rewards: [Float]
    var terminated: [Bool]
    var truncated: [Bool]
    var hasFinalObservation: [Bool]
    var finishedEpisodes: [EpisodeRecord]
    /// `reset` has been called and no copy has thrown since.
    var isReady = false
    let slots: UnsafeMutablePointer<Slot>

    init(_ environments: [any Environment], kind: String) throws {
        guard let first = environments.first else {
            throw EnvironmentError.invalidOption(environment: kind, message: "needs at least one environment copy; got an empty array")
        }
        for (i, env) in environments.enumerated() {
            if env.observationSpace != first.observationSpace || env.actionSpace != first.actionSpace {
                throw EnvironmentError.invalidOption(environment: kind, message:
                    "copy \(i) (\(env.id)) has spaces \(env.observationSpace) / \(env.actionSpace) but copy 0 (\(first.id)) has \(first.observationSpace) / \(first.actionSpace); give copies of one environment")
            }
            for j in 0..<i where environments[j] === env {
                throw EnvironmentError.invalidOption(environment: kind, message:
                    "copies \(j) and \(i) are the same object; make a new environment for each copy")
            }
        }
        guard case .discrete = first.actionSpace else {
            throw EnvironmentError.invalidOption(environment: kind, message: "action space \(first.actionSpace) is not discrete")
        }
        self.environments = environments
        self.count = environments.count
        self.id = first.id
        self.observationSpace = first.observationSpace
        self.actionSpace = first.actionSpace
        self.rowLength = first.observationSpace.scalarCount
        let batchShape = [environments.count] + first.observationSpace.shape
        observations = Tensor(zeros: batchShape)
        finalObservations = Tensor(zeros: batchShape)
        rewards = [Float](repeating: 0, count: count)
        terminated = [Bool](repeating: false, count: count)
        truncated = [Bool](repeating: false, count: count)
        hasFinalObservation = [Bool](repeating: false, count: count)
        finishedEpisodes = []
        finishedEpisodes.reserveCapacity(count)
        slots = .allocate(capacity: count)
        slots.initialize(repeating: Slot(), count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// Resets every copy, copy `i` with `seed &+ i`.
    func reset(seed: UInt64?) {
        let n = rowLength
        observations.withUnsafeMutableBufferPointer { obs in
            let base = obs.baseAddress!
            for i in 0..<count {
                let row = UnsafeMutableBufferPointer(start: base + i &* n, count: n)
                environments[i].reset(seed: seed.map { $0 &+ UInt64(i) }, into: row)
                slots[i] = Slot(startNanoseconds: monotonicNanoseconds())
            }
        }
        for i in 0..<count {
            rewards[i] = 0; terminated[i] = false; truncated[i] = false; hasFinalObservation[i] = false
        }
        finishedEpisodes.removeAll(keepingCapacity: true)
        isReady = true
    }

    /// Checks the batch of actions before anything is stepped.
    func validate(_ actions: [Int]) throws {
        guard isReady else { throw EnvironmentError.notReset(environment: "\(id) ×\(count)") }
        guard actions.count == count else {
            throw EnvironmentError.invalidOption(environment: "\(id) ×\(count)", message:
                "step got \(actions.count) actions for \(count) copies; pass one action per copy")
        }
        for (i, a) in actions.enumerated() where !actionSpace.contains(a) {
            throw EnvironmentError.invalidAction(environment: "\(id) (copy \(i))", action: a, space: actionSpace)
        }
    }

    /// Steps copies `range` with SAME_STEP auto-reset, writing rows of `observationBase`/`finalBase` and
    /// the copies' slots only.
    func stepCopies(_ range: Range<Int>, actions: UnsafePointer<Int>,
                    observationBase: UnsafeMutablePointer<Float>, finalBase: UnsafeMutablePointer<Float>) {
        let n = rowLength
        for i in range {
            let row = UnsafeMutableBufferPointer(start: observationBase + i &* n, count: n)
            let slot = slots + i
            slot.pointee.finished = nil
            do {
                let t = try environments[i].step(actions[i], into: row)
                slot.pointee.reward = t.reward
                slot.pointee.terminated = t.terminated
                slot.pointee.truncated = t.truncated
                slot.pointee.runningReturn += Double(t.reward)
                slot.pointee.runningLength &+= 1
                if t.terminated || t.truncated {
                    (finalBase + i &* n).update(from: row.baseAddress!, count: n)
                    let now = monotonicNanoseconds()
                    slot.pointee.finished = EpisodeRecord(
                        index: i, episodeReturn: slot.pointee.runningReturn, length: slot.pointee.runningLength,
                        duration: Double(now &- slot.pointee.startNanoseconds) * 1e-9,
                        truncated: t.truncated && !t.terminated)
                    environments[i].reset(seed: nil, into: row)
                    slot.pointee.runningReturn = 0
                    slot.pointee.runningLength = 0
                    slot.pointee.startNanoseconds = now
                }
            } catch {
                slot.pointee.error = error
            }
        }
    }

    /// Runs `stepCopies` over all copies split into `workers` contiguous chunks, then gathers the slots
    /// into the public arrays in copy order.
    func step(_ actions: [Int], workers: Int) throws {
        try validate(actions)
        let chunks = max(1, min(workers, count))
        observations.withUnsafeMutableBufferPointer { obs in
            finalObservations.withUnsafeMutableBufferPointer { fin in
                actions.withUnsafeBufferPointer { act in
                    let o = obs.baseAddress!, f = fin.baseAddress!, a = act.baseAddress!
                    if chunks == 1 {
                        stepCopies(0..<count, actions: a, observationBase: o, finalBase: f)
                    } else {
                        let job = ChunkJob(batch: self, actions: a, observationBase: o, finalBase: f, chunks: chunks)
                        DispatchQueue.concurrentPerform(iterations: chunks) { w in job.run(chunk: w) }
                    }
                }
            }
        }
        finishedEpisodes.removeAll(keepingCapacity: true)
        var firstError: (any Error)? = nil
        for i in 0..<count {
            let s = slots[i]
            if let e = s.error, firstError == nil { firstError = e }
            slots[i].error = nil
            rewards[i] = s.reward
            terminated[i] = s.terminated
            truncated[i] = s.truncated
            hasFinalObservation[i] = s.finished != nil
            if let f = s.finished { finishedEpisodes.append(f) }
        }
        if let e = firstError {
            isReady = false
            throw e
        }
    }
}

/// One parallel `step`: the pointers every chunk needs. Sendable by construction, not by type: each chunk
/// touches only its own copies (their environments, rows and slots), and `concurrentPerform` returns only
/// after every chunk is done, while the buffers are pinned by the enclosing `with…Pointer` calls.
private struct ChunkJob: @unchecked Sendable {
    let batch: VectorBatch
    let actions: UnsafePointer<Int>
    let observationBase: UnsafeMutablePointer<Float>
    let finalBase: UnsafeMutablePointer<Float>
    let chunks: Int

    /// Steps chunk `w` of `chunks` contiguous ranges of copies.
    func run(chunk w: Int) {
        let n = batch.count
        batch.stepCopies(w &* n / chunks ..< (w &+ 1) &* n / chunks, actions: actions,
                         observationBase: observationBase, finalBase: finalBase)
    }
}
