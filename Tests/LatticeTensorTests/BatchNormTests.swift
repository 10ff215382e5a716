import XCTest
@testable import LatticeTensor

/// The fused batch-normalisation op against the composed reference and finite differences.
final class BatchNormTests: XCTestCase {
    /// The composed form: (x − μ)/√(σ² + ε)·γ + β with biased batch statistics.
    func reference(_ x: Tensor, _ gamma: Tensor, _ beta: Tensor, epsilon: Float) -> Tensor {
        let axes = x.rank == 4 ? [0, 2, 3] : [0]
        let stat = x.rank == 4 ? [1, x.shape[1], 1, 1] : [1, x.shape[1]]
        let mean = x.mean(alongAxes: axes, keepingDims: true)
        let centred = x - mean
        let variance = (centred * centred).mean(alongAxes: axes, keepingDims: true)
        return centred / sqrt(variance + epsilon) * gamma.reshaped(stat) + beta.reshaped(stat)
    }

    func testMatchesTheComposedFormAndItsStatistics() {
        for shape in [[3, 4, 5, 2], [6, 3]] {
            let x = randomTensor(shape, seed: 1, low: -2, high: 3)
            let gamma = randomTensor([shape[1]], seed: 2, low: 0.5, high: 1.5), beta = randomTensor([shape[1]], seed: 3)
            let (y, mean, variance) = batchNormalized(x, scale: gamma, offset: beta, epsilon: 1e-5)
            assertClose(y, reference(x, gamma, beta, epsilon: 1e-5), tolerance: 1e-5)
            let axes = shape.count == 4 ? [0, 2, 3] : [0]
            assertClose(Tensor(mean), x.mean(alongAxes: axes), tolerance: 1e-6)
            let centred = x - x.mean(alongAxes: axes, keepingDims: true)
            assertClose(Tensor(variance), (centred * centred).mean(alongAxes: axes), tolerance: 1e-6)
        }
    }

    func testGradientsMatchFiniteDifferences() {
        let x = randomTensor([3, 2, 3, 2], seed: 4, low: -2, high: 2)
        checkGradients([x, randomTensor([2], seed: 5, low: 0.5, high: 1.5), randomTensor([2], seed: 6)], step: 1e-2, tolerance: 3e-2) {
            batchNormalized($0[0], scale: $0[1], offset: $0[2], epsilon: 1e-3).output
        }
        checkGradients([randomTensor([5, 3], seed: 7, low: -2, high: 2), randomTensor([3], seed: 8), randomTensor([3], seed: 9)],
                       step: 1e-2, tolerance: 3e-2) {
            batchNormalized($0[0], scale: $0[1], offset: $0[2], epsilon: 1e-3).output
        }
    }

    func testGradientsMatchTheComposedForm() {
        let x = randomTensor([4, 3, 4, 4], seed: 10, low: -1, high: 2).trackingGradients()
        let gamma = randomTensor([3], seed: 11, low: 0.5, high: 1.5).trackingGradients()
        let beta = randomTensor([3], seed: 12).trackingGradients()
        let weights = randomTensor([4, 3, 4, 4], seed: 13)
        let fused = gradients(of: (batchNormalized(x, scale: gamma, offset: beta, epsilon: 1e-5).output * weights).sum(), wrt: [x, gamma, beta])
        let composed = gradients(of: (reference(x, gamma, beta, epsilon: 1e-5) * weights).sum(), wrt: [x, gamma, beta])
        for (a, b) in zip(fused, composed) { assertClose(a, b, tolerance: 1e-4) }
    }

    /// With `activationSlope`, the fused op gives the values and gradients of the activation after the plain op
    /// (odd sizes, so the SIMD tails run too).
    func testFusedActivationEqualsTheActivationAfterwards() {
        for (shape, slope) in [([4, 3, 5, 7], Float(0.2)), ([4, 3, 5, 7], 0), ([9, 5], 0.01), ([2, 2, 8, 8], 0.2)] {
            let seed = UInt64(shape.reduce(0, +)) &* 31 &+ UInt64(slope * 100)
            let x = randomTensor(shape, seed: seed, low: -2, high: 2).trackingGradients()
            let gamma = randomTensor([shape[1]], seed: seed + 1, low: 0.5, high: 1.5).trackingGradients()
            let beta = randomTensor([shape[1]], seed: seed + 2).trackingGradients()
            let plain = batchNormalized(x, scale: gamma, offset: beta, epsilon: 1e-5).output
            let afterwards = slope == 0 ? relu(plain) : leakyReLU(plain, slope: slope)
            let fused = batchNormalized(x, scale: gamma, offset: beta, epsilon: 1e-5, activationSlope: slope).output
            XCTAssertEqual(fused, afterwards, "shape \(shape), slope \(slope)")
            let weights = randomTensor(shape, seed: seed + 3)
            let expected = gradients(of: (afterwards * weights).sum(), wrt: [x, gamma, beta])
            for (a, b) in zip(gradients(of: (fused * weights).sum(), wrt: [x, gamma, beta]), expected) {
                assertClose(a, b, tolerance: 1e-5)
            }
        }
    }

    func testFusedActivationGradientsMatchFiniteDifferences() {
        for slope: Float in [0.2, 0] {
            checkGradients([randomTensor([3, 2, 3, 2], seed: 20, low: -2, high: 2), randomTensor([2], seed: 21, low: 0.5, high: 1.5),
                            randomTensor([2], seed: 22)], step: 1e-3, tolerance: 3e-2) {
                batchNormalized($0[0], scale: $0[1], offset: $0[2], epsilon: 1e-3, activationSlope: slope).output
            }
        }
    }
}
