import XCTest
import Foundation
import LatticeRL
import LatticeTensor
@testable import A2C
@testable import PPO

/// The PPO and A2C loss terms on a two-transition batch worked by hand.
final class PPOLossTests: XCTestCase {
    /// logits row 0 = [0, 0] (π = [.5, .5]), row 1 = [ln 3, 0] (π = [.75, .25]); actions [0, 1], so
    /// log π = [ln .5, ln .25]; old log π = [ln .45, ln .5] → ratios r = [1.1111, 0.5].
    /// Advantages [1, −2], values V = [1, 2], old values [0.5, 2.5], returns [2, 1], ε = 0.2.
    func makeBatch() -> (logits: Tensor, values: Tensor, batch: RolloutBuffer.Minibatch) {
        let logits = Tensor(shape: [2, 2], scalars: [0, 0, Float(log(3.0)), 0])
        let batch = RolloutBuffer.Minibatch(
            indices: [0, 1], observations: Tensor(zeros: [2, 1]), actions: [0, 1],
            oldLogProbabilities: Tensor([Float(log(0.45)), Float(log(0.5))]), advantages: Tensor([1, -2]),
            returns: Tensor([2, 1]), oldValues: Tensor([0.5, 2.5]))
        return (logits, Tensor([1, 2]), batch)
    }

    func testHandWorkedTermsWithoutAdvantageNormalisation() {
        let (logits, values, batch) = makeBatch()
        let loss = PPOLoss(logits: logits, values: values, batch: batch, clipEpsilon: 0.2, clipValueLoss: true,
                           normalizeAdvantages: false, entropyCoefficient: 0.01, valueCoefficient: 0.5)
        // Surrogate: row 0 −1·1.1111 (clamp leaves it) = −1.1111; row 1 max(2·0.5, 2·0.8) = 1.6 → mean 0.244444.
        XCTAssertEqual(loss.policy, 0.244444, accuracy: 1e-5)
        // Value: unclipped (V − R)² = [1, 1]; clipped V = [0.7, 2.3] → [1.69, 1.69]; ½·mean(max) = 0.845.
        XCTAssertEqual(loss.value, 0.845, accuracy: 1e-5)
        // Entropy: ln 2 = 0.693147 and −(.75 ln .75 + .25 ln .25) = 0.562335 → 0.627741.
        XCTAssertEqual(loss.entropy, 0.627741, accuracy: 1e-5)
        XCTAssertEqual(loss.total.scalar, 0.244444 - 0.01 * 0.627741 + 0.5 * 0.845, accuracy: 1e-5)
        // KL k3: (0.1111 − ln 1.1111) = 0.005750 and (−0.5 − ln 0.5) = 0.193147 → 0.099449.
        XCTAssertEqual(loss.approxKL, 0.0994485, accuracy: 1e-5)
        XCTAssertEqual(loss.clipFraction, 0.5)
    }

    func testHandWorkedSurrogateWithNormalisedAdvantages() {
        // Normalised advantages: mean −0.5, std (Bessel) √4.5 → [0.707107, −0.707107].
        // Row 0: −0.707107·1.1111 = −0.785674; row 1: max(0.707107·0.5, 0.707107·0.8) = 0.565685 → −0.109994.
        let (logits, values, batch) = makeBatch()
        let loss = PPOLoss(logits: logits, values: values, batch: batch, clipEpsilon: 0.2, clipValueLoss: false,
                           normalizeAdvantages: true, entropyCoefficient: 0, valueCoefficient: 1)
        XCTAssertEqual(loss.policy, -0.109994, accuracy: 1e-5)
        // Unclipped value loss: ½·mean([1, 1]) = 0.5.
        XCTAssertEqual(loss.value, 0.5, accuracy: 1e-6)
        XCTAssertEqual(PPOLoss.normalized(Tensor([1, -2])).scalars, [0.70710677, -0.70710677])
    }

    func testA2CLossByHand() {
        // policy = −mean(A·log π(a)) = −(1·ln .5 + (−2)·ln .25)/2 = −(−0.693147 + 2.772589)/2 = −1.039721;
        // value = mean((R − V)²) = 1; total = policy − 0.01·H + 0.5·1.
        let (logits, values, batch) = makeBatch()
        let loss = A2CTrainer.loss(logits: logits, values: values, batch: batch, normalizeAdvantages: false,
                                   entropyCoefficient: 0.01, valueCoefficient: 0.5)
        XCTAssertEqual(loss.policy, -1.039721, accuracy: 1e-5)
        XCTAssertEqual(loss.value, 1, accuracy: 1e-6)
        XCTAssertEqual(loss.total.scalar, -1.039721 - 0.01 * 0.627741 + 0.5, accuracy: 1e-5)
    }

    /// The gradient of the total PPO loss with respect to the logits and values matches central differences.
    func testPPOLossGradientMatchesFiniteDifferences() {
        let (logits0, values0, batch) = makeBatch()
        func total(_ logits: Tensor, _ values: Tensor) -> Tensor {
            PPOLoss(logits: logits, values: values, batch: batch, clipEpsilon: 0.2, clipValueLoss: true,
                    normalizeAdvantages: true, entropyCoefficient: 0.01, valueCoefficient: 0.5).total
        }
        let l = logits0.trackingGradients(), v = values0.trackingGradients()
        let g = gradients(of: total(l, v), wrt: [l, v])
        let h: Float = 1e-3
        for (k, base) in [logits0, values0].enumerated() {
            for i in 0..<base.scalarCount {
                var plus = base.scalars, minus = base.scalars
                plus[i] += h; minus[i] -= h
                let p = Tensor(shape: base.shape, scalars: plus), m = Tensor(shape: base.shape, scalars: minus)
                let fPlus = k == 0 ? total(p, values0) : total(logits0, p)
                let fMinus = k == 0 ? total(m, values0) : total(logits0, m)
                let numeric = (fPlus.scalar - fMinus.scalar) / (2 * h)
                XCTAssertEqual(g[k].scalars[i], numeric, accuracy: 2e-3, "input \(k) element \(i)")
            }
        }
    }

    /// The step-size schedule: CleanRL's linear annealing, gymnax-blines' warm-up then constant, and both.
    func testLearningRateWarmupAndAnnealing() {
        var c = PPOConfig()
        c.learningRate = 1e-3
        XCTAssertEqual(c.learningRate(atProgress: 0), 1e-3)
        XCTAssertEqual(c.learningRate(atProgress: 0.75), 2.5e-4, accuracy: 1e-9)
        c.annealLearningRate = false
        c.learningRateWarmup = 0.05
        XCTAssertEqual(c.learningRate(atProgress: 0.025), 5e-4, accuracy: 1e-9)
        XCTAssertEqual(c.learningRate(atProgress: 0.05), 1e-3)
        XCTAssertEqual(c.learningRate(atProgress: 0.9), 1e-3)
        c.annealLearningRate = true
        XCTAssertEqual(c.learningRate(atProgress: 0.5), 5e-4, accuracy: 1e-9)
        XCTAssertEqual(c.learningRate(atProgress: 0.01), 1e-3 * 0.2 * 0.99, accuracy: 1e-9)
    }
}
