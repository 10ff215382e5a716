import XCTest
@testable import LatticeTensor

/// Direct (loop) convolution, the reference for the im2col + GEMM implementation.
func naiveConv2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, _ o: ConvolutionOptions) -> Tensor {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (f, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    let ho = (h + 2 * o.paddingY - o.dilationY * (kh - 1) - 1) / o.strideY + 1
    let wo = (wd + 2 * o.paddingX - o.dilationX * (kw - 1) - 1) / o.strideX + 1
    var out = Tensor(zeros: [n, f, ho, wo])
    for i in 0..<n { for j in 0..<f { for y in 0..<ho { for xx in 0..<wo {
        var acc: Float = b?[j] ?? 0
        for k in 0..<c { for ky in 0..<kh { for kx in 0..<kw {
            let iy = y * o.strideY - o.paddingY + ky * o.dilationY, ix = xx * o.strideX - o.paddingX + kx * o.dilationX
            if iy >= 0 && iy < h && ix >= 0 && ix < wd { acc += x[i, k, iy, ix] * w[j, k, ky, kx] }
        } } }
        out[i, j, y, xx] = acc
    } } } }
    return out
}

/// Direct transposed convolution: every input pixel scatters its kernel-weighted value.
func naiveConvTranspose2d(_ x: Tensor, _ w: Tensor, _ o: ConvolutionOptions, outputPadding: Int) -> Tensor {
    let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (cout, kh, kw) = (w.shape[1], w.shape[2], w.shape[3])
    let ho = (h - 1) * o.strideY - 2 * o.paddingY + o.dilationY * (kh - 1) + outputPadding + 1
    let wo = (wd - 1) * o.strideX - 2 * o.paddingX + o.dilationX * (kw - 1) + outputPadding + 1
    var out = Tensor(zeros: [n, cout, ho, wo])
    for i in 0..<n { for ci in 0..<cin { for y in 0..<h { for xx in 0..<wd {
        for co in 0..<cout { for ky in 0..<kh { for kx in 0..<kw {
            let oy = y * o.strideY - o.paddingY + ky * o.dilationY, ox = xx * o.strideX - o.paddingX + kx * o.dilationX
            if oy >= 0 && oy < ho && ox >= 0 && ox < wo { out[i, co, oy, ox] += x[i, ci, y, xx] * w[ci, co, ky, kx] }
        } } }
    } } } }
    return out
}

final class ConvolutionTests: XCTestCase {
    let cases: [([Int], [Int], ConvolutionOptions)] = [
        ([2, 3, 6, 5], [4, 3, 3, 3], ConvolutionOptions()),
        ([2, 2, 7, 7], [3, 2, 3, 3], ConvolutionOptions(stride: 2, padding: 1)),
        ([1, 2, 8, 6], [2, 2, 3, 2], ConvolutionOptions(stride: (1, 2), padding: (2, 1), dilation: (2, 1))),
        ([3, 4, 5, 5], [2, 4, 1, 1], ConvolutionOptions()),                      // pointwise, batched
        ([2, 1, 10, 10], [2, 1, 3, 3], ConvolutionOptions()),                    // batched columns, per-image products (64 positions)
        ([2, 3, 20, 20], [2, 3, 3, 3], ConvolutionOptions(padding: 1)),          // per-image path (400 positions)
        ([2, 2, 18, 18], [3, 2, 1, 1], ConvolutionOptions()),                    // pointwise per-image path
    ]

    func testConvForwardMatchesDirectLoops() {
        for (i, (xs, ws, o)) in cases.enumerated() {
            let x = randomTensor(xs, seed: UInt64(30 + i)), w = randomTensor(ws, seed: UInt64(40 + i))
            let b = randomTensor([ws[0]], seed: UInt64(50 + i))
            assertClose(conv2d(x, filter: w, bias: b, options: o), naiveConv2d(x, w, b, o))
        }
    }

    func testConvGradients() {
        for (i, (xs, ws, o)) in cases.enumerated() where Tensor.count(of: xs) <= 300 {
            let x = randomTensor(xs, seed: UInt64(60 + i)), w = randomTensor(ws, seed: UInt64(70 + i))
            let b = randomTensor([ws[0]], seed: UInt64(80 + i))
            checkGradients([x, w, b]) { conv2d($0[0], filter: $0[1], bias: $0[2], options: o) }
        }
    }

    /// A large batch through the batched path (MinAtar's trunk: [256, 4, 10, 10], 16 filters 3×3) gives the
    /// same output and filter gradient as the images one at a time.
    func testLargeBatchEqualsImageByImage() {
        let x = randomTensor([256, 4, 10, 10], seed: 94), w = randomTensor([16, 4, 3, 3], seed: 95)
        let b = randomTensor([16], seed: 96), y = randomTensor([256, 16, 8, 8], seed: 97)
        let wt = w.trackingGradients()
        let out = conv2d(x, filter: wt, bias: b)
        let dw = gradients(of: (out * y).sum(), wrt: [wt])[0]
        var dwSum = Tensor(zeros: w.shape)
        for i in 0..<256 {
            let xi = x.slice(alongAxis: 0, from: i, to: i + 1), yi = y.slice(alongAxis: 0, from: i, to: i + 1)
            let wi = w.trackingGradients()
            let oi = conv2d(xi, filter: wi, bias: b)
            assertClose(oi, out.slice(alongAxis: 0, from: i, to: i + 1))
            dwSum = dwSum + gradients(of: (oi * yi).sum(), wrt: [wi])[0]
        }
        assertClose(dw, dwSum, tolerance: 1e-3)
    }

    func testConvGradientsPerImagePath() {
        // The large-image path, checked on the filter and bias (input gradient checked via the adjoint test).
        let x = randomTensor([2, 2, 16, 17], seed: 90), w = randomTensor([2, 2, 3, 3], seed: 91)
        let b = randomTensor([2], seed: 92)
        let o = ConvolutionOptions(stride: 1, padding: 1)
        checkGradients([w, b], tolerance: 3e-2) { conv2d(x, filter: $0[0], bias: $0[1], options: o) }
        // ⟨conv(x), y⟩ = ⟨x, convᵀ(y)⟩: the input gradient is the adjoint of the forward map.
        let y = randomTensor([2, 2, 16, 17], seed: 93)
        let xt = x.trackingGradients()
        let dx = gradients(of: (conv2d(xt, filter: w, options: o) * y).sum(), wrt: [xt])[0]
        let lhs = (conv2d(x, filter: w, options: o) * y).sum().scalar
        let rhs = (x * dx).sum().scalar
        XCTAssertEqual(lhs, rhs, accuracy: 1e-3 * max(1, abs(lhs)))
    }

    func testTransposedConvMatchesDirectLoops() {
        let settings: [([Int], [Int], ConvolutionOptions, Int)] = [
            ([2, 3, 4, 4], [3, 2, 4, 4], ConvolutionOptions(stride: 2, padding: 1), 0),
            ([1, 2, 3, 5], [2, 3, 5, 5], ConvolutionOptions(stride: 2, padding: 2), 1),
            ([2, 2, 3, 3], [2, 2, 3, 3], ConvolutionOptions(), 0),
        ]
        for (i, (xs, ws, o, op)) in settings.enumerated() {
            let x = randomTensor(xs, seed: UInt64(100 + i)), w = randomTensor(ws, seed: UInt64(110 + i))
            assertClose(convTranspose2d(x, filter: w, options: o, outputPadding: (op, op)),
                        naiveConvTranspose2d(x, w, o, outputPadding: op))
            let b = randomTensor([ws[1]], seed: UInt64(120 + i))
            checkGradients([x, w, b]) { convTranspose2d($0[0], filter: $0[1], bias: $0[2], options: o, outputPadding: (op, op)) }
        }
    }

    func testPooling() {
        let x = randomTensor([2, 2, 5, 6], seed: 130), d = distinctValues([2, 2, 5, 6], seed: 131)
        checkGradients([d]) { $0[0].maxPool2d(kernel: 2) }
        checkGradients([d]) { $0[0].maxPool2d(kernel: 3, stride: 2, padding: 1) }
        checkGradients([x]) { $0[0].avgPool2d(kernel: 2, stride: 1) }
        checkGradients([x]) { $0[0].avgPool2d(kernel: 3, stride: 2, padding: 1) }
        checkGradients([x]) { $0[0].globalAvgPool2d() }
        checkGradients([d]) { $0[0].globalMaxPool2d(keepingDims: true) }
        let m = Tensor(shape: [1, 1, 2, 4], scalars: [1, 5, 2, 0, 3, 4, 8, 7])
        XCTAssertEqual(m.maxPool2d(kernel: 2).scalars, [5, 8])
        XCTAssertEqual(m.avgPool2d(kernel: 2).scalars, [3.25, 4.25])
        XCTAssertEqual(m.globalMaxPool2d().scalars, [8])
    }
}
