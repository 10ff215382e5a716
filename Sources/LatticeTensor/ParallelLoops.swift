import CBLAS

/// The engine's parallel loops over the `WorkerPool`: a fixed set of independent parts (image chunks,
/// channels, element ranges) claimed by the calling thread and the pool's workers.
///
/// Results never depend on which thread runs a part or how many threads there are: each part is computed
/// the same way on any thread (OpenBLAS single-threaded, the caller's floating-point mode); where parts add
/// up together (image chunks' filter gradients), the parts are cut from the sizes alone and summed
/// afterwards in part order; element ranges (`forEachRange`) may be cut by the thread count, because every
/// scalar of them is computed the same way whatever the cut.
enum ParallelLoops {
    /// Elements below which an element-wise loop runs on the calling thread alone (a job costs a few
    /// microseconds; 16 Ki scalars take about as long).
    static let minimumElementsPerPart = 16_384

    /// Runs every part on the calling thread (tests compare the two ways bit for bit).
    @TaskLocal static var runsInline = false

    /// `body(i)` for every i in `0..<count`, on the calling thread and the pool's workers, with OpenBLAS set
    /// to one thread meanwhile and each worker in the caller's `FloatingPointMode`.
    static func forEach(_ count: Int, _ body: (Int) -> Void) {
        guard count > 1, WorkerPool.shared.threads > 1, !runsInline else {
            for i in 0..<count { body(i) }
            return
        }
        let threads = Backend.threadCount
        if threads > 1 { openblas_set_num_threads(1) }
        defer { if threads > 1 { openblas_set_num_threads(Int32(threads)) } }
        let flushing = FloatingPointMode.isFlushingDenormals
        WorkerPool.shared.run(count: count) { i in
            if FloatingPointMode.isFlushingDenormals != flushing { FloatingPointMode.setFlushingDenormals(flushing) }
            body(i)
        }
    }

    /// `body` over `0..<count` cut into contiguous ranges (lengths multiples of 8, so SIMD loops split the
    /// same way), for work whose result does not depend on the cut (element-wise maps, or items each written
    /// by one thread); items hold `elementsPerItem` scalars each. Ranges hold at least
    /// `minimumElementsPerPart` scalars (one range on the calling thread below that), and there are up to
    /// four per pool thread, claimed as threads come free, so a thread the machine runs late holds up
    /// little of the loop.
    static func forEachRange(_ count: Int, elementsPerItem: Int = 1, _ body: (Range<Int>) -> Void) {
        let threads = WorkerPool.shared.threads
        let parts = threads == 1 || runsInline ? 1
            : Swift.max(1, Swift.min(4 &* threads, count &* elementsPerItem / minimumElementsPerPart, count))
        if parts == 1 { body(0..<count); return }
        let step = elementsPerItem == 1 ? (count / parts &+ 7) & ~7 : (count &+ parts &- 1) / parts
        forEach(parts) { t in
            body(Swift.min(count, t &* step) ..< (t == parts &- 1 ? count : Swift.min(count, (t &+ 1) &* step)))
        }
    }

    /// Σ over `parts` blocks of `count` scalars, `stride` scalars apart in `partials`, written into `sum`:
    /// block 0 + block 1 + … in that order for every scalar.
    static func sumParts(_ partials: UnsafePointer<Float>, parts: Int, count: Int, stride: Int, into sum: UnsafeMutablePointer<Float>) {
        sum.update(from: partials, count: count)
        for part in 1..<Swift.max(parts, 1) { addScalars(sum, partials + part &* stride, into: sum, count: count) }
    }
}

/// `d[k] = a[k] + b[k]`, eight lanes at a time (`d` may be `a`).
@inline(__always)
func addScalars(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into d: UnsafeMutablePointer<Float>, count: Int) {
    let ar = UnsafeRawPointer(a), br = UnsafeRawPointer(b), dr = UnsafeMutableRawPointer(d)
    var k = 0
    while k &+ 8 <= count {
        let v = ar.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self) + br.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self)
        dr.storeBytes(of: v, toByteOffset: k &* 4, as: SIMD8<Float>.self)
        k &+= 8
    }
    while k < count { d[k] = a[k] + b[k]; k &+= 1 }
}
