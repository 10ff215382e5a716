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

    func testClipFactor() {
        XCTAssertEqual(clipFactor(norm: 13, maxNorm: 1), 1 / (13 + 1e-6))
        XCTAssertEqual(clipFactor(norm: 0.5, maxNorm: 1), 1)
        XCTAssertEqual(clipFactor(norm: .nan, maxNorm: 1), 1)
        XCTAssertEqual(clipFactor(norm: .infinity, maxNorm: 1), 1)
    }

    /// Each optimizer stepping along the gradients with `scaledBy: clipFactor` lands on the same bits as
    /// stepping along `clipGradients`' copies (the trainers do the former).
    func testSteppingWithTheClipFactorEqualsSteppingAlongClippedCopies() {
        var rng = RandomGenerator(seed: 3)
        let shapes = [[70_000], [5, 3], [1]]   // one tensor large enough to be cut into one range per core
        let start = shapes.map { Tensor.uniform($0, low: -1, high: 1, using: &rng) }
        let grads = shapes.map { Tensor.uniform($0, low: -4, high: 4, using: &rng) }
        let makers: [() -> any Optimizer] = [
            { Adam(learningRate: 1e-3, epsilon: 1e-5, weightDecay: 0.01) },
            { RMSprop(learningRate: 7e-4, alpha: 0.99, epsilon: 1e-5, momentum: 0.9, centered: true) },
            { SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 1e-4) },
        ]
        for make in makers {
            let viaCopies = start.map { Parameter($0) }, viaFactor = start.map { Parameter($0) }
            let a = make(), b = make()
            for _ in 0..<3 {
                let (clipped, norm) = grads.clipGradients(byGlobalNorm: 0.5)
                a.update(viaCopies, along: clipped)
                b.update(viaFactor, along: grads, scaledBy: clipFactor(norm: norm, maxNorm: 0.5))
            }
            for (x, y) in zip(viaCopies, viaFactor) { XCTAssertEqual(x.value.scalars, y.value.scalars, "\(type(of: a))") }
        }
    }
}
