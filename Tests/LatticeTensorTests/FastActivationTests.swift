import Foundation
import XCTest
@testable import LatticeTensor

/// The SIMD `tanh` and `leakyReLU` (`Tensor+FastActivations.swift`): values against libm and the scalar
/// definition over the whole range, lengths that are not multiples of eight, and finite-difference VJPs.
final class FastActivationTests: XCTestCase {
    func testTanhMatchesLibm() {
        // Dense over [−12, 12] plus tiny, boundary (±0.5) and huge values.
        var values = (0..<48001).map { Float($0 - 24000) / 2000 }
        values += [0, -0, 1e-30, -1e-7, 3e-4, 0.4999999, 0.5, 0.5000001, -0.5, 8.99, 9, 9.01, 50, -1e6, .infinity, -.infinity]
        let y = tanh(Tensor(values))
        var worst: Float = 0
        for (x, v) in zip(values, y.scalars) {
            let reference = Foundation.tanh(x)
            let error = Swift.abs(v - reference) / Swift.max(Swift.abs(reference), Float.leastNormalMagnitude)
            worst = Swift.max(worst, error)
            XCTAssertLessThanOrEqual(error, 4 * Float.ulpOfOne, "tanh(\(x)) = \(v), libm \(reference)")
        }
        XCTAssertLessThan(worst, 4 * Float.ulpOfOne)
        XCTAssertTrue(tanh(Tensor([1, .nan, -2, 0.1])).scalars[1].isNaN)
    }

    func testLeakyReLUMatchesDefinition() {
        let x = randomTensor([3, 7, 5], seed: 800, low: -3, high: 3)
        let y = leakyReLU(x, slope: 0.2)
        for (a, b) in zip(x.scalars, y.scalars) { XCTAssertEqual(b, a > 0 ? a : 0.2 * a) }
    }

    func testGradients() {
        checkGradients([randomTensor([3, 7], seed: 801, low: -2, high: 2)]) { tanh($0[0]) }
        checkGradients([awayFromZero([5, 5], seed: 802)]) { leakyReLU($0[0], slope: 0.2) }
    }
}
