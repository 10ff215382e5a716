/// `conv2d` and `convTranspose2d` for 4×4 stride-2 padding-1 kernels (the DCGAN's layers), over chunks
/// of images whose column matrix stays in the L2 cache: im2col (or the GEMM feeding col2im), the GEMM and
/// the scatter of one chunk run back to back on warm memory, where the whole-batch path writes, clears
/// and reads back a column matrix of several MiB. The backward pass rebuilds the columns chunk by chunk
/// (an im2col of a warm chunk costs less than keeping the whole matrix from the forward pass). Images of
/// at least `batchedConvolutionThreshold` positions get one GEMM each, reading and writing NCHW directly;
/// smaller ones one GEMM per chunk over channel-major copies. The chunks run in parallel on the
/// `WorkerPool` (`ParallelLoops`); each writes its own images, and the filter and bias gradients are
/// summed over per-chunk blocks in chunk order, so the numbers do not depend on the thread count.
/// `conv2d` and `convTranspose2d` dispatch here when `ConvolutionGeometry.isStride2Kernel4` holds.

/// Scalars of a chunk's column matrix: 2¹⁶ (256 KiB), a quarter of a Skylake-SP core's L2.
let stride2ChunkScalars = 1 << 16

/// Images per chunk for column matrices of `perImage` scalars each (at least one).
@inline(__always)
func imagesPerChunk(perImage: Int, images n: Int) -> Int {
    Swift.max(1, Swift.min(n, stride2ChunkScalars / Swift.max(perImage, 1)))
}

/// `conv2d` of `x` `[N, C, H, W]` with `filter` `[F, C, 4, 4]`, stride 2, padding 1 (geometry `g`).
func conv2dStride2Kernel4(_ x: Tensor, filter: Tensor, bias: Tensor?, geometry g: ConvolutionGeometry) -> Tensor {
    let n = x.shape[0], f = filter.shape[0], k = g.patchSize, p = g.positions
    let imageSize = g.channels &* g.height &* g.width
    let chunks = ImageChunks(images: n, perImage: k &* p)
    // Wide images: one GEMM per image straight into / out of NCHW (no channel-major reorder).
    let perImage = p >= batchedConvolutionThreshold
    let xs = x.storage.base, ws = filter.storage.base, bs = bias?.storage.base
    let result = Tensor(shape: [n, f, g.outputHeight, g.outputWidth]) { out in
        let o = out.baseAddress!
        chunks.forEach { start, m in
            withScratch(k &* m &* p) { cols in
                withScratch(perImage ? 0 : f &* m &* p) { tmp in
                    g.im2col(xs + start &* imageSize, into: cols, ld: m &* p, images: m, imageStride: imageSize)
                    multiplyIntoImages(ws, rows: f, depth: k, columns: cols, images: m, positions: p, perImage: perImage,
                                       bias: bs, scratch: tmp, into: o + start &* f &* p)
                }
            }
        }
    }
    return recordChunkedBackward("conv2d", result, x: x, filter: filter, bias: bias, chunks: chunks) { start, m, dys, xs, ws, dx, dw, db in
        let dyc = dys + start &* f &* p
        withScratch(k &* m &* p) { cols in
            withScratch(perImage ? 0 : f &* m &* p) { dyt in
                if !perImage { channelMajor(dyc, n: m, c: f, p: p, into: dyt) }
                if let db { channelSums(dyc, images: m, channels: f, positions: p, into: db) }
                if let dw {
                    g.im2col(xs + start &* imageSize, into: cols, ld: m &* p, images: m, imageStride: imageSize)
                    if perImage {
                        for i in 0..<m {
                            Backend.sgemm(transposeA: false, transposeB: true, m: f, n: k, k: p, a: dyc + i &* f &* p,
                                          lda: p, b: cols + i &* p, ldb: m &* p, beta: i == 0 ? 0 : 1, c: dw, ldc: k)
                        }
                    } else {
                        Backend.sgemm(transposeA: false, transposeB: true, m: f, n: k, k: m &* p, a: dyt, lda: m &* p,
                                      b: cols, ldb: m &* p, c: dw, ldc: k)
                    }
                }
                if let dx {
                    if perImage {
                        for i in 0..<m {
                            Backend.sgemm(transposeA: true, transposeB: false, m: k, n: p, k: f, a: ws, lda: k,
                                          b: dyc + i &* f &* p, ldb: p, c: cols + i &* p, ldc: m &* p)
                        }
                    } else {
                        Backend.sgemm(transposeA: true, transposeB: false, m: k, n: m &* p, k: f, a: ws, lda: k,
                                      b: dyt, ldb: m &* p, c: cols, ldc: m &* p)
                    }
                    for i in 0..<m {
                        g.col2imStride2Kernel4(cols + i &* p, ld: m &* p, into: dx + (start &+ i) &* imageSize,
                                               overwrite: true)
                    }
                }
            }
        }

    }
}

/// `convTranspose2d` of `x` `[N, Cin, H, W]` with `filter` `[Cin, Cout, 4, 4]`, stride 2, padding 1, no
/// output padding; `g` is the geometry of the convolution it is the adjoint of (over the output).
func convTranspose2dStride2Kernel4(_ x: Tensor, filter: Tensor, bias: Tensor?, geometry g: ConvolutionGeometry) -> Tensor {
    let n = x.shape[0], cin = x.shape[1], cout = filter.shape[1]
    let k = g.patchSize, p = x.shape[2] &* x.shape[3], outPositions = g.height &* g.width
    let outSize = cout &* outPositions, inSize = cin &* p
    let chunks = ImageChunks(images: n, perImage: k &* p)
    let perImage = p >= batchedConvolutionThreshold
    let xs = x.storage.base, ws = filter.storage.base, bs = bias?.storage.base
    let result = Tensor(shape: [n, cout, g.height, g.width]) { out in
        let op = out.baseAddress!
        chunks.forEach { start, m in
            withScratch(perImage ? 0 : cin &* m &* p) { xcm in
                withScratch(k &* m &* p) { cols in
                    if perImage {
                        for i in 0..<m {
                            Backend.sgemm(transposeA: true, transposeB: false, m: k, n: p, k: cin, a: ws, lda: k,
                                          b: xs + (start &+ i) &* inSize, ldb: p, c: cols + i &* p, ldc: m &* p)
                        }
                    } else {
                        channelMajor(xs + start &* inSize, n: m, c: cin, p: p, into: xcm)
                        Backend.sgemm(transposeA: true, transposeB: false, m: k, n: m &* p, k: cin, a: ws, lda: k,
                                      b: xcm, ldb: m &* p, c: cols, ldc: m &* p)
                    }
                    for i in 0..<m {
                        g.col2imStride2Kernel4(cols + i &* p, ld: m &* p, into: op + (start &+ i) &* outSize, overwrite: true)
                    }
                    if let bs { addBias(bs, to: op + start &* outSize, n: m, c: cout, p: outPositions) }
                }
            }
        }
    }
    return recordChunkedBackward("convTranspose2d", result, x: x, filter: filter, bias: bias, chunks: chunks) { start, m, dys, xs, ws, dx, dw, db in
        let dyc = dys + start &* outSize
        withScratch(k &* m &* p) { cols in
            withScratch(perImage ? 0 : cin &* m &* p) { buffer in
                g.im2col(dyc, into: cols, ld: m &* p, images: m, imageStride: outSize)
                if let db { channelSums(dyc, images: m, channels: cout, positions: outPositions, into: db) }
                if let dx {
                    multiplyIntoImages(ws, rows: cin, depth: k, columns: cols, images: m, positions: p, perImage: perImage,
                                       bias: nil, scratch: buffer, into: dx + start &* inSize)
                }
                if let dw, perImage {
                    for i in 0..<m {
                        Backend.sgemm(transposeA: false, transposeB: true, m: cin, n: k, k: p, a: xs + (start &+ i) &* inSize,
                                      lda: p, b: cols + i &* p, ldb: m &* p, beta: i == 0 ? 0 : 1, c: dw, ldc: k)
                    }
                } else if let dw {
                    channelMajor(xs + start &* inSize, n: m, c: cin, p: p, into: buffer)
                    Backend.sgemm(transposeA: false, transposeB: true, m: cin, n: k, k: m &* p, a: buffer, lda: m &* p,
                                  b: cols, ldb: m &* p, c: dw, ldc: k)
                }
            }
        }

    }
}

/// Records a chunked convolution's `result` (inputs `x`, `filter` and `bias` when given) with its backward
/// pass: the input gradient (each chunk writes its own images) and the filter and bias gradients (each
/// chunk its own block, summed in chunk order) come from `chunk(first image, image count, ∂output, x,
/// filter, dx, dw block, db block)`, run for every chunk in parallel; gradient pointers are nil when not needed.
func recordChunkedBackward(
    _ op: String, _ result: Tensor, x: Tensor, filter: Tensor, bias: Tensor?, chunks: ImageChunks,
    _ chunk: @escaping (Int, Int, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>,
                        UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?) -> Void
) -> Tensor {
    let inputs = bias.map { [x, filter, $0] } ?? [x, filter]
    return Tensor.record(op, result, inputs) { dy, node in
        let xv = node.inputs[0], wv = node.inputs[1]
        let dx: Tensor? = node.needs(0) ? Tensor(shape: xv.shape) { _ in } : nil
        let parts = ParameterGradientParts(chunks: chunks.count, filter: node.needs(1) ? wv.scalarCount : 0,
                                           bias: node.inputs.count > 2 && node.needs(2) ? node.inputs[2].scalarCount : 0)
        parts.compute { c, dw, db in
            let start = c &* chunks.size
            chunk(start, Swift.min(chunks.size, chunks.images &- start), dy.storage.base, xv.storage.base, wv.storage.base,
                  dx?.storage.base, dw, db)
        }
        let (dw, db) = parts.sums(filterShape: wv.shape)
        return node.inputs.count > 2 ? [dx, dw, db] : [dx, dw]
    }
}

/// A batch cut into chunks of `size` images (the last one may be shorter) whose column matrices stay in
/// the L2 cache; the chunks run in parallel (`ParallelLoops.forEach`).
struct ImageChunks {
    let images: Int
    /// Images per chunk.
    let size: Int

    /// Chunks of column matrices of `perImage` scalars per image.
    init(images n: Int, perImage: Int) {
        images = n
        size = imagesPerChunk(perImage: perImage, images: n)
    }

    /// The number of chunks.
    var count: Int { (images &+ size &- 1) / size }

    /// `body(first image, images in the chunk)` for every chunk, in parallel.
    func forEach(_ body: (Int, Int) -> Void) {
        ParallelLoops.forEach(count) { c in
            let start = c &* size
            body(start, Swift.min(size, images &- start))
        }
    }
}

/// Per-chunk filter and bias gradients of a chunked convolution's backward pass, each chunk writing its
/// own block, summed in chunk order afterwards (so the sums do not depend on the threads).
struct ParameterGradientParts {
    let chunks: Int
    /// Scalars of the filter gradient (0 when not needed) and of the bias gradient (0 when not needed).
    let filter: Int, bias: Int
    private let partials: Tensor

    init(chunks: Int, filter: Int, bias: Int) {
        self.chunks = chunks
        self.filter = filter
        self.bias = bias
        partials = Tensor(zeros: [chunks &* (filter &+ bias)])
    }

    /// `body(chunk, filter-gradient block, bias-gradient block)` for every chunk, in parallel; the blocks
    /// start at zero (nil when not needed).
    func compute(_ body: (Int, UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?) -> Void) {
        let base = partials.storage.base, stride = filter &+ bias
        ParallelLoops.forEach(chunks) { c in
            let block = base + c &* stride
            body(c, filter > 0 ? block : nil, bias > 0 ? block + filter : nil)
        }
    }

    /// The filter gradient (shaped `filterShape`) and the bias gradient, each the sum of the chunks' blocks.
    func sums(filterShape: [Int]) -> (Tensor?, Tensor?) {
        let base = partials.storage.base, stride = filter &+ bias
        let dw: Tensor? = filter > 0 ? Tensor(shape: filterShape) { d in
            ParallelLoops.sumParts(base, parts: chunks, count: filter, stride: stride, into: d.baseAddress!)
        } : nil
        let db: Tensor? = bias > 0 ? Tensor(shape: [bias]) { d in
            ParallelLoops.sumParts(base + filter, parts: chunks, count: bias, stride: stride, into: d.baseAddress!)
        } : nil
        return (dw, db)
    }
}

/// `a` `[rows, depth]` times a chunk's column matrix `[depth, m·p]`, written as NCHW `[m, rows, p]` into
/// `out`, plus `bias[row]` when given: one GEMM per image when `perImage`, else one GEMM into `scratch`
/// (`rows·m·p` scalars) and a reorder.
@inline(__always)
func multiplyIntoImages(_ a: UnsafePointer<Float>, rows: Int, depth: Int, columns: UnsafePointer<Float>, images m: Int,
                        positions p: Int, perImage: Bool, bias: UnsafePointer<Float>?, scratch: UnsafeMutablePointer<Float>,
                        into out: UnsafeMutablePointer<Float>) {
    if perImage {
        for i in 0..<m {
            Backend.sgemm(transposeA: false, transposeB: false, m: rows, n: p, k: depth, a: a, lda: depth, b: columns + i &* p,
                          ldb: m &* p, c: out + i &* rows &* p, ldc: p)
        }
        if let bias { addBias(bias, to: out, n: m, c: rows, p: p) }
    } else {
        Backend.sgemm(transposeA: false, transposeB: false, m: rows, n: m &* p, k: depth, a: a, lda: depth,
                      b: columns, ldb: m &* p, c: scratch, ldc: m &* p)
        batchMajor(scratch, n: m, c: rows, p: p, bias: bias, into: out)
    }
}
