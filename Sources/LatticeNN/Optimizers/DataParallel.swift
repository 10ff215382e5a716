import Foundation
import LatticeTensor

/// Data-parallel gradients on one machine: a batch is cut into shards, each shard's forward and backward
/// pass runs on its own thread, and the shards' gradients are summed in shard order.
///
/// For a loss that is a mean over samples, weight each shard's loss by its share of the batch
/// (`shardSize / batchSize`); the summed gradients are then the whole batch's gradients up to float
/// rounding. The result does not depend on thread timing: every shard is computed the same way on any
/// thread, and the sum runs in a fixed order. Layers whose output for a sample depends on the rest of the
/// batch (BatchNorm in training mode) are not shard-invariant; `DataParallel.canShard(_:)` refuses them.
///
/// The engine is safe for this: ops build per-call graphs, the buffer pool is locked, gradient recording
/// and the backward pass's "needed" marks are task-local (never written into shared parameter nodes),
/// AddCoords' cache is locked, and OpenBLAS (one thread per call) may be called from several threads at once.
public enum DataParallel {
    /// The threads a data-parallel job can use: the worker pool's (one per core, or `LATTICE_THREADS`).
    public static var availableCores: Int { WorkerPool.shared.threads }

    /// The shard count for a batch of `batchSize` with up to `threads` threads (0 = one per core), giving
    /// each shard at least `minimumShard` samples (below that, a thread costs more than it saves).
    public static func shardCount(batchSize: Int, threads: Int, minimumShard: Int = 64) -> Int {
        let wanted = threads > 0 ? threads : availableCores
        return max(1, min(wanted, batchSize / max(1, minimumShard)))
    }

    /// Whether `model` gives each sample the same output whatever else is in its batch, so shards may be
    /// run separately: false when it has buffers (BatchNorm's running statistics — the only layer with
    /// buffers — normalises with batch statistics while training).
    public static func canShard(_ model: any Layer) -> Bool { model.namedBuffers().isEmpty }

    /// The ranges of `count` items cut into `shards` contiguous parts whose sizes differ by at most one.
    public static func ranges(count: Int, shards: Int) -> [Range<Int>] {
        let s = max(1, min(shards, max(count, 1)))
        return (0..<s).map { i in (i * count / s)..<((i + 1) * count / s) }
    }

    /// `body(i)` for i in 0..<count, run concurrently on the calling thread and the `WorkerPool`'s threads,
    /// results in index order. With `count` = 1 it runs on the calling thread.
    public static func map<R>(_ count: Int, _ body: (Int) -> R) -> [R] {
        if count <= 1 { return count == 1 ? [body(0)] : [] }
        let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        WorkerPool.shared.run(count: count) { i in results[i] = body(i) }
        return results.map { $0! }
    }

    /// The element-wise sums of several gradient lists (each in the same parameter order), added in list order.
    public static func sum(_ lists: [[Tensor]]) -> [Tensor] {
        guard var total = lists.first else { return [] }
        for list in lists.dropFirst() {
            precondition(list.count == total.count, "DataParallel.sum: gradient lists of \(total.count) and \(list.count) tensors")
            for j in total.indices { total[j] = withoutGradients { total[j] + list[j] } }
        }
        return total
    }
}
