import XCTest
@testable import LatticeTensor

/// `pointwiseStack` against the same convolutions run one by one (`pointwiseConv2d`), and by finite
/// differences, on shapes with partial tiles (positions not a multiple of 256 or 64) and partial blocks of
/// filters and channels.
final class PointwiseStackTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(pointwiseStacksAvailable, "no AVX-512F on this CPU: Sequential runs the layers one by one")
    }

    /// Stages c₀ → c₁ → … with random filters, biases where `biased`, ReLUs where `relu`.
    func stages(_ channels: [Int], relu: [Bool], biased: [Bool], seed: UInt64) -> [PointwiseStage] {
        var rng = RandomGenerator(seed: seed)
        return (0..<(channels.count - 1)).map { l in
            let scale = 1 / Float(channels[l]).squareRoot()
            return PointwiseStage(filter: .uniform([channels[l + 1], channels[l], 1, 1], low: -scale, high: scale, using: &rng),
                                  bias: biased[l] ? .uniform([channels[l + 1]], low: -0.2, high: 0.2, using: &rng) : nil,
                                  relu: relu[l])
        }
    }

    func layerByLayer(_ x: Tensor, _ stages: [PointwiseStage]) -> Tensor {
        stages.reduce(x) { h, s in pointwiseConv2d(h, filter: s.filter, bias: s.bias, relu: s.relu) }
    }

    /// The tensors a stage list is made of, in the op's input order after x.
    func parameters(_ stages: [PointwiseStage]) -> [Tensor] {
        stages.flatMap { s in [s.filter] + (s.bias.map { [$0] } ?? []) }
    }

    func rebuilt(_ stages: [PointwiseStage], from tensors: [Tensor]) -> [PointwiseStage] {
        var k = 0
        return stages.map { s in
            let filter = tensors[k]; k += 1
            var bias: Tensor? = nil
            if s.bias != nil { bias = tensors[k]; k += 1 }
            return PointwiseStage(filter: filter, bias: bias, relu: s.relu)
        }
    }

    let cases: [(channels: [Int], relu: [Bool], biased: [Bool], batch: Int, h: Int, w: Int)] = [
        ([32, 32, 64, 64, 1], [true, true, true, false], [true, true, true, true], 5, 64, 64),   // the classifier's stack
        ([3, 7, 13, 2], [true, false, true], [true, false, true], 3, 17, 19),                 // 323 positions: partial tiles
        ([6, 5, 6, 9], [false, true, true], [false, true, true], 2, 20, 30),
    ]

    func testValuesEqualTheLayersRunOneByOne() {
        for (n, c) in cases.enumerated() {
            var rng = RandomGenerator(seed: UInt64(40 + n))
            let x = Tensor.uniform([c.batch, c.channels[0], c.h, c.w], low: -1, high: 1, using: &rng)
            let s = stages(c.channels, relu: c.relu, biased: c.biased, seed: UInt64(50 + n))
            XCTAssertEqual(pointwiseStack(x, s).scalars, layerByLayer(x, s).scalars, "case \(n): same kernels, same bits")
        }
    }

    func testGradientsMatchTheLayersRunOneByOne() {
        for (n, c) in cases.enumerated() {
            var rng = RandomGenerator(seed: UInt64(60 + n))
            let x = Tensor.uniform([c.batch, c.channels[0], c.h, c.w], low: -1, high: 1, using: &rng).trackingGradients()
            let s = stages(c.channels, relu: c.relu, biased: c.biased, seed: UInt64(70 + n))
            let tracked = rebuilt(s, from: parameters(s).map { $0.trackingGradients() })
            let r = Tensor.uniform([c.batch, c.channels.last!, c.h, c.w], low: -1, high: 1, using: &rng)
            let wrt = [x] + parameters(tracked)
            let fused = gradients(of: (pointwiseStack(x, tracked) * r).sum(), wrt: wrt)
            let plain = gradients(of: (layerByLayer(x, tracked) * r).sum(), wrt: wrt)
            for (k, (a, b)) in zip(fused, plain).enumerated() {
                XCTAssertEqual(a.shape, b.shape)
                let scale = max(1, b.scalars.map(abs).max() ?? 0)
                let worst = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
                XCTAssertLessThan(worst / scale, 2e-5, "case \(n), input \(k): summed in another order only")
            }
        }
    }

    /// Inputs in [0.2, 1); in each ReLU stage, odd filters have negative weights and bias (always cut by the
    /// ReLU) and even filters positive ones (always active, as are their inputs), so a ±0.01 probe never crosses
    /// a kink and the check covers both sides of every mask. 16×16 positions: the smallest image on the
    /// per-image path; the last stage has no ReLU.
    func testGradientsMatchFiniteDifferences() {
        var rng = RandomGenerator(seed: 80)
        let channels = [2, 5, 3, 2], relu = [true, true, false]
        let s: [PointwiseStage] = (0..<3).map { l in
            var w = Tensor.uniform([channels[l + 1], channels[l], 1, 1], low: 0.2, high: 1, using: &rng)
            var b = Tensor.uniform([channels[l + 1]], low: 0.05, high: 0.2, using: &rng)
            if relu[l] {
                w.withUnsafeMutableBufferPointer { p in
                    for j in stride(from: 1, to: channels[l + 1], by: 2) { for k in 0..<channels[l] { p[j * channels[l] + k] *= -1 } }
                }
                b.withUnsafeMutableBufferPointer { p in for j in stride(from: 1, to: channels[l + 1], by: 2) { p[j] *= -1 } }
            }
            return PointwiseStage(filter: w, bias: l == 1 ? nil : b, relu: relu[l])
        }
        let x = Tensor.uniform([2, 2, 16, 16], low: 0.2, high: 1, using: &rng)
        checkGradients([x] + parameters(s)) { t in pointwiseStack(t[0], rebuilt(s, from: Array(t.dropFirst()))) }
    }

    func testWithoutAnInputGradientTheWeightsStillLearn() {
        var rng = RandomGenerator(seed: 7)
        let x = Tensor.uniform([2, 4, 16, 16], low: -1, high: 1, using: &rng)   // a constant input: no dx
        let s = stages([4, 8, 3], relu: [true, false], biased: [true, true], seed: 8)
        let tracked = rebuilt(s, from: parameters(s).map { $0.trackingGradients() })
        let fused = gradients(of: pointwiseStack(x, tracked).sum(), wrt: parameters(tracked))
        let plain = gradients(of: layerByLayer(x, tracked).sum(), wrt: parameters(tracked))
        for (a, b) in zip(fused, plain) {
            for (u, v) in zip(a.scalars, b.scalars) { XCTAssertEqual(u, v, accuracy: 1e-4 * max(1, abs(v))) }
        }
    }
}
