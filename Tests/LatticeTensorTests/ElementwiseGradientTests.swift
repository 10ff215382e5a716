import XCTest
@testable import LatticeTensor

final class ElementwiseGradientTests: XCTestCase {
    func testBroadcastingArithmetic() {
        let a = randomTensor([2, 3, 4], seed: 1), b = randomTensor([3, 1], seed: 2)
        let c = randomTensor([4], seed: 3, low: 0.5, high: 2)
        checkGradients([a, b]) { $0[0] + $0[1] }
        checkGradients([a, b]) { $0[0] - $0[1] }
        checkGradients([a, b]) { $0[0] * $0[1] }
        checkGradients([a, c]) { $0[0] / $0[1] }
        checkGradients([b, a]) { $0[0] * $0[1] }
        checkGradients([a]) { -$0[0] * 2 + 3 - (1 - $0[0]) / 4 }
        checkGradients([c]) { 2 / $0[0] }
    }

    func testBroadcastForward() {
        let a = Tensor(shape: [2, 1], scalars: [1, 2]), b = Tensor(shape: [3], scalars: [10, 20, 30])
        XCTAssertEqual((a + b).scalars, [11, 21, 31, 12, 22, 32])
        XCTAssertEqual((a * b).shape, [2, 3])
    }

    func testUnaryMaths() {
        let x = randomTensor([3, 4], seed: 4)
        let positive = randomTensor([3, 4], seed: 5, low: 0.5, high: 2)
        let off = awayFromZero([3, 4], seed: 6)
        checkGradients([x]) { exp($0[0]) }
        checkGradients([positive]) { log($0[0]) }
        checkGradients([positive]) { sqrt($0[0]) }
        checkGradients([positive]) { pow($0[0], 2.5) }
        checkGradients([off]) { abs($0[0]) }
        checkGradients([x]) { tanh($0[0]) }
        checkGradients([x * 4]) { sigmoid($0[0]) }
        checkGradients([off]) { relu($0[0]) }
        checkGradients([off]) { leakyReLU($0[0], slope: 0.2) }
        checkGradients([x * 3]) { softplus($0[0]) }
        checkGradients([off]) { clamp($0[0], min: -0.5, max: 0.5) }
    }

    func testPowTensor() {
        let base = randomTensor([2, 3], seed: 7, low: 0.5, high: 2), ex = randomTensor([3], seed: 8)
        checkGradients([base, ex]) { pow($0[0], $0[1]) }
    }

    func testMinMaxSelect() {
        let a = randomTensor([3, 4], seed: 9), b = randomTensor([3, 4], seed: 10)
        checkGradients([a, b]) { maximum($0[0], $0[1]) }
        checkGradients([a, b]) { minimum($0[0], $0[1]) }
        let cond = Tensor(shape: [3, 1], scalars: [1, 0, 1])
        checkGradients([a, b]) { select(cond, $0[0], $0[1]) }
        XCTAssertEqual(select(cond, a, b)[1, 2], b[1, 2])
        XCTAssertEqual(select(cond, a, b)[0, 3], a[0, 3])
    }

    func testStableSigmoidAndSoftplusForLargeInputs() {
        let x = Tensor([-100, -20, 0, 20, 100])
        let s = sigmoid(x).scalars
        XCTAssertEqual(s[0], 0, accuracy: 1e-30)
        XCTAssertEqual(s[2], 0.5)
        XCTAssertEqual(s[4], 1)
        let sp = softplus(x).scalars
        XCTAssertEqual(sp[4], 100, accuracy: 1e-4)
        XCTAssertEqual(sp[0], 0, accuracy: 1e-30)
        XCTAssertFalse(sp.contains { !$0.isFinite })
    }
}
