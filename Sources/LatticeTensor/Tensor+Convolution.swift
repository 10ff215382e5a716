/// Stride, zero padding and dilation of a 2-D convolution, per axis.
public struct ConvolutionOptions: Sendable, Equatable {
    public var strideY, strideX: Int
    public var paddingY, paddingX: Int
    public var dilationY, dilationX: Int

    /// The same stride, padding and dilation on both axes.
    public init(stride: Int = 1, padding: Int = 0, dilation: Int = 1) {
        self.init(stride: (stride, stride), padding: (padding, padding), dilation: (dilation, dilation))
    }

    /// Per-axis settings as (y, x) pairs.
    public init(stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int) = (1, 1)) {
        (strideY, strideX) = stride
        (paddingY, paddingX) = padding
        (dilationY, dilationX) = dilation
    }

    /// The output extent (height, width) of a convolution with a kh × kw kernel over an H × W input:
    /// ⌊(H + 2p − d·(k − 1) − 1) / s⌋ + 1 per axis.
    public func outputSize(height: Int, width: Int, kernelHeight: Int, kernelWidth: Int) -> (Int, Int) {
        let g = geometry(channels: 1, height: height, width: width, kernelHeight: kernelHeight, kernelWidth: kernelWidth)
        return (g.outputHeight, g.outputWidth)
    }

    func geometry(channels: Int, height: Int, width: Int, kernelHeight: Int, kernelWidth: Int) -> ConvolutionGeometry {
        ConvolutionGeometry(channels: channels, height: height, width: width, kernelHeight: kernelHeight,
                            kernelWidth: kernelWidth, strideY: strideY, strideX: strideX, padY: paddingY,
                            padX: paddingX, dilationY: dilationY, dilationX: dilationX)
    }
}

/// Below this many output positions per image, convolutions run as one GEMM over the whole batch
/// (columns `[C·kh·kw, N·P]`); above it, one GEMM per image (no reordering of the output).
let batchedConvolutionThreshold = 256

/// In the batched forward pass, from this many output positions per image on, the product runs image by
/// image over the shared column matrix (each product still fills OpenBLAS's small-matrix kernels), which
/// writes the `[N, F, P]` output directly instead of reordering a `[F, N·P]` result.
let perImageProductPositions = 64

/// The largest column matrix (scalars) a transposed convolution builds for the whole batch at once.
let batchedTransposedColumnLimit = 1 << 23

/// Copies `[N, C, P]` to `[C, N·P]`.
func channelMajor(_ src: UnsafePointer<Float>, n: Int, c: Int, p: Int, into dst: UnsafeMutablePointer<Float>) {
    for i in 0..<n { for j in 0..<c { (dst + (j &* n &+ i) &* p).update(from: src + (i &* c &+ j) &* p, count: p) } }
}

/// Copies `[C, N·P]` to `[N, C, P]`, adding `bias[c]` when given.
func batchMajor(_ src: UnsafePointer<Float>, n: Int, c: Int, p: Int, bias: UnsafePointer<Float>?, into dst: UnsafeMutablePointer<Float>) {
    for i in 0..<n {
        for j in 0..<c {
            let s = src + (j &* n &+ i) &* p, d = dst + (i &* c &+ j) &* p
            if let bias {
                let b = bias[j]
                var k = 0
                while k < p { d[k] = s[k] + b; k &+= 1 }
            } else {
                d.update(from: s, count: p)
            }
        }
    }
}

/// Adds `bias[c]` to every position of each channel of `[N, C, P]`.
func addBias(_ bias: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, n: Int, c: Int, p: Int) {
    for i in 0..<n {
        for j in 0..<c {
            let d = dst + (i &* c &+ j) &* p, b = bias[j]
            var k = 0
            while k < p { d[k] += b; k &+= 1 }
        }
    }
}

/// Σ over N and P of `[N, C, P]` → `[C]` (bias gradients).
func biasGradient(_ g: Tensor, channels c: Int) -> Tensor {
    let n = g.shape[0], p = g.scalarCount / Swift.max(n &* c, 1)
    return Tensor(shape: [c]) { d in channelSums(g.storage.base, images: n, channels: c, positions: p, into: d.baseAddress!) }
}

/// `d[j]` = Σ over images i and positions of `g` `[images, channels, positions]` at channel j, image by image.
func channelSums(_ g: UnsafePointer<Float>, images n: Int, channels c: Int, positions p: Int, into d: UnsafeMutablePointer<Float>) {
    d.update(repeating: 0, count: c)
    for i in 0..<n {
        for j in 0..<c { d[j] += sumOfScalars(g + (i &* c &+ j) &* p, count: p) }
    }
}

/// Σ of `count` scalars with eight SIMD partial sums (a scalar loop does not vectorise: float addition
/// is not associative, so the compiler keeps its order).
@inline(__always)
func sumOfScalars(_ p: UnsafePointer<Float>, count: Int) -> Float {
    var acc = SIMD8<Float>(repeating: 0)
    var k = 0
    let raw = UnsafeRawPointer(p)
    while k &+ 8 <= count {
        acc += raw.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self)
        k &+= 8
    }
    var total = acc.sum()
    while k < count { total += p[k]; k &+= 1 }
    return total
}

/// A scratch buffer of `count` scalars, alive for the scope.
@inline(__always)
func withScratch<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> R) -> R {
    let bytes = Swift.max(count, 1) &* 4
    let raw = storagePool.allocate(bytes: bytes)
    defer { storagePool.release(raw, bytes: bytes) }
    return body(raw.bindMemory(to: Float.self, capacity: Swift.max(count, 1)))
}

/// 2-D convolution (cross-correlation, as in every DL library) of `x` `[N, C, H, W]` with `filter`
/// `[F, C, kh, kw]` plus an optional `bias` `[F]`: `[N, F, ho, wo]`, by im2col + one GEMM.
///
/// VJPs: dW = dY·colsᵀ, dx = col2im(Wᵀ·dY), db = Σ dY.
public func conv2d(_ x: Tensor, filter: Tensor, bias: Tensor? = nil, options o: ConvolutionOptions = .init()) -> Tensor {
    guard x.rank == 4, filter.rank == 4 else {
        fatalError("conv2d: needs input [N, C, H, W] and filter [F, C, kh, kw], got \(x.shape) and \(filter.shape)")
    }
    guard x.shape[1] == filter.shape[1] else {
        fatalError("conv2d: input \(x.shape) has \(x.shape[1]) channels but filter \(filter.shape) expects \(filter.shape[1])")
    }
    let n = x.shape[0], f = filter.shape[0]
    let g = o.geometry(channels: x.shape[1], height: x.shape[2], width: x.shape[3],
                       kernelHeight: filter.shape[2], kernelWidth: filter.shape[3])
    guard g.outputHeight > 0, g.outputWidth > 0 else {
        fatalError("conv2d: input \(x.shape) is smaller than the filter \(filter.shape) with \(o)")
    }
    if let bias, bias.shape != [f] { fatalError("conv2d: bias \(bias.shape) does not match \(f) filters") }
    if g.isStride2Kernel4 { return conv2dStride2Kernel4(x, filter: filter, bias: bias, geometry: g) }
    if isFusablePointwise(x, filter: filter, options: o) { return pointwiseConv2d(x, filter: filter, bias: bias, relu: false) }
    let k = g.patchSize, p = g.positions
    let batched = p < batchedConvolutionThreshold && n > 1
    let xs = x.storage.base, ws = filter.storage.base, bs = bias?.storage.base
    let imageSize = g.channels * g.height * g.width
    var columns: Tensor? = nil
    let result: Tensor
    if batched {
        let cols = Tensor(shape: [k, n * p]) { c in
            let cp = c.baseAddress!
            if g.isPointwise { channelMajor(xs, n: n, c: g.channels, p: p, into: cp) } else {
                g.im2col(xs, into: cp, ld: n * p, images: n, imageStride: imageSize)
            }
        }
        result = Tensor(shape: [n, f, g.outputHeight, g.outputWidth]) { out in
            if p >= perImageProductPositions {
                // One product per image, reading its block of the shared columns in place and writing
                // its output directly (no reorder pass): 1.5× faster for MinAtar's 8×8 outputs.
                for i in 0..<n {
                    Backend.sgemm(transposeA: false, transposeB: false, m: f, n: p, k: k, a: ws, lda: k,
                                  b: cols.storage.base + i * p, ldb: n * p, c: out.baseAddress! + i * f * p, ldc: p)
                }
                if let bs { addBias(bs, to: out.baseAddress!, n: n, c: f, p: p) }
            } else {
                withScratch(f * n * p) { tmp in
                    Backend.sgemm(transposeA: false, transposeB: false, m: f, n: n * p, k: k, a: ws, lda: k,
                                  b: cols.storage.base, ldb: n * p, c: tmp, ldc: n * p)
                    batchMajor(tmp, n: n, c: f, p: p, bias: bs, into: out.baseAddress!)
                }
            }
        }
        columns = cols
    } else if !g.isPointwise && filter.isTracked && GradientRecording.isEnabled && k &* n &* p <= batchedTransposedColumnLimit {
        // Per-image GEMMs over column matrices kept for the filter gradient, so the backward pass does
        // not build them again.
        let cols = Tensor(shape: [n, k, p]) { c in
            for i in 0..<n { g.im2col(xs + i * imageSize, into: c.baseAddress! + i * k * p, ld: p) }
        }
        result = Tensor(shape: [n, f, g.outputHeight, g.outputWidth]) { out in
            for i in 0..<n {
                Backend.sgemm(transposeA: false, transposeB: false, m: f, n: p, k: k, a: ws, lda: k,
                              b: cols.storage.base + i * k * p, ldb: p, c: out.baseAddress! + i * f * p, ldc: p)
            }
            if let bs { addBias(bs, to: out.baseAddress!, n: n, c: f, p: p) }
        }
        columns = cols
    } else {
        result = Tensor(shape: [n, f, g.outputHeight, g.outputWidth]) { out in
            withScratch(g.isPointwise ? 0 : k * p) { cols in
                for i in 0..<n {
                    let src: UnsafePointer<Float>
                    if g.isPointwise { src = UnsafePointer(xs + i * imageSize) } else {
                        g.im2col(xs + i * imageSize, into: cols, ld: p)
                        src = UnsafePointer(cols)
                    }
                    Backend.sgemm(transposeA: false, transposeB: false, m: f, n: p, k: k, a: ws, lda: k,
                                  b: src, ldb: p, c: out.baseAddress! + i * f * p, ldc: p)
                }
            }
            if let bs { addBias(bs, to: out.baseAddress!, n: n, c: f, p: p) }
        }
    }
    let inputs = bias.map { [x, filter, $0] } ?? [x, filter]
    return Tensor.record("conv2d", result, inputs) { dy, node in
        let xv = node.inputs[0], wv = node.inputs[1]
        let dys = dy.storage.base, xs = xv.storage.base, ws = wv.storage.base
        var dx: Tensor? = nil, dw: Tensor? = nil
        if batched, let cols = columns {
            withScratch(f * n * p) { dyt in
                channelMajor(dys, n: n, c: f, p: p, into: dyt)
                if node.needs(1) {
                    dw = Tensor(shape: wv.shape) { d in
                        Backend.sgemm(transposeA: false, transposeB: true, m: f, n: k, k: n * p, a: dyt, lda: n * p,
                                      b: cols.storage.base, ldb: n * p, c: d.baseAddress!, ldc: k)
                    }
                }
                if node.needs(0) {
                    dx = Tensor(shape: xv.shape) { d in
                        withScratch(k * n * p) { dcols in
                            Backend.sgemm(transposeA: true, transposeB: false, m: k, n: n * p, k: f, a: ws, lda: k,
                                          b: dyt, ldb: n * p, c: dcols, ldc: n * p)
                            if g.isPointwise {
                                batchMajor(dcols, n: n, c: k, p: p, bias: nil, into: d.baseAddress!)
                            } else {
                                d.initialize(repeating: 0)
                                for i in 0..<n { g.col2im(dcols + i * p, ld: n * p, into: d.baseAddress! + i * imageSize) }
                            }
                        }
                    }
                }
            }
        } else {
            if node.needs(1) {
                dw = Tensor(shape: wv.shape) { d in
                    withScratch(g.isPointwise || columns != nil ? 0 : k * p) { cols in
                        for i in 0..<n {
                            let src: UnsafePointer<Float>
                            if g.isPointwise { src = UnsafePointer(xs + i * imageSize) } else if let saved = columns {
                                src = UnsafePointer(saved.storage.base + i * k * p)
                            } else {
                                g.im2col(xs + i * imageSize, into: cols, ld: p)
                                src = UnsafePointer(cols)
                            }
                            Backend.sgemm(transposeA: false, transposeB: true, m: f, n: k, k: p, a: dys + i * f * p,
                                          lda: p, b: src, ldb: p, beta: i == 0 ? 0 : 1, c: d.baseAddress!, ldc: k)
                        }
                    }
                }
            }
            if node.needs(0) {
                dx = Tensor(shape: xv.shape) { d in
                    if g.isPointwise {
                        for i in 0..<n {
                            Backend.sgemm(transposeA: true, transposeB: false, m: k, n: p, k: f, a: ws, lda: k,
                                          b: dys + i * f * p, ldb: p, c: d.baseAddress! + i * imageSize, ldc: p)
                        }
                    } else {
                        d.initialize(repeating: 0)
                        withScratch(k * p) { dcols in
                            for i in 0..<n {
                                Backend.sgemm(transposeA: true, transposeB: false, m: k, n: p, k: f, a: ws, lda: k,
                                              b: dys + i * f * p, ldb: p, c: dcols, ldc: p)
                                g.col2im(dcols, ld: p, into: d.baseAddress! + i * imageSize)
                            }
                        }
                    }
                }
            }
        }
        let db: Tensor? = node.inputs.count > 2 && node.needs(2) ? biasGradient(dy, channels: f) : nil
        return node.inputs.count > 2 ? [dx, dw, db] : [dx, dw]
    }
}

/// Transposed 2-D convolution (the adjoint of `conv2d` in its input; "deconvolution") of `x`
/// `[N, Cin, H, W]` with `filter` `[Cin, Cout, kh, kw]` (PyTorch's layout) plus optional `bias` `[Cout]`:
/// `[N, Cout, ho, wo]` with ho = (H − 1)·s − 2p + d·(kh − 1) + outputPadding + 1.
public func convTranspose2d(_ x: Tensor, filter: Tensor, bias: Tensor? = nil, options o: ConvolutionOptions = .init(),
                            outputPadding: (Int, Int) = (0, 0)) -> Tensor {
    guard x.rank == 4, filter.rank == 4, x.shape[1] == filter.shape[0] else {
        fatalError("convTranspose2d: input \(x.shape) and filter \(filter.shape) [Cin, Cout, kh, kw] do not fit")
    }
    let n = x.shape[0], cin = x.shape[1], h = x.shape[2], w = x.shape[3], cout = filter.shape[1]
    let kh = filter.shape[2], kw = filter.shape[3]
    let ho = (h - 1) * o.strideY - 2 * o.paddingY + o.dilationY * (kh - 1) + outputPadding.0 + 1
    let wo = (w - 1) * o.strideX - 2 * o.paddingX + o.dilationX * (kw - 1) + outputPadding.1 + 1
    guard ho > 0, wo > 0, outputPadding.0 < Swift.max(o.strideY, o.dilationY), outputPadding.1 < Swift.max(o.strideX, o.dilationX) else {
        fatalError("convTranspose2d: input \(x.shape), filter \(filter.shape), \(o), output padding \(outputPadding) give no valid output")
    }
    if let bias, bias.shape != [cout] { fatalError("convTranspose2d: bias \(bias.shape) does not match \(cout) output channels") }
    // The convolution whose input-gradient this is: input [Cout, ho, wo] → output [Cin, h, w].
    let g = o.geometry(channels: cout, height: ho, width: wo, kernelHeight: kh, kernelWidth: kw)
    if g.isStride2Kernel4 && outputPadding == (0, 0) { return convTranspose2dStride2Kernel4(x, filter: filter, bias: bias, geometry: g) }
    let k = g.patchSize, p = h * w
    let outSize = cout * ho * wo, inSize = cin * p
    let xs = x.storage.base, ws = filter.storage.base, bs = bias?.storage.base
    // Batched: the whole batch as one GEMM over channel-major columns [k, n·p] (small images make
    // per-image GEMMs too thin for BLAS); per image when the column matrix would be too large.
    let batched = n > 1 && k &* n &* p <= batchedTransposedColumnLimit
    let result = Tensor(shape: [n, cout, ho, wo]) { out in
        let op = out.baseAddress!
        op.initialize(repeating: 0, count: n * outSize)
        if batched {
            withScratch(cin * n * p) { xcm in
                channelMajor(xs, n: n, c: cin, p: p, into: xcm)
                withScratch(k * n * p) { cols in
                    Backend.sgemm(transposeA: true, transposeB: false, m: k, n: n * p, k: cin, a: ws, lda: k,
                                  b: xcm, ldb: n * p, c: cols, ldc: n * p)
                    for i in 0..<n { g.col2im(cols + i * p, ld: n * p, into: op + i * outSize) }
                }
            }
        } else {
            withScratch(k * p) { cols in
                for i in 0..<n {
                    Backend.sgemm(transposeA: true, transposeB: false, m: k, n: p, k: cin, a: ws, lda: k,
                                  b: xs + i * inSize, ldb: p, c: cols, ldc: p)
                    g.col2im(cols, ld: p, into: op + i * outSize)
                }
            }
        }
        if let bs { addBias(bs, to: op, n: n, c: cout, p: ho * wo) }
    }
    let inputs = bias.map { [x, filter, $0] } ?? [x, filter]
    return Tensor.record("convTranspose2d", result, inputs) { dy, node in
        let xv = node.inputs[0], wv = node.inputs[1]
        let dys = dy.storage.base, xs = xv.storage.base, ws = wv.storage.base
        var dx: Tensor? = nil, dw: Tensor? = nil
        if batched {
            withScratch(k * n * p) { cols in
                g.im2col(dys, into: cols, ld: n * p, images: n, imageStride: outSize)
                if node.needs(0) {
                    dx = Tensor(shape: xv.shape) { d in
                        withScratch(cin * n * p) { dxcm in
                            Backend.sgemm(transposeA: false, transposeB: false, m: cin, n: n * p, k: k, a: ws, lda: k,
                                          b: cols, ldb: n * p, c: dxcm, ldc: n * p)
                            batchMajor(dxcm, n: n, c: cin, p: p, bias: nil, into: d.baseAddress!)
                        }
                    }
                }
                if node.needs(1) {
                    dw = Tensor(shape: wv.shape) { d in
                        withScratch(cin * n * p) { xcm in
                            channelMajor(xs, n: n, c: cin, p: p, into: xcm)
                            Backend.sgemm(transposeA: false, transposeB: true, m: cin, n: k, k: n * p, a: xcm, lda: n * p,
                                          b: cols, ldb: n * p, c: d.baseAddress!, ldc: k)
                        }
                    }
                }
            }
        } else {
            var dxt = node.needs(0) ? Tensor(zeros: xv.shape) : nil
            var dwt = node.needs(1) ? Tensor(zeros: wv.shape) : nil
            withScratch(k * p) { cols in
                for i in 0..<n {
                    g.im2col(dys + i * outSize, into: cols, ld: p)
                    dxt?.withUnsafeMutableBufferPointer { d in
                        Backend.sgemm(transposeA: false, transposeB: false, m: cin, n: p, k: k, a: ws, lda: k,
                                      b: cols, ldb: p, c: d.baseAddress! + i * inSize, ldc: p)
                    }
                    dwt?.withUnsafeMutableBufferPointer { d in
                        Backend.sgemm(transposeA: false, transposeB: true, m: cin, n: k, k: p, a: xs + i * inSize, lda: p,
                                      b: cols, ldb: p, beta: 1, c: d.baseAddress!, ldc: k)
                    }
                }
            }
            dx = dxt; dw = dwt
        }
        let db: Tensor? = node.inputs.count > 2 && node.needs(2) ? biasGradient(dy, channels: cout) : nil
        return node.inputs.count > 2 ? [dx, dw, db] : [dx, dw]
    }
}
