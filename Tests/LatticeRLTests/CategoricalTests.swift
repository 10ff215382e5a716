import XCTest
import Foundation
import LatticeTensor
@testable import LatticeRL

final class CategoricalTests: XCTestCase {
    /// Row 0: logits [0, ln 2, ln 3] ⇒ p = [1/6, 2/6, 3/6]. Row 1: [5, 5, 5] ⇒ uniform.
    let handLogits = Tensor(shape: [2, 3], scalars: [0, Float(log(2.0)), Float(log(3.0)), 5, 5, 5])

    func testProbabilitiesAndLogProbabilitiesByHand() {
        let d = Categorical(logits: handLogits)
        let p = d.probabilities.scalars
        let expected: [Float] = [1.0 / 6, 2.0 / 6, 3.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 3]
        for (a, b) in zip(p, expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        let lp = d.logProbability(of: [2, 0]).scalars
        XCTAssertEqual(d.logProbability(of: [2, 0]).shape, [2])
        XCTAssertEqual(lp[0], Float(log(0.5)), accuracy: 1e-6)          // log 3/6
        XCTAssertEqual(lp[1], Float(-log(3.0)), accuracy: 1e-6)         // log 1/3
        XCTAssertEqual(d.logProbability(of: [0, 1]).scalars[0], Float(-log(6.0)), accuracy: 1e-6)
    }

    func testEntropyByHand() {
        // H = (1/6)·ln 6 + (2/6)·ln 3 + (3/6)·ln 2 = 1.011404…; uniform over 3 ⇒ ln 3 = 1.098612…
        let h = Categorical(logits: handLogits).entropy()
        XCTAssertEqual(h.shape, [2])
        XCTAssertEqual(Double(h.scalars[0]), log(6.0) / 6 + log(3.0) / 3 + log(2.0) / 2, accuracy: 1e-6)
        XCTAssertEqual(Double(h.scalars[1]), log(3.0), accuracy: 1e-6)
    }

    func testEntropyStableForVeryNegativeLogits() {
        // Two equal logits and one at −1e30: p = [½, ½, 0] ⇒ H = ln 2, and the gradient stays finite.
        let logits = Tensor(shape: [1, 3], scalars: [0, 0, -1e30]).trackingGradients()
        let h = Categorical(logits: logits).entropy()
        XCTAssertEqual(Double(h.scalars[0]), log(2.0), accuracy: 1e-6)
        let g = gradients(of: h.sum(), wrt: [logits])[0]
        XCTAssertTrue(g.scalars.allSatisfy { $0.isFinite }, "\(g)")
        // At p = [½, ½, 0], ∂H/∂logit_j = −p_j (log p_j + H) = 0 for all j.
        for x in g.scalars { XCTAssertEqual(x, 0, accuracy: 1e-6) }
    }

    func testLogProbabilityGradientMatchesClosedFormAndFiniteDifferences() {
        var rng = RandomGenerator(seed: 3)
        let base = Tensor.normal([3, 4], using: &rng)
        let actions = [1, 3, 0]
        let weights: [Float] = [1, -2, 0.5]
        func loss(_ l: Tensor) -> Tensor {
            (Categorical(logits: l).logProbability(of: actions) * Tensor(weights)).sum()
        }
        let x = base.trackingGradients()
        let g = gradients(of: loss(x), wrt: [x])[0].scalars
        let p = Categorical(logits: base).probabilities.scalars
        let eps: Float = 1e-2
        for i in 0..<3 {
            for j in 0..<4 {
                // Closed form: w_i · (1[j = a_i] − p_ij).
                let closed = weights[i] * ((j == actions[i] ? 1 : 0) - p[i * 4 + j])
                XCTAssertEqual(g[i * 4 + j], closed, accuracy: 1e-5)
                var plus = base.scalars, minus = base.scalars
                plus[i * 4 + j] += eps; minus[i * 4 + j] -= eps
                let fd = (loss(Tensor(shape: [3, 4], scalars: plus)).scalar - loss(Tensor(shape: [3, 4], scalars: minus)).scalar) / (2 * eps)
                XCTAssertEqual(g[i * 4 + j], fd, accuracy: 2e-3, "(\(i), \(j))")
            }
        }
    }

    func testEntropyGradientMatchesFiniteDifferences() {
        var rng = RandomGenerator(seed: 4)
        let base = Tensor.normal([2, 5], using: &rng)
        let x = base.trackingGradients()
        let g = gradients(of: Categorical(logits: x).entropy().sum(), wrt: [x])[0].scalars
        let eps: Float = 1e-2
        for k in 0..<10 {
            var plus = base.scalars, minus = base.scalars
            plus[k] += eps; minus[k] -= eps
            let hp = Categorical(logits: Tensor(shape: [2, 5], scalars: plus)).entropy().sum().scalar
            let hm = Categorical(logits: Tensor(shape: [2, 5], scalars: minus)).entropy().sum().scalar
            XCTAssertEqual(g[k], (hp - hm) / (2 * eps), accuracy: 2e-3, "logit \(k)")
        }
    }

    func testSamplingFrequenciesOver60kDraws() {
        // 60 000 rows of p = [1/6, 2/6, 3/6]; each frequency's standard error is ≤ 0.0021, tolerance 0.01.
        let n = 60_000
        var scalars: [Float] = []
        for _ in 0..<n { scalars += [0, Float(log(2.0)), Float(log(3.0))] }
        var rng = RandomGenerator(seed: 11)
        let actions = Categorical(logits: Tensor(shape: [n, 3], scalars: scalars)).sample(using: &rng)
        var counts = [0, 0, 0]
        for a in actions { counts[a] += 1 }
        XCTAssertEqual(Double(counts[0]) / Double(n), 1.0 / 6, accuracy: 0.01)
        XCTAssertEqual(Double(counts[1]) / Double(n), 2.0 / 6, accuracy: 0.01)
        XCTAssertEqual(Double(counts[2]) / Double(n), 3.0 / 6, accuracy: 0.01)
    }

    func testSamplingIsDeterministicUnderSeedAndReportsLogProbabilities() {
        var rng = RandomGenerator(seed: 5)
        let logits = Tensor.normal([64, 6], using: &rng)
        let d = Categorical(logits: logits)
        var a = RandomGenerator(seed: 99), b = RandomGenerator(seed: 99), c = RandomGenerator(seed: 100)
        let first = d.sample(using: &a)
        XCTAssertEqual(first, d.sample(using: &b))
        XCTAssertNotEqual(first, d.sample(using: &c))
        XCTAssertTrue(first.allSatisfy { (0..<6).contains($0) })
        // The pointer variant gives the same actions and their log-probabilities.
        var r = RandomGenerator(seed: 99)
        var actions = [Int](repeating: -1, count: 64), lps = [Float](repeating: 0, count: 64)
        actions.withUnsafeMutableBufferPointer { act in
            lps.withUnsafeMutableBufferPointer { lp in d.sample(into: act.baseAddress!, logProbabilities: lp.baseAddress!, using: &r) }
        }
        XCTAssertEqual(actions, first)
        XCTAssertEqual(lps, d.logProbability(of: first).scalars)
    }

    func testInverseCDFPicksTheRightBucket() {
        // A one-hot-like row: p ≈ [0, 1, 0] must always give action 1.
        var rng = RandomGenerator(seed: 1)
        let d = Categorical(logits: Tensor(shape: [1, 3], scalars: [-1e30, 0, -1e30]))
        for _ in 0..<200 { XCTAssertEqual(d.sample(using: &rng), [1]) }
    }

    func testMode() {
        let d = Categorical(logits: Tensor(shape: [3, 3], scalars: [0, 2, 1, 7, -1, 7, -3, -2, -1]))
        XCTAssertEqual(d.mode(), [1, 0, 2])   // ties pick the lowest index
    }

    func testActionMask() {
        // Mask out action 1 of [0, ln 2, ln 3]: p = [1/4, 0, 3/4]; H = ¼·ln 4 + ¾·ln(4/3) = 0.562335…
        let d = Categorical(logits: handLogits, mask: [true, false, true, false, true, false])
        let p = d.probabilities.scalars
        XCTAssertEqual(p[0], 0.25, accuracy: 1e-6)
        XCTAssertEqual(p[1], 0)
        XCTAssertEqual(p[2], 0.75, accuracy: 1e-6)
        XCTAssertEqual(p[4], 1, accuracy: 1e-6)
        XCTAssertEqual(Double(d.entropy().scalars[0]), 0.25 * log(4.0) + 0.75 * log(4.0 / 3), accuracy: 1e-6)
        XCTAssertEqual(d.entropy().scalars[1], 0, accuracy: 1e-6)
        XCTAssertEqual(d.mode(), [2, 1])
        var rng = RandomGenerator(seed: 2)
        for _ in 0..<500 {
            let a = d.sample(using: &rng)
            XCTAssertNotEqual(a[0], 1)
            XCTAssertEqual(a[1], 1)
        }
    }
}
