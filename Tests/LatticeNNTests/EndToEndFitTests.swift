import XCTest
import LatticeTensor
@testable import LatticeNN

/// Small end-to-end fits with plain gradient descent written in the test (the optimizers have their
/// own golden tests): they fail if any forward op or VJP on the path is wrong.
final class EndToEndFitTests: XCTestCase {
    func sgdStep(_ params: [Parameter], _ grads: [Tensor], rate: Float) {
        for (p, g) in zip(params, grads) {
            g.withUnsafeBufferPointer { gp in p.update { v in for i in v.indices { v[i] -= rate * gp[i] } } }
        }
    }

    func fitXOR(seed: UInt64) -> (loss: Float, predictions: [Float]) {
        var rng = RandomGenerator(seed: seed)
        let model = Sequential([Dense(inputs: 2, outputs: 8, rng: &rng), Activation(.tanh), Dense(inputs: 8, outputs: 1, rng: &rng)])
        let x = Tensor(shape: [4, 2], scalars: [0, 0, 0, 1, 1, 0, 1, 1])
        let y = Tensor(shape: [4, 1], scalars: [0, 1, 1, 0])
        var last: Float = 0
        for _ in 0..<2000 {
            let loss = Loss.sigmoidCrossEntropy(logits: model(x), labels: y)
            sgdStep(model.parameters, gradients(of: loss, wrt: model.parameters.map { $0.value }), rate: 0.5)
            last = loss.scalar
        }
        return (last, withoutGradients { sigmoid(model(x)) }.scalars)
    }

    func testMLPLearnsXORDeterministically() {
        let a = fitXOR(seed: 11), b = fitXOR(seed: 11)
        XCTAssertEqual(a.predictions, b.predictions, "same seed, same numbers")
        XCTAssertLessThan(a.loss, 0.05)
        for (p, t) in zip(a.predictions, [0, 1, 1, 0] as [Float]) { XCTAssertEqual(p, t, accuracy: 0.2) }
    }

    /// A synthetic image task: is the single bright pixel of an 8×8 image in the left or right half?
    func fitCNN(seed: UInt64) -> Float {
        var rng = RandomGenerator(seed: seed)
        func batch(_ n: Int) -> (Tensor, [Int]) {
            var labels: [Int] = []
            let x = Tensor(shape: [n, 1, 8, 8]) { p in
                p.initialize(repeating: 0)
                for i in 0..<n {
                    let r = rng.nextInt(below: 8), c = rng.nextInt(below: 8)
                    p[i * 64 + r * 8 + c] = 1
                    labels.append(c < 4 ? 0 : 1)
                }
            }
            return (x, labels)
        }
        let model = Sequential([
            Conv2D(channels: 1, filters: 4, kernel: (3, 3), options: .init(padding: 1), rng: &rng), Activation(.relu),
            Pooling2D(.max(kernel: 2, stride: 2, padding: 0)), Flatten(), Dense(inputs: 64, outputs: 2, rng: &rng),
        ])
        for _ in 0..<300 {
            let (x, labels) = batch(32)
            let loss = Loss.softmaxCrossEntropy(logits: model(x), labels: labels)
            sgdStep(model.parameters, gradients(of: loss, wrt: model.parameters.map { $0.value }), rate: 0.3)
        }
        let (x, labels) = batch(500)
        let predicted = withoutGradients { model(x) }.argmax(alongAxis: 1).scalars
        return Float(zip(predicted, labels).filter { Int($0) == $1 }.count) / 500
    }

    func testSmallCNNReachesAccuracyDeterministically() {
        let a = fitCNN(seed: 3), b = fitCNN(seed: 3)
        XCTAssertEqual(a, b)
        XCTAssertGreaterThanOrEqual(a, 0.95)
    }
}
