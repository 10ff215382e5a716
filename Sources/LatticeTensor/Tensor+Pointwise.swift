/// Whether `conv2d` with these operands is a pointwise (1×1, stride 1, no padding) convolution over
/// images large enough for the per-image path (`batchedConvolutionThreshold` positions or more), which
/// `pointwiseConv2d` computes without reordering and with the bias (and an optional ReLU) fused.
public func isFusablePointwise(_ x: Tensor, filter: Tensor, options o: ConvolutionOptions) -> Bool {
    isFusablePointwise(shape: x.shape, filter: filter, options: o)
}

/// A pointwise convolution `[N, C, H, W]` → `[N, F, H, W]` with filter `[F, C, 1, 1]`, bias `[F]` and,
/// when `relu`, max(·, 0) applied — the same values as `conv2d` (then `relu`), in fewer passes.
///
/// Per image the output slice `[F, H·W]` (at most a few MiB, so it stays in cache) is filled with the
/// bias, the GEMM W·x accumulates onto it (β = 1: no separate zeroing pass), and the ReLU clamps it in
/// place. The backward pass, again per image, masks the output gradient by `output > 0` while summing
/// the bias gradient, then runs dW += g·xᵀ and dx = Wᵀ·g (for a single filter, a dot product and an
/// outer product instead of GEMMs, which BLAS runs many times slower at those shapes). Where
/// `Backend.hasPointwiseKernels`, the hand-written kernels replace all of that: the forward kernel fills,
/// accumulates and clamps in registers; the filter gradient has its own kernel; the input gradient is the
/// forward kernel on the filter transposed to `[C, F]`.
///
/// The images are split into a few chunks per core (`imageChunkCount`, whatever OpenBLAS's own thread
/// count), run on the worker pool, each calling single-threaded BLAS (whole per-image GEMMs in
/// parallel scale better than splitting each small GEMM), with the caller's `FloatingPointMode`. Callers check `isFusablePointwise` first.
public func pointwiseConv2d(_ x: Tensor, filter: Tensor, bias: Tensor?, relu: Bool) -> Tensor {
    precondition(isFusablePointwise(x, filter: filter, options: .init()), "pointwiseConv2d: \(x.shape) with filter \(filter.shape) is not pointwise")
    let n = x.shape[0], c = x.shape[1], f = filter.shape[0], p = x.shape[2] &* x.shape[3]
    if let bias, bias.shape != [f] { fatalError("pointwiseConv2d: bias \(bias.shape) does not match \(f) filters") }
    let xs = x.storage.base, ws = filter.storage.base, bs = bias?.storage.base
    let result = Tensor(shape: [n, f, x.shape[2], x.shape[3]]) { out in
        let job = PointwiseJob(c: c, f: f, p: p, x: xs, w: ws)
        let o = out.baseAddress!
        forEachImageChunk(n) { images, _ in job.forward(images, bias: bs, relu: relu, into: o) }
    }
    let inputs = bias.map { [x, filter, $0] } ?? [x, filter]
    return Tensor.record(relu ? "pointwiseConv2dReLU" : "pointwiseConv2d", result, inputs, keepOutput: relu) { dy, node in
        let xv = node.inputs[0], wv = node.inputs[1]
        let job = PointwiseJob(c: c, f: f, p: p, x: xv.storage.base, w: wv.storage.base)
        let wantsBias = node.inputs.count > 2 && node.needs(2)
        let chunks = imageChunkCount(n)
        // Per chunk: dW [F, C] then db [F], summed over chunks at the end.
        let stride = f &* c &+ f
        let partial = Tensor(zeros: [chunks, stride])
        let pb = partial.storage.base
        let dx: Tensor? = node.needs(0) ? Tensor(shape: xv.shape) { _ in } : nil   // every scalar written below
        let dxs = dx?.storage.base
        let dys = dy.storage.base, ys = node.output?.storage.base
        let needsFilter = node.needs(1)
        let scratchCount = relu ? chunks &* f &* p : 0
        // The kernels' input gradient reads the filter transposed to [C, F]: made once, after the masks.
        let transposing = Backend.hasPointwiseKernels && dxs != nil
        withScratch(scratchCount &+ (transposing ? f &* c : 0)) { masked in
            let transposed: UnsafeMutablePointer<Float>? = transposing ? masked + scratchCount : nil
            if let transposed { transposeFilter(wv.storage.base, filters: f, channels: c, into: transposed) }
            forEachImageChunk(n) { images, chunk in
                let base: UnsafeMutablePointer<Float> = pb + chunk &* stride
                let dwp: UnsafeMutablePointer<Float>? = needsFilter ? base : nil
                let dbp: UnsafeMutablePointer<Float>? = wantsBias ? base + f &* c : nil
                job.backward(images, dy: dys, output: ys, scratch: masked + chunk &* f &* p, dw: dwp, db: dbp, dx: dxs,
                             transposed: transposed)
            }
        }
        func chunkSum(_ start: Int, _ count: Int, _ shape: [Int]) -> Tensor {
            Tensor(shape: shape) { d in
                for k in 0..<count {
                    var s: Float = 0
                    for chunk in 0..<chunks { s += pb[chunk &* stride &+ start &+ k] }
                    d[k] = s
                }
            }
        }
        let dw = node.needs(1) ? chunkSum(0, f &* c, wv.shape) : nil
        let db = wantsBias ? chunkSum(f &* c, f, [f]) : nil
        return node.inputs.count > 2 ? [dx, dw, db] : [dx, dw]
    }
}

/// The number of chunks the images of a batch are split into: four per core of the worker pool (the pool
/// hands chunks out one at a time, so a thread the OS pauses on a shared machine holds up a quarter of
/// its share, not all of it), at most `n`. It depends on the machine only, so the chunked sums (filter and
/// bias gradients) add up in the same order on every run there, whichever thread runs which chunk.
func imageChunkCount(_ n: Int) -> Int {
    Swift.max(1, Swift.min(WorkerPool.shared.threads > 1 ? 4 &* WorkerPool.shared.threads : 1, n))
}

/// Runs `body(images, chunk)` over `imageChunkCount(n)` contiguous chunks of `0..<n`: inline for one
/// chunk, otherwise through `ParallelLoops.forEach`.
func forEachImageChunk(_ n: Int, _ body: (Range<Int>, Int) -> Void) {
    let chunks = imageChunkCount(n)
    guard chunks > 1 else { body(0..<n, 0); return }
    ParallelLoops.forEach(chunks) { chunk in body(chunk * n / chunks ..< (chunk + 1) * n / chunks, chunk) }
}

/// The shapes and operand pointers of one pointwise convolution, for its per-image loops.
struct PointwiseJob {
    let c: Int, f: Int, p: Int
    let x: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>

    /// Output slices of `images`: bias fill, GEMM accumulating onto it, optional ReLU clamp.
    func forward(_ images: Range<Int>, bias: UnsafeMutablePointer<Float>?, relu: Bool, into o: UnsafeMutablePointer<Float>) {
        for i in images {
            let slice = o + i &* f &* p
            if Backend.hasPointwiseKernels {
                Backend.pointwiseForward(weights: w, bias: bias, input: x + i &* c &* p, output: slice,
                                         channels: c, filters: f, positions: p, relu: relu)
                continue
            }
            if let bias { for j in 0..<f { (slice + j &* p).initialize(repeating: bias[j], count: p) } }
            Backend.sgemm(transposeA: false, transposeB: false, m: f, n: p, k: c, a: w, lda: c,
                          b: x + i &* c &* p, ldb: p, beta: bias == nil ? 0 : 1, c: slice, ldc: p)
            if relu { clampBelowAtZero(slice, count: f &* p) }
        }
    }

    /// Gradients of `images`: accumulates into `dw` `[F, C]` and `db` `[F]` (zeroed by the caller),
    /// writes the `dx` slices; `output` (the ReLU's) masks `dy` into `scratch` `[F, P]` when given.
    /// `transposed` is the filter as `[C, F]` (`transposeFilter`), which the kernels' input gradient needs.
    func backward(_ images: Range<Int>, dy: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>?,
                  scratch: UnsafeMutablePointer<Float>, dw: UnsafeMutablePointer<Float>?,
                  db: UnsafeMutablePointer<Float>?, dx: UnsafeMutablePointer<Float>?, transposed: UnsafeMutablePointer<Float>?) {
        for i in images {
            var g = UnsafePointer(dy + i &* f &* p)
            if let output {
                maskByPositive(g, output + i &* f &* p, into: scratch, count: f &* p)
                g = UnsafePointer(scratch)
            }
            if let db { for j in 0..<f { db[j] += sumOfScalars(g + j &* p, count: p) } }
            let xi = x + i &* c &* p
            if Backend.hasPointwiseKernels {
                if let dw { Backend.pointwiseFilterGradient(outputGradient: g, input: xi, into: dw, channels: c, filters: f, positions: p) }
                if let dx, let transposed {
                    // dx = Wᵀ·g: the forward kernel with the filter transposed ([C, F]), f channels in.
                    Backend.pointwiseForward(weights: transposed, bias: nil, input: g, output: dx + i &* c &* p,
                                             channels: f, filters: c, positions: p, relu: false)
                }
                continue
            }
            if let dw {
                if f == 1 {
                    for j in 0..<c { dw[j] += dotProduct(g, xi + j &* p, count: p) }
                } else {
                    Backend.sgemm(transposeA: false, transposeB: true, m: f, n: c, k: p, a: g, lda: p,
                                  b: xi, ldb: p, beta: 1, c: dw, ldc: c)
                }
            }
            if let dx {
                let di = dx + i &* c &* p
                if f == 1 {
                    for j in 0..<c { scaled(g, by: w[j], into: di + j &* p, count: p) }
                } else {
                    Backend.sgemm(transposeA: true, transposeB: false, m: c, n: p, k: f, a: w, lda: c,
                                  b: g, ldb: p, c: di, ldc: p)
                }
            }
        }
    }
}

/// `t[k, j] = w[j, k]`: a filter `[F, C]` transposed to `[C, F]` (the input gradient's operand for the kernels).
func transposeFilter(_ w: UnsafePointer<Float>, filters f: Int, channels c: Int, into t: UnsafeMutablePointer<Float>) {
    for j in 0..<f { for k in 0..<c { t[k &* f &+ j] = w[j &* c &+ k] } }
}

/// `p[k] = max(p[k], 0)`, eight lanes at a time.
@inline(__always)
func clampBelowAtZero(_ p: UnsafeMutablePointer<Float>, count: Int) {
    let raw = UnsafeMutableRawPointer(p)
    let zero = SIMD8<Float>(repeating: 0)
    var k = 0
    while k &+ 8 <= count {
        let v = raw.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self)
        raw.storeBytes(of: v.replacing(with: zero, where: v .< zero), toByteOffset: k &* 4, as: SIMD8<Float>.self)
        k &+= 8
    }
    while k < count { if p[k] < 0 { p[k] = 0 }; k &+= 1 }
}

/// `d[k] = y[k] > 0 ? g[k] : 0` (the ReLU backward, from the ReLU's output), eight lanes at a time.
@inline(__always)
func maskByPositive(_ g: UnsafePointer<Float>, _ y: UnsafePointer<Float>, into d: UnsafeMutablePointer<Float>, count: Int) {
    let gr = UnsafeRawPointer(g), yr = UnsafeRawPointer(y), dr = UnsafeMutableRawPointer(d)
    let zero = SIMD8<Float>(repeating: 0)
    var k = 0
    while k &+ 8 <= count {
        let gv = gr.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self)
        let yv = yr.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self)
        dr.storeBytes(of: zero.replacing(with: gv, where: yv .> zero), toByteOffset: k &* 4, as: SIMD8<Float>.self)
        k &+= 8
    }
    while k < count { d[k] = y[k] > 0 ? g[k] : 0; k &+= 1 }
}

/// Σ a[k]·b[k] with eight SIMD partial sums.
@inline(__always)
func dotProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    let ar = UnsafeRawPointer(a), br = UnsafeRawPointer(b)
    var acc = SIMD8<Float>(repeating: 0)
    var k = 0
    while k &+ 8 <= count {
        acc += ar.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self) * br.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self)
        k &+= 8
    }
    var total = acc.sum()
    while k < count { total += a[k] * b[k]; k &+= 1 }
    return total
}

/// `d[k] = s·g[k]`, eight lanes at a time.
@inline(__always)
func scaled(_ g: UnsafePointer<Float>, by s: Float, into d: UnsafeMutablePointer<Float>, count: Int) {
    let gr = UnsafeRawPointer(g), dr = UnsafeMutableRawPointer(d)
    var k = 0
    while k &+ 8 <= count {
        dr.storeBytes(of: gr.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self) * s, toByteOffset: k &* 4, as: SIMD8<Float>.self)
        k &+= 8
    }
    while k < count { d[k] = s * g[k]; k &+= 1 }
}
