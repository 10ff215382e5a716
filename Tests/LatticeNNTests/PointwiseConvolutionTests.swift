import XCTest
import LatticeTensor
@testable import LatticeNN

/// The fused pointwise convolution (`pointwiseConv2d`, used by `conv2d` for 1×1 kernels on images of at
/// least 256 positions, and with the ReLU fused by `Sequential`): finite differences, and equality with
/// the same layer written as general ops (permute, matmul, broadcast add, relu) in value and gradients.
final class PointwiseConvolutionTests: XCTestCase {
    /// relu?(x·Wᵀ + b) over the pixels as a matrix, from general ops only.
    func reference(_ x: Tensor, _ w: Tensor, _ b: Tensor, relu useReLU: Bool) -> Tensor {
        let n = x.shape[0], c = x.shape[1], h = x.shape[2], wd = x.shape[3], f = w.shape[0]
        let pixels = x.permuted([0, 2, 3, 1]).reshaped([n * h * wd, c])
        var y = matmul(pixels, w.reshaped([f, c]), transposeB: true) + b.reshaped([1, f])
        if useReLU { y = relu(y) }
        return y.reshaped([n, h, wd, f]).permuted([0, 3, 1, 2])
    }

    func compareWithReference(n: Int, c: Int, f: Int, side: Int, relu useReLU: Bool, threads: Int,
                              file: StaticString = #filePath, line: UInt = #line) {
        let previous = Backend.threadCount
        Backend.setThreadCount(threads)
        defer { Backend.setThreadCount(previous) }
        var rng = RandomGenerator(seed: UInt64(31 * c + f))
        let x = Tensor.uniform([n, c, side, side], low: -1, high: 1, using: &rng).trackingGradients()
        let w = Tensor.uniform([f, c, 1, 1], low: -1, high: 1, using: &rng).trackingGradients()
        let b = Tensor.uniform([f], low: -0.5, high: 0.5, using: &rng).trackingGradients()
        XCTAssertTrue(isFusablePointwise(x, filter: w, options: .init()), file: file, line: line)
        let r = Tensor.uniform([n, f, side, side], low: -1, high: 1, using: &rng)
        let fused = useReLU ? pointwiseConv2d(x, filter: w, bias: b, relu: true) : conv2d(x, filter: w, bias: b)
        let general = reference(x, w, b, relu: useReLU)
        assertClose(fused, general, file: file, line: line)
        let gf = gradients(of: (fused * r).sum(), wrt: [x, w, b])
        let gg = gradients(of: (general * r).sum(), wrt: [x, w, b])
        for (a, e) in zip(gf, gg) { assertClose(a, e, tolerance: 1e-3, file: file, line: line) }
    }

    func testEqualsGeneralOpsOnRandomShapes() {
        for (n, c, f, side) in [(3, 4, 32, 16), (2, 5, 3, 17), (4, 8, 1, 16), (1, 2, 6, 20)] {
            for useReLU in [false, true] {
                compareWithReference(n: n, c: c, f: f, side: side, relu: useReLU, threads: 1)
            }
        }
    }

    func testTwoThreadsGiveTheSameValuesAndGradients() {
        compareWithReference(n: 5, c: 6, f: 7, side: 16, relu: true, threads: 2)
        compareWithReference(n: 3, c: 4, f: 1, side: 16, relu: false, threads: 2)
    }

    /// Inputs in [0.2, 1); filters 0 and 2 have positive weights and bias (always active), filter 1
    /// negative ones (always cut by the ReLU), so a ±0.01 probe never crosses the ReLU's kink and the
    /// check covers both sides of the mask.
    func testFiniteDifferencesOfFusedConvolutionAndReLU() {
        var rng = RandomGenerator(seed: 3)
        var w = Tensor.uniform([3, 2, 1, 1], low: 0.2, high: 1, using: &rng)
        w.withUnsafeMutableBufferPointer { p in p[2] = -p[2]; p[3] = -p[3] }
        let first = Conv2D(filter: w, bias: Tensor([0.1, -0.1, 0.2]))
        let model = Sequential([first, Activation(.relu), Conv2D(channels: 3, filters: 1, kernel: (1, 1), rng: &rng)])
        checkLayerGradients(model, input: Tensor.uniform([2, 2, 16, 16], low: 0.2, high: 1, using: &rng))
    }

    func testSequentialFusesOnlyAConvolutionFollowedByAReLU() {
        var rng = RandomGenerator(seed: 4)
        let conv = Conv2D(channels: 3, filters: 4, kernel: (1, 1), rng: &rng)
        let x = Tensor.uniform([2, 3, 16, 16], low: -1, high: 1, using: &rng)
        let fused = Sequential([conv, Activation(.relu)])(x)
        assertClose(fused, relu(conv(x)))
        let tanhAfter = Sequential([conv, Activation(.tanh)])(x)
        assertClose(tanhAfter, LatticeTensor.tanh(conv(x)))
        XCTAssertEqual(Sequential([conv, Activation(.relu)]).namedParameters().map(\.0), ["0.weight", "0.bias"])
    }

    /// Three pointwise convolutions in a row run as one `pointwiseStack` (where the kernels exist): the
    /// values and gradients of the layers run one by one, and a captured layer inside the run keeps its own
    /// output (the run stops there, so the ReLU after it is not folded in).
    func testSequentialRunsPointwiseConvolutionsAsOneStack() throws {
        var rng = RandomGenerator(seed: 12)
        let convs = [(3, 8), (8, 6), (6, 2)].map { Conv2D(channels: $0.0, filters: $0.1, kernel: (1, 1), rng: &rng) }
        let model = Sequential([convs[0], Activation(.relu), convs[1], Activation(.relu), convs[2]])
        XCTAssertEqual(model.pointwiseRun(from: 0, input: [2, 3, 16, 16], capturing: nil).stages.count,
                       pointwiseStacksAvailable ? 3 : 0)
        XCTAssertEqual(model.pointwiseRun(from: 0, input: [2, 3, 16, 16], capturing: 2).end, pointwiseStacksAvailable ? 3 : 0)
        let x = Tensor.uniform([2, 3, 16, 16], low: -1, high: 1, using: &rng)
        let oneByOne = { (x: Tensor) in convs[2](relu(convs[1](relu(convs[0](x))))) }
        assertClose(model(x), oneByOne(x))
        let (out, kept) = model(x, capturing: 2)
        assertClose(out, oneByOne(x))
        assertClose(try XCTUnwrap(kept), convs[1](relu(convs[0](x))))
        let params = model.parameters.map(\.value)
        let r = Tensor.uniform([2, 2, 16, 16], low: -1, high: 1, using: &rng)
        let fused = gradients(of: (model(x) * r).sum(), wrt: params)
        let plain = gradients(of: (oneByOne(x) * r).sum(), wrt: params)
        for (a, b) in zip(fused, plain) { assertClose(a, b) }
    }
}

/// The largest |a − b| / max(1, |b|) over the scalars (infinity when the shapes differ).
func largestRelativeDifference(_ a: Tensor, _ b: Tensor) -> Float {
    guard a.shape == b.shape else { return .infinity }
    return zip(a.scalars, b.scalars).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
}

/// Asserts `a` and `b` have one shape and agree to `tolerance` relative to max(1, |b|).
func assertClose(_ a: Tensor, _ b: Tensor, tolerance: Float = 1e-4, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.shape, b.shape, file: file, line: line)
    XCTAssertLessThanOrEqual(largestRelativeDifference(a, b), tolerance, file: file, line: line)
}

/// `tiledPointwiseConv2d` (CoordConv2D in tile mode with a 1×1 kernel): equal to tiling, AddCoords and
/// `conv2d` in values and gradients, and finite differences.
final class TiledCoordConvTests: XCTestCase {
    func layer(c: Int, f: Int, radius: Bool, seed: UInt64) -> CoordConv2D {
        var rng = RandomGenerator(seed: seed)
        return CoordConv2D(channels: c, filters: f, kernel: (1, 1), withRadius: radius, tile: (16, 12), rng: &rng)
    }

    func testEqualsTilingThenConvolution() {
        for (c, f, radius, useReLU) in [(2, 8, false, true), (3, 5, true, false), (2, 1, false, false)] {
            let l = layer(c: c, f: f, radius: radius, seed: UInt64(c * 10 + f))
            var rng = RandomGenerator(seed: 8)
            let x = Tensor.uniform([3, c], low: -1, high: 1, using: &rng).trackingGradients()
            XCTAssertNotNil(l.tiledPlanes(for: x))
            let fast = useReLU ? l.appliedWithReLU(x) : l(x)
            let general = useReLU ? relu(l.conv(l.addCoords(x))) : l.conv(l.addCoords(x))
            assertClose(fast, general)
            let r = Tensor.uniform(fast.shape, low: -1, high: 1, using: &rng)
            let params = [x] + l.parameters.map(\.value)
            let gf = gradients(of: (fast * r).sum(), wrt: params), gg = gradients(of: (general * r).sum(), wrt: params)
            for (a, e) in zip(gf, gg) { assertClose(a, e, tolerance: 1e-3) }
        }
    }

    func testFiniteDifferences() {
        checkLayerGradients(layer(c: 2, f: 3, radius: false, seed: 5), input: Tensor([0.3, -0.6, 0.9, 0.1]).reshaped([2, 2]))
        // Through the fused ReLU: positive weights and bias on filter 0, negative on filter 1, inputs ≥ 0.2,
        // so no probe crosses the kink (the coordinate planes in [−1, 1] get small weights).
        let l = CoordConv2D(filter: Tensor(shape: [2, 4, 1, 1], scalars: [0.8, 0.5, 0.1, -0.1, -0.7, -0.4, 0.1, 0.05]),
                            bias: Tensor([0.3, -0.3]), tile: (16, 16))
        checkLayerGradients(Sequential([l, Activation(.relu)]), input: Tensor([0.3, 0.6, 0.9, 0.2]).reshaped([2, 2]))
    }
}
