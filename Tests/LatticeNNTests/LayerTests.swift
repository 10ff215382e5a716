import XCTest
import LatticeTensor
@testable import LatticeNN

/// Central differences of L = Σ layer(x)⊙R with respect to every parameter and the input.
func checkLayerGradients(_ layer: any Layer, input: Tensor, tolerance: Double = 2e-2,
                         file: StaticString = #filePath, line: UInt = #line) {
    var rng = RandomGenerator(seed: 5)
    let params = layer.parameters
    let x = input.trackingGradients()
    let out = layer(x)
    let r = Tensor.uniform(out.shape, low: -1, high: 1, using: &rng)
    let grads = gradients(of: (out * r).sum(), wrt: [x] + params.map { $0.value })
    func loss(_ input: Tensor) -> Double {
        let y = withoutGradients { layer(input) }
        return zip(y.scalars, r.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    let h: Float = 1e-2
    func compare(_ analytic: Float, _ numeric: Double, _ what: String) -> Bool {
        let scale = max(1, abs(numeric))
        if abs(Double(analytic) - numeric) / scale > tolerance {
            XCTFail("\(what): analytic \(analytic) vs numeric \(numeric)", file: file, line: line)
            return false
        }
        return true
    }
    for i in 0..<input.scalarCount {
        var p = input, m = input
        p.withUnsafeMutableBufferPointer { $0[i] += h }
        m.withUnsafeMutableBufferPointer { $0[i] -= h }
        if !compare(grads[0].scalars[i], (loss(p) - loss(m)) / Double(2 * h), "input \(i)") { return }
    }
    for (j, param) in params.enumerated() {
        let original = param.value.detached
        for i in 0..<original.scalarCount {
            var p = original, m = original
            p.withUnsafeMutableBufferPointer { $0[i] += h }
            m.withUnsafeMutableBufferPointer { $0[i] -= h }
            param.assign(p); let lp = loss(input)
            param.assign(m); let lm = loss(input)
            param.assign(original)
            if !compare(grads[j + 1].scalars[i], (lp - lm) / Double(2 * h), "parameter \(j) scalar \(i)") { return }
        }
    }
}

final class LayerTests: XCTestCase {
    func testDenseConvAndTransposedGradients() {
        var rng = RandomGenerator(seed: 1)
        checkLayerGradients(Dense(inputs: 5, outputs: 3, rng: &rng), input: .uniform([4, 5], low: -1, high: 1, using: &rng))
        checkLayerGradients(Conv2D(channels: 2, filters: 3, kernel: (3, 3), options: .init(stride: 2, padding: 1), rng: &rng),
                            input: .uniform([2, 2, 5, 5], low: -1, high: 1, using: &rng))
        checkLayerGradients(ConvTranspose2D(channels: 2, filters: 2, kernel: (4, 4), options: .init(stride: 2, padding: 1), rng: &rng),
                            input: .uniform([2, 2, 3, 3], low: -1, high: 1, using: &rng))
        let seq = Sequential([Conv2D(channels: 1, filters: 2, kernel: (3, 3), rng: &rng), Activation(.tanh), Flatten(),
                              Dense(inputs: 2 * 4 * 4, outputs: 2, rng: &rng)])
        checkLayerGradients(seq, input: .uniform([2, 1, 6, 6], low: -1, high: 1, using: &rng))
        XCTAssertEqual(seq.namedParameters().map { $0.0 }, ["0.weight", "0.bias", "3.weight", "3.bias"])
    }

    func testBatchNormGradientsAndStatistics() {
        var rng = RandomGenerator(seed: 2)
        let bn = BatchNorm2D(channels: 2)
        bn.scale.assign(Tensor([1.5, 0.5])); bn.offset.assign(Tensor([0.1, -0.2]))
        checkLayerGradients(bn, input: .uniform([3, 2, 2, 2], low: -1, high: 2, using: &rng), tolerance: 3e-2)

        // Statistics by hand: channel 0 holds 1, 2, 3, 4 (mean 2.5, biased var 1.25, unbiased 5/3).
        let fresh = BatchNorm2D(channels: 1, momentum: 0.1)
        let x = Tensor(shape: [4, 1, 1, 1], scalars: [1, 2, 3, 4])
        let y = fresh(x)
        let inv = 1 / (1.25 + 1e-5).squareRoot()
        for (got, v) in zip(y.scalars, [1, 2, 3, 4] as [Float]) { XCTAssertEqual(got, (v - 2.5) * Float(inv), accuracy: 1e-5) }
        XCTAssertEqual(fresh.runningMean.value.scalar, 0.25, accuracy: 1e-6)
        XCTAssertEqual(fresh.runningVariance.value.scalar, 0.9 + 0.1 * 5.0 / 3.0, accuracy: 1e-6)
        fresh.setTraining(false)
        let e = fresh(Tensor(shape: [1, 1, 1, 1], scalars: [2]))
        XCTAssertEqual(e.scalar, (2 - 0.25) / (0.9 + 0.5 / 3 + 1e-5).squareRoot(), accuracy: 1e-5)
        XCTAssertEqual(fresh.namedBuffers().map { $0.0 }, ["runningMean", "runningVariance"])
    }

    /// Sequential runs BatchNorm + ReLU / leaky ReLU as one fused op in training mode: the same output,
    /// gradients and running statistics as the two layers one after the other (a capture of the BatchNorm
    /// output turns the fusion off); in evaluation mode it is not fused.
    func testSequentialFusesBatchNormWithTheFollowingActivation() {
        for activation in [Activation.Kind.relu, .leakyReLU(slope: 0.2), .tanh] {
            var rng = RandomGenerator(seed: 5)
            let x = Tensor.uniform([4, 3, 5, 5], low: -2, high: 2, using: &rng)
            func model() -> Sequential { Sequential([BatchNorm2D(channels: 3), Activation(activation)]) }
            let fused = model(), separate = model()
            fused.namedParameters().forEach { $0.1.assign(Tensor.uniform($0.1.shape, low: 0.5, high: 1.5, using: &rng)) }
            separate.namedParameters().enumerated().forEach { i, p in p.1.assign(fused.namedParameters()[i].1.value) }
            let a = fused(x), b = separate(x, capturing: 0).output
            XCTAssertEqual(a, b, "\(activation)")
            let weights = Tensor.uniform(a.shape, low: -1, high: 1, using: &rng)
            let ga = gradients(of: (fused(x) * weights).sum(), wrt: fused.parameters.map(\.value))
            let gb = gradients(of: (separate(x, capturing: 0).output * weights).sum(), wrt: separate.parameters.map(\.value))
            for (u, v) in zip(ga, gb) { for (p, q) in zip(u.scalars, v.scalars) { XCTAssertEqual(p, q, accuracy: 1e-4, "\(activation)") } }
            XCTAssertEqual(fused.namedBuffers().map { $0.1.value }, separate.namedBuffers().map { $0.1.value })
        }
    }

    func testShapeInferenceErrorsNameLayerAndShape() throws {
        var rng = RandomGenerator(seed: 3)
        let conv = Conv2D(channels: 4, filters: 16, kernel: (3, 3), rng: &rng)
        XCTAssertEqual(try conv.outputShape(for: [1, 4, 10, 10]), [1, 16, 8, 8])
        XCTAssertThrowsError(try conv.outputShape(for: [1, 3, 10, 10])) { e in
            XCTAssertEqual((e as? ShapeError)?.description,
                           "conv2d: input shape [1, 3, 10, 10] does not fit: has 3 channels but the filter [16, 4, 3, 3] expects 4")
        }
        let dense = Dense(inputs: 1024, outputs: 128, rng: &rng)
        XCTAssertThrowsError(try dense.outputShape(for: [1, 16, 8, 8]))
        XCTAssertEqual(try Sequential([conv, Flatten(), dense]).outputShape(for: [7, 4, 10, 10]), [7, 128])
        XCTAssertEqual(try Pooling2D(.max(kernel: 2, stride: 2, padding: 0)).outputShape(for: [1, 3, 9, 9]), [1, 3, 4, 4])
        XCTAssertEqual(try Reshape([64, 4, 4]).outputShape(for: [2, 1024]), [2, 64, 4, 4])
    }

    func testLossesMatchHandValues() {
        let logits = Tensor(shape: [2, 3], scalars: [1, 2, 3, 0, 0, 0])
        // −log softmax: row 0 label 2 → log(e¹+e²+e³) − 3 = 0.40760596; row 1 label 0 → log 3.
        let ce = Loss.softmaxCrossEntropy(logits: logits, labels: [2, 0]).scalar
        XCTAssertEqual(ce, (0.40760596 + 1.0986123) / 2, accuracy: 1e-5)
        let onehot = Tensor.oneHot([2, 0], depth: 3)
        XCTAssertEqual(Loss.softmaxCrossEntropy(logits: logits, probabilities: onehot).scalar, ce, accuracy: 1e-6)
        // BCE with logits: z = 0 → log 2 whatever the label; z = 100, y = 0 → 100; z = −100, y = 0 → ≈ 0.
        let bce = Loss.sigmoidCrossEntropy(logits: Tensor([0, 100, -100]), labels: Tensor([1, 0, 0])).scalar
        XCTAssertEqual(bce, (0.6931472 + 100) / 3, accuracy: 1e-4)
        XCTAssertEqual(Loss.meanSquaredError(Tensor([1, 2]), Tensor([0, 4])).scalar, 2.5)
        checkLayerGradientsOfLoss()
    }

    func checkLayerGradientsOfLoss() {
        var rng = RandomGenerator(seed: 4)
        let z = Tensor.uniform([3, 4], low: -3, high: 3, using: &rng).trackingGradients()
        let g = gradients(of: Loss.softmaxCrossEntropy(logits: z, labels: [0, 3, 1]), wrt: [z])[0]
        // d/dz = (softmax − onehot)/N
        let expected = (z.detached.softmax() - Tensor.oneHot([0, 3, 1], depth: 4)) / 3
        for (a, b) in zip(g.scalars, expected.scalars) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        let y = Tensor.bernoulli([3, 4], probability: 0.5, using: &rng)
        let gb = gradients(of: Loss.sigmoidCrossEntropy(logits: z, labels: y), wrt: [z])[0]
        let eb = (sigmoid(z.detached) - y) / 12
        for (a, b) in zip(gb.scalars, eb.scalars) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    }
}
