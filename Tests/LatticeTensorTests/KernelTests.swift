import XCTest
@testable import LatticeTensor

/// The C kernels (`Backend+Kernels.swift`) against plain Swift loops doing the same operations one scalar at a
/// time: the same bits for every length (vector bodies and scalar tails), every variant and a gradient scale.
final class KernelTests: XCTestCase {
    static let lengths = [1, 7, 8, 9, 31, 64, 1000, 4099]

    func scalars(_ n: Int, _ low: Float, _ high: Float, seed: UInt64) -> [Float] {
        var rng = RandomGenerator(seed: seed)
        return Tensor.uniform([n], low: low, high: high, using: &rng).scalars
    }

    func testAdamStepMatchesScalarReference() {
        for n in Self.lengths {
            for (scale, shrink, l2) in [(Float(1), Float(1), Float(0)), (0.37, 0.999, 0), (1, 1, 0.01)] {
                var p = scalars(n, -1, 1, seed: 1), m = scalars(n, -0.1, 0.1, seed: 2), v = scalars(n, 0, 0.01, seed: 3)
                let g = scalars(n, -2, 2, seed: 4)
                var rp = p, rm = m, rv = v
                let c = Backend.AdamCoefficients(gradientScale: scale, shrink: shrink, l2: l2, beta1: 0.9, beta2: 0.999,
                                                 stepSize: 1.3e-3, correction2Root: 0.21, epsilon: 1e-8)
                for i in 0..<n {
                    let pi = rp[i] * shrink
                    let gi = g[i] * scale + l2 * pi
                    let mi = 0.9 * rm[i] + (1 - Float(0.9)) * gi
                    let vi = 0.999 * rv[i] + (1 - Float(0.999)) * gi * gi
                    rm[i] = mi
                    rv[i] = vi
                    rp[i] = pi - 1.3e-3 * (mi / (vi.squareRoot() / 0.21 + 1e-8))
                }
                g.withUnsafeBufferPointer { gb in
                    Backend.adamStep(&p, gradients: gb.baseAddress!, firstMoments: &m, secondMoments: &v, count: n, c)
                }
                XCTAssertEqual(p, rp, "n \(n), scale \(scale)")
                XCTAssertEqual(m, rm, "n \(n)")
                XCTAssertEqual(v, rv, "n \(n)")
            }
        }
    }

    func testRMSpropStepMatchesScalarReferenceInEveryVariant() {
        let (a, eps, mu, lr, wd, scale): (Float, Float, Float, Float, Float, Float) = (0.99, 1e-5, 0.9, 7e-4, 0.01, 0.6)
        for n in Self.lengths {
            for centred in [false, true] {
                for momentum in [false, true] {
                    var p = scalars(n, -1, 1, seed: 5), v = scalars(n, 0, 0.01, seed: 6)
                    var mean = scalars(n, -0.2, 0.2, seed: 7), buffer = scalars(n, -0.1, 0.1, seed: 8)
                    let g = scalars(n, -2, 2, seed: 9)
                    var rp = p, rv = v, rmean = mean, rbuffer = buffer
                    for i in 0..<n {
                        let gi = g[i] * scale + wd * rp[i]
                        let vi = a * rv[i] + (1 - a) * gi * gi
                        rv[i] = vi
                        var s: Float
                        if centred {
                            let mi = a * rmean[i] + (1 - a) * gi
                            rmean[i] = mi
                            let variance = vi - mi * mi
                            s = (variance < 0 ? 0 : variance).squareRoot()
                        } else {
                            s = vi.squareRoot()
                        }
                        s += eps
                        if momentum {
                            let bi = mu * rbuffer[i] + gi / s
                            rbuffer[i] = bi
                            rp[i] = rp[i] - lr * bi
                        } else {
                            rp[i] = rp[i] - lr * (gi / s)
                        }
                    }
                    let c = Backend.RMSpropCoefficients(gradientScale: scale, weightDecay: wd, alpha: a, epsilon: eps,
                                                        momentum: mu, learningRate: lr)
                    g.withUnsafeBufferPointer { gb in
                        mean.withUnsafeMutableBufferPointer { mb in
                            buffer.withUnsafeMutableBufferPointer { bb in
                                Backend.rmspropStep(&p, gradients: gb.baseAddress!, meanSquares: &v,
                                                    mean: centred ? mb.baseAddress! : nil,
                                                    momentumBuffer: momentum ? bb.baseAddress! : nil, count: n, c)
                            }
                        }
                    }
                    let label = "n \(n), centred \(centred), momentum \(momentum)"
                    XCTAssertEqual(p, rp, label)
                    XCTAssertEqual(v, rv, label)
                    XCTAssertEqual(mean, rmean, label)
                    XCTAssertEqual(buffer, rbuffer, label)
                }
            }
        }
    }

    func testSumOfSquaresMatchesDoubleSum() {
        for n in [0] + Self.lengths {
            let x = scalars(n, -3, 3, seed: 10)
            let reference = x.reduce(0.0) { $0 + Double($1) * Double($1) }
            let value = x.withUnsafeBufferPointer { Backend.sumOfSquares($0.baseAddress!, count: n) }
            XCTAssertEqual(value, reference, accuracy: 1e-12 * max(1, reference), "n \(n)")
        }
        // Exact on integers: 1² + 2² + … + 9² = 285.
        XCTAssertEqual([Float](stride(from: 1, through: 9, by: 1)).withUnsafeBufferPointer {
            Backend.sumOfSquares($0.baseAddress!, count: 9)
        }, 285)
    }
}
