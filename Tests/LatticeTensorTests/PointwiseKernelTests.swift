import XCTest
@testable import LatticeTensor

/// The hand-written pointwise kernels (`Backend.pointwiseForward`, `Backend.pointwiseFilterGradient`)
/// against plain loops, on sizes that leave partial blocks of filters, channels and positions (1, odd,
/// one past a block, a whole 64×64 image).
final class PointwiseKernelTests: XCTestCase {
    let shapes: [(c: Int, f: Int, p: Int)] = [
        (1, 1, 1), (3, 5, 17), (7, 13, 65), (6, 6, 64), (2, 33, 130), (13, 1, 200), (5, 7, 1000),
        (64, 64, 4096), (32, 64, 1025), (4, 32, 2049),
    ]

    func values(_ n: Int, _ rng: inout RandomGenerator) -> [Float] {
        (0..<n).map { _ in Float.random(in: -1...1, using: &rng) }
    }

    override func setUpWithError() throws {
        try XCTSkipUnless(Backend.hasPointwiseKernels, "no AVX-512F on this CPU: the BLAS path runs instead")
    }

    func testForwardEqualsPlainLoops() {
        var rng = RandomGenerator(seed: 11)
        for (c, f, p) in shapes {
            let w = values(f * c, &rng), x = values(c * p, &rng), b = values(f, &rng)
            for useBias in [false, true] {
                for relu in [false, true] {
                    var y = [Float](repeating: .nan, count: f * p)
                    w.withUnsafeBufferPointer { wp in x.withUnsafeBufferPointer { xp in b.withUnsafeBufferPointer { bp in
                        y.withUnsafeMutableBufferPointer { yp in
                            Backend.pointwiseForward(weights: wp.baseAddress!, bias: useBias ? bp.baseAddress! : nil,
                                                     input: xp.baseAddress!, output: yp.baseAddress!,
                                                     channels: c, filters: f, positions: p, relu: relu)
                        }
                    } } }
                    var worst: Float = 0
                    for j in 0..<f {
                        for q in 0..<p {
                            var e: Double = useBias ? Double(b[j]) : 0
                            for k in 0..<c { e += Double(w[j * c + k]) * Double(x[k * p + q]) }
                            if relu { e = max(e, 0) }
                            worst = max(worst, abs(y[j * p + q] - Float(e)))
                        }
                    }
                    XCTAssertLessThan(worst, 1e-4 * Float(c), "forward c \(c) f \(f) p \(p) bias \(useBias) relu \(relu)")
                }
            }
        }
    }

    func testFilterGradientAccumulatesPlainDotProducts() {
        var rng = RandomGenerator(seed: 12)
        for (c, f, p) in shapes {
            let g = values(f * p, &rng), x = values(c * p, &rng), start = values(f * c, &rng)
            var dw = start
            g.withUnsafeBufferPointer { gp in x.withUnsafeBufferPointer { xp in dw.withUnsafeMutableBufferPointer { d in
                Backend.pointwiseFilterGradient(outputGradient: gp.baseAddress!, input: xp.baseAddress!, into: d.baseAddress!,
                                                channels: c, filters: f, positions: p)
            } } }
            var worst: Float = 0
            for j in 0..<f {
                for k in 0..<c {
                    var e = Double(start[j * c + k])
                    for q in 0..<p { e += Double(g[j * p + q]) * Double(x[k * p + q]) }
                    worst = max(worst, abs(dw[j * c + k] - Float(e)))
                }
            }
            XCTAssertLessThan(worst, 2e-6 * Float(p) + 1e-5, "filter gradient c \(c) f \(f) p \(p)")
        }
    }

    /// Writes only its own slice: the scalars just past the output keep their values.
    func testForwardWritesNothingPastTheOutput() {
        var rng = RandomGenerator(seed: 13)
        let c = 3, f = 2, p = 21
        let w = values(f * c, &rng), x = values(c * p, &rng)
        var y = [Float](repeating: 7, count: f * p + 40)
        w.withUnsafeBufferPointer { wp in x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
            Backend.pointwiseForward(weights: wp.baseAddress!, bias: nil, input: xp.baseAddress!, output: yp.baseAddress!,
                                     channels: c, filters: f, positions: p, relu: false)
        } } }
        XCTAssertEqual(Array(y[(f * p)...]), [Float](repeating: 7, count: 40))
    }
}
