import XCTest
import LatticeTensor
@testable import LatticeNN

/// Global-norm clipping as PyTorch's clip_grad_norm_.
final class ClippingTests: XCTestCase {
    func testGlobalNormOfSeveralTensors() {
        // ‖(3, 4)‖ and ‖(12)‖: √(9 + 16 + 144) = 13.
        XCTAssertEqual([Tensor([3, 4]), Tensor(shape: [1, 1], scalars: [12])].globalNorm, 13)
    }

    func testClipsWhenAboveMaximum() {
        let grads = [Tensor([3, 4]), Tensor(shape: [1, 1], scalars: [12])]
        let (clipped, norm) = grads.clipGradients(byGlobalNorm: 1)
        XCTAssertEqual(norm, 13)
        // scale = 1/(13 + 1e-6)
        let scale: Float = 1 / (13 + 1e-6)
        XCTAssertEqual(clipped[0].scalars, [3 * scale, 4 * scale])
        XCTAssertEqual(clipped[1].shape, [1, 1])
        XCTAssertEqual(clipped[1].scalars[0], 12 * scale)
        XCTAssertEqual(clipped.globalNorm, 1, accuracy: 1e-6)
    }

    func testLeavesGradientsBelowMaximumUnchanged() {
        let grads = [Tensor([0.3, 0.4])]
        let (clipped, norm) = grads.clipGradients(byGlobalNorm: 1)
        XCTAssertEqual(norm, 0.5, accuracy: 1e-7)
        XCTAssertEqual(clipped, grads)
    }

    func testExactlyAtMaximumIsScaledByTheEpsilonFactor() {
        // n = 5, maxNorm = 5: scale = 5/(5 + 1e-6) < 1, so PyTorch scales (by a hair).
        let (clipped, norm) = [Tensor([3, 4])].clipGradients(byGlobalNorm: 5)
        XCTAssertEqual(norm, 5)
        XCTAssertLessThanOrEqual(clipped[0].scalars[1], 4)
        XCTAssertEqual(clipped[0].scalars[1], 4, accuracy: 1e-5)
    }

    func testNonFiniteNormIsReportedAndGradientsKept() {
        let grads = [Tensor([.nan, 1])]
        let (clipped, norm) = grads.clipGradients(byGlobalNorm: 1)
        XCTAssertTrue(norm.isNaN)
        XCTAssertEqual(clipped[0].scalars[1], 1)
    }

    func testEmptyListHasZeroNorm() {
        let (clipped, norm) = [Tensor]().clipGradients(byGlobalNorm: 1)
        XCTAssertEqual(norm, 0)
        XCTAssertTrue(clipped.isEmpty)
    }
}
