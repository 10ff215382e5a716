import XCTest
@testable import LatticeTensor

/// The 4×4 stride-2 padding-1 kernels (`ConvolutionGeometry+Stride2.swift`, the DCGAN convolutions):
/// equal to the general im2col/col2im on random shapes, and the convolutions through them match direct
/// loops and finite differences on every path (batched, per image, transposed).
final class Stride2ConvolutionTests: XCTestCase {
    /// Random (C, H, W, images) with even H, W ≥ 8, including widths that are not multiples of 16.
    func randomGeometries() -> [(ConvolutionGeometry, Int)] {
        var rng = RandomGenerator(seed: 7)
        return (0..<24).map { _ in
            let c = 1 + rng.nextInt(below: 4), h = 2 * (1 + rng.nextInt(below: 12)), w = 2 * (4 + rng.nextInt(below: 14))
            let g = ConvolutionGeometry(channels: c, height: h, width: w, kernelHeight: 4, kernelWidth: 4, strideY: 2,
                                        strideX: 2, padY: 1, padX: 1, dilationY: 1, dilationX: 1)
            return (g, 1 + rng.nextInt(below: 3))
        }
    }

    func testSpecialisedIm2colEqualsGeneral() {
        for (i, (g, images)) in randomGeometries().enumerated() {
            XCTAssertTrue(g.isStride2Kernel4)
            let imageSize = g.channels * g.height * g.width
            let x = randomTensor([images * imageSize], seed: UInt64(200 + i))
            let ld = images * g.positions + 3   // a row pitch wider than the images, as a sub-matrix
            var fast = [Float](repeating: .nan, count: g.patchSize * ld), general = fast
            x.withUnsafeBufferPointer { xs in
                fast.withUnsafeMutableBufferPointer {
                    g.im2colStride2Kernel4(xs.baseAddress!, into: $0.baseAddress!, ld: ld, images: images, imageStride: imageSize)
                }
                general.withUnsafeMutableBufferPointer {
                    g.im2colGeneral(xs.baseAddress!, into: $0.baseAddress!, ld: ld, images: images, imageStride: imageSize)
                }
            }
            for r in 0..<g.patchSize {
                let a = Array(fast[r * ld ..< r * ld + images * g.positions]), b = Array(general[r * ld ..< r * ld + images * g.positions])
                XCTAssertEqual(a, b, "geometry \(g), images \(images), row \(r)")
                XCTAssertTrue(fast[r * ld + images * g.positions ..< (r + 1) * ld].allSatisfy(\.isNaN), "wrote past the row")
            }
        }
    }

    func testSpecialisedCol2imEqualsGeneral() {
        for (i, (g, images)) in randomGeometries().enumerated() {
            let ld = images * g.positions
            let cols = randomTensor([g.patchSize * ld], seed: UInt64(300 + i))
            let start = randomTensor([g.channels * g.height * g.width], seed: UInt64(400 + i))
            for image in 0..<images {
                var fast = start.scalars, general = start.scalars
                cols.withUnsafeBufferPointer { cs in
                    let src = cs.baseAddress! + image * g.positions
                    fast.withUnsafeMutableBufferPointer { g.col2imStride2Kernel4(src, ld: ld, into: $0.baseAddress!) }
                    general.withUnsafeMutableBufferPointer { g.col2imGeneral(src, ld: ld, into: $0.baseAddress!) }
                }
                for (a, b) in zip(fast, general) {
                    XCTAssertEqual(a, b, accuracy: 1e-5, "geometry \(g), image \(image)")
                }
                // overwrite: the same as accumulating into zeros, whatever the buffer held (NaN here).
                var written = [Float](repeating: .nan, count: start.scalarCount), fromZero = [Float](repeating: 0, count: start.scalarCount)
                cols.withUnsafeBufferPointer { cs in
                    let src = cs.baseAddress! + image * g.positions
                    written.withUnsafeMutableBufferPointer { g.col2imStride2Kernel4(src, ld: ld, into: $0.baseAddress!, overwrite: true) }
                    fromZero.withUnsafeMutableBufferPointer { g.col2imGeneral(src, ld: ld, into: $0.baseAddress!) }
                }
                XCTAssertFalse(written.contains { $0.isNaN }, "geometry \(g), image \(image): a scalar was not written")
                for (a, b) in zip(written, fromZero) { XCTAssertEqual(a, b, accuracy: 1e-5, "geometry \(g), image \(image)") }
            }
        }
    }

    /// The specialised kernels are used by the geometries of conv2d / convTranspose2d with k 4, s 2, p 1.
    func testDispatch() {
        let o = ConvolutionOptions(stride: 2, padding: 1)
        XCTAssertTrue(o.geometry(channels: 3, height: 64, width: 64, kernelHeight: 4, kernelWidth: 4).isStride2Kernel4)
        XCTAssertFalse(o.geometry(channels: 3, height: 63, width: 64, kernelHeight: 4, kernelWidth: 4).isStride2Kernel4)
        XCTAssertFalse(o.geometry(channels: 3, height: 64, width: 64, kernelHeight: 3, kernelWidth: 3).isStride2Kernel4)
        XCTAssertFalse(ConvolutionOptions(stride: 2, padding: 2).geometry(channels: 1, height: 8, width: 8, kernelHeight: 4,
                                                                           kernelWidth: 4).isStride2Kernel4)
    }

    func testConvolutionsMatchDirectLoopsAndFiniteDifferences() {
        let o = ConvolutionOptions(stride: 2, padding: 1)
        // Batched (16 positions), per image (256 positions, tracked filter), per image (untracked filter).
        for (i, xs) in [[2, 2, 8, 8], [2, 1, 32, 32], [1, 2, 8, 10]].enumerated() {
            let x = randomTensor(xs, seed: UInt64(500 + i)), w = randomTensor([3, xs[1], 4, 4], seed: UInt64(510 + i))
            let b = randomTensor([3], seed: UInt64(520 + i))
            assertClose(conv2d(x, filter: w, bias: b, options: o), naiveConv2d(x, w, b, o))
            if x.scalarCount <= 300 {
                checkGradients([x, w, b]) { conv2d($0[0], filter: $0[1], bias: $0[2], options: o) }
            } else {
                checkGradients([w, b], tolerance: 3e-2) { conv2d(x, filter: $0[0], bias: $0[1], options: o) }
                // The input gradient through col2im is the adjoint of the forward map.
                let y = randomTensor([2, 3, 16, 16], seed: 530), xt = x.trackingGradients()
                let dx = gradients(of: (conv2d(xt, filter: w, options: o) * y).sum(), wrt: [xt])[0]
                XCTAssertEqual((conv2d(x, filter: w, options: o) * y).sum().scalar, (x * dx).sum().scalar, accuracy: 1e-3)
            }
        }
        for (i, xs) in [[2, 3, 4, 4], [1, 2, 4, 5]].enumerated() {
            let x = randomTensor(xs, seed: UInt64(600 + i)), w = randomTensor([xs[1], 2, 4, 4], seed: UInt64(610 + i))
            let b = randomTensor([2], seed: UInt64(620 + i))
            assertClose(convTranspose2d(x, filter: w, bias: b, options: o), naiveConvTranspose2d(x, w, o, outputPadding: 0) + b.reshaped([1, 2, 1, 1]))
            checkGradients([x, w, b]) { convTranspose2d($0[0], filter: $0[1], bias: $0[2], options: o) }
        }
    }

    /// The chunked stride-2 convolutions against the general path on random shapes (several chunks, an
    /// uneven last one): padding 1 equals padding 0 over an explicitly zero-padded input (conv2d), or
    /// padding 0 with the border cropped (convTranspose2d); outputs and all gradients.
    func testChunkedConvolutionsEqualTheGeneralPath() {
        let s2p1 = ConvolutionOptions(stride: 2, padding: 1), s2p0 = ConvolutionOptions(stride: 2, padding: 0)
        // [7, 2, 64, 64]: 32·1024 column scalars per image, 2 images per chunk (2, 2, 2, 1).
        for (i, xs) in [[7, 2, 64, 64], [3, 5, 16, 12], [9, 3, 8, 8], [2, 1, 32, 32]].enumerated() {
            let seed = UInt64(900 + 10 * i)
            let x = randomTensor(xs, seed: seed).trackingGradients()
            let w = randomTensor([4, xs[1], 4, 4], seed: seed + 1).trackingGradients()
            let b = randomTensor([4], seed: seed + 2).trackingGradients()
            let fast = conv2d(x, filter: w, bias: b, options: s2p1)
            let general = conv2d(x.padded([(0, 0), (0, 0), (1, 1), (1, 1)]), filter: w, bias: b, options: s2p0)
            assertClose(fast, general)
            let r = randomTensor(fast.shape, seed: seed + 3)
            for (a, e) in zip(gradients(of: (fast * r).sum(), wrt: [x, w, b]), gradients(of: (general * r).sum(), wrt: [x, w, b])) {
                assertClose(a, e, tolerance: 1e-3)
            }
            // Transposed: input [N, 4, H/2, W/2] → [N, C, H, W].
            let z = randomTensor([xs[0], 4, xs[2] / 2, xs[3] / 2], seed: seed + 4).trackingGradients()
            let wt = randomTensor([4, xs[1], 4, 4], seed: seed + 5).trackingGradients()
            let bt = randomTensor([xs[1]], seed: seed + 6).trackingGradients()
            let up = convTranspose2d(z, filter: wt, bias: bt, options: s2p1)
            let wide = convTranspose2d(z, filter: wt, bias: bt, options: s2p0)
            let cropped = wide.slice(alongAxis: 2, from: 1, to: xs[2] + 1).slice(alongAxis: 3, from: 1, to: xs[3] + 1)
            assertClose(up, cropped)
            let q = randomTensor(up.shape, seed: seed + 7)
            for (a, e) in zip(gradients(of: (up * q).sum(), wrt: [z, wt, bt]), gradients(of: (cropped * q).sum(), wrt: [z, wt, bt])) {
                assertClose(a, e, tolerance: 1e-3)
            }
        }
    }

    /// `gradients(of:wrt:)` with a subset of the inputs gives the same values as with all of them, and
    /// leaves the other branches' VJPs out.
    func testGradientsOfASubsetSkipUnrequestedInputs() {
        let o = ConvolutionOptions(stride: 2, padding: 1)
        let x = randomTensor([2, 2, 8, 8], seed: 700).trackingGradients()
        let w1 = randomTensor([3, 2, 4, 4], seed: 701).trackingGradients()
        let w2 = randomTensor([2, 3, 4, 4], seed: 702).trackingGradients()
        let hidden = conv2d(x, filter: w1, options: o), out = conv2d(hidden, filter: w2, options: o)
        let loss = (out * randomTensor([2, 2, 2, 2], seed: 703)).sum()
        let all = gradients(of: loss, wrt: [x, w1, w2])
        assertClose(gradients(of: loss, wrt: [x])[0], all[0])
        assertClose(gradients(of: loss, wrt: [w1, x])[0], all[1])
        assertClose(gradients(of: loss, wrt: [w2])[0], all[2])
        // A VJP sees which inputs are wanted: with only w2 requested, an op over (hidden, w2) is asked for
        // w2's gradient and not hidden's; with only x, the reverse. Outside a backward pass every tracked
        // input counts as needed.
        var seen: [[Bool]] = []
        let probe = Tensor.record("probe", Tensor(0), [hidden, w2]) { _, node in
            seen.append([node.needs(0), node.needs(1)])
            return [nil, nil]
        }
        _ = gradients(of: probe, wrt: [w2])
        _ = gradients(of: probe, wrt: [x])
        XCTAssertEqual(seen, [[false, true], [true, false]])
        XCTAssertTrue(out.node!.needs(0) && out.node!.needs(1))
    }
}
