import Foundation
import Synchronization

/// Persistent worker threads for the engine's and trainers' parallel loops (`forEachImageChunk`,
/// `DataParallel`): one per extra core, each spinning briefly after a job
/// before it sleeps, so a job that follows within a fraction of a millisecond (the next minibatch shard, the
/// optimizer step) starts at once. The shared dispatch queue wakes its threads too slowly for this: two
/// 50 µs halves of a job ran one after the other on the calling thread (83 µs in all) before this pool.
///
/// A job is `count` indices claimed one at a time by the calling thread and the workers; the call returns
/// when every index has run. Jobs from inside a job, or while another thread's job runs, run on the calling
/// thread alone.
public final class WorkerPool: @unchecked Sendable {
    /// The pool of this process: one worker per core beyond the first (none on a one-core machine), or
    /// `LATTICE_THREADS` − 1 when that environment variable is set (`LATTICE_THREADS=1`: every loop on the
    /// calling thread, for measuring what the pool gains or for sharing a machine).
    public static let shared = WorkerPool(workers: max(0, threadsWanted() - 1))

    /// `LATTICE_THREADS` when it is a positive integer, else the number of active cores.
    static func threadsWanted() -> Int {
        if let text = ProcessInfo.processInfo.environment["LATTICE_THREADS"], let n = Int(text), n > 0 { return n }
        return ProcessInfo.processInfo.activeProcessorCount
    }

    /// One job: its body, its index counter and its completion count (a fresh object per job, so a worker
    /// that wakes late only ever claims from the job it saw, and finds it finished).
    private final class Job: @unchecked Sendable {
        var body: ((Int) -> Void)?
        let count: Int
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)

        init(count: Int, body: @escaping (Int) -> Void) {
            self.count = count
            self.body = body
        }

        /// Claims and runs indices until none are left.
        func work() {
            while true {
                let i = next.wrappingAdd(1, ordering: .acquiring).oldValue
                guard i < count else { return }
                // The local reference to the body ends before the index counts as done: the caller's
                // `withoutActuallyEscaping` checks that no reference outlives the call.
                do { let b = body!; b(i) }
                done.wrappingAdd(1, ordering: .releasing)
            }
        }
    }

    /// Loads of the job counter a worker spins through before it sleeps (a few hundred microseconds).
    private static let spinLimit = 200_000
    private let workers: Int
    private let generation = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let condition = NSCondition()
    private var current: Job?

    private init(workers: Int) {
        self.workers = workers
        for _ in 0..<workers {
            let thread = Thread { [self] in self.serve() }
            thread.stackSize = 1 << 22
            thread.start()
        }
    }

    /// The threads a job can use, the caller included.
    public var threads: Int { workers + 1 }

    /// Runs `body(i)` for every i in `0..<count` on the calling thread and the workers; returns when all
    /// have run.
    public func run(count: Int, _ body: (Int) -> Void) {
        guard workers > 0, count > 1,
              busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for i in 0..<count { body(i) }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { body in
            let job = Job(count: count, body: body)
            condition.lock()
            current = job
            generation.wrappingAdd(1, ordering: .releasing)
            condition.broadcast()
            condition.unlock()
            job.work()
            var spins = 0
            while job.done.load(ordering: .acquiring) < count {
                spins &+= 1
                if spins > 1000 { sched_yield() }
            }
            job.body = nil
            condition.lock()
            current = nil
            condition.unlock()
        }
    }

    /// A worker's loop: wait for a new job (spinning, then sleeping), work on it, repeat.
    private func serve() {
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins &+= 1
                if spins > Self.spinLimit {
                    condition.lock()
                    while generation.load(ordering: .acquiring) == seen { condition.wait() }
                    condition.unlock()
                    break
                }
            }
            seen = generation.load(ordering: .acquiring)
            condition.lock()
            let job = current
            condition.unlock()
            job?.work()
        }
    }
}
