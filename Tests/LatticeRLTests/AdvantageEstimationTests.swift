import XCTest
import LatticeTensor
@testable import LatticeRL

final class AdvantageEstimationTests: XCTestCase {
    /// A 5-step, 2-copy rollout worked by hand (index = t·2 + e):
    /// copy 0: r = [1, 0, 2, 1, 0], V = [0.5, 1, 1.5, 0.5, 1], truncated at t = 1 with V(final obs) = 2,
    ///         V(last obs) = 3 (not done at t = 4);
    /// copy 1: r = [0, 1, 1, 0, 2], V = [1, 2, 1, 2, 1], terminated at t = 2 (its finalValues slot holds a
    ///         decoy 99 that must be ignored), V(last obs) = 0.5.
    func makeBuffer() -> RolloutBuffer {
        let b = RolloutBuffer(steps: 5, environments: 2, observationShape: [1])
        let r0: [Float] = [1, 0, 2, 1, 0], v0: [Float] = [0.5, 1, 1.5, 0.5, 1]
        let r1: [Float] = [0, 1, 1, 0, 2], v1: [Float] = [1, 2, 1, 2, 1]
        for t in 0..<5 {
            b.rewards[t * 2] = r0[t]; b.values[t * 2] = v0[t]
            b.rewards[t * 2 + 1] = r1[t]; b.values[t * 2 + 1] = v1[t]
        }
        b.truncated[1 * 2 + 0] = true
        b.finalValues[1 * 2 + 0] = 2
        b.terminated[2 * 2 + 1] = true
        b.finalValues[2 * 2 + 1] = 99
        b.lastValues = [3, 0.5]
        return b
    }

    func column(_ a: [Float], _ e: Int) -> [Float] { (0..<5).map { a[$0 * 2 + e] } }

    func assertClose(_ a: [Float], _ b: [Float], accuracy: Float = 1e-5, _ message: String, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, message, line: line)
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, "\(message): \(a) vs \(b)", line: line) }
    }

    func testHandWorkedGAE() {
        // γ = 0.9, λ = 0.8, γλ = 0.72. Backwards:
        // copy 0: t4 δ = 0 + 0.9·3 − 1 = 1.7, A = 1.7
        //         t3 δ = 1 + 0.9·1 − 0.5 = 1.4, A = 1.4 + 0.72·1.7 = 2.624
        //         t2 δ = 2 + 0.9·0.5 − 1.5 = 0.95, A = 0.95 + 0.72·2.624 = 2.83928
        //         t1 truncated: δ = 0 + 0.9·2 − 1 = 0.8, A = 0.8 (recursion cut)
        //         t0 δ = 1 + 0.9·1 − 0.5 = 1.4, A = 1.4 + 0.72·0.8 = 1.976
        // copy 1: t4 δ = 2 + 0.9·0.5 − 1 = 1.45, A = 1.45
        //         t3 δ = 0 + 0.9·1 − 2 = −1.1, A = −1.1 + 0.72·1.45 = −0.056
        //         t2 terminated: δ = 1 − 1 = 0 (no bootstrap, decoy 99 unused), A = 0
        //         t1 δ = 1 + 0.9·1 − 2 = −0.1, A = −0.1 + 0.72·0 = −0.1
        //         t0 δ = 0 + 0.9·2 − 1 = 0.8, A = 0.8 + 0.72·(−0.1) = 0.728
        let b = makeBuffer()
        AdvantageEstimation(discount: 0.9, gaeLambda: 0.8).compute(b)
        assertClose(column(b.advantages, 0), [1.976, 0.8, 2.83928, 2.624, 1.7], "copy 0 advantages")
        assertClose(column(b.advantages, 1), [0.728, -0.1, 0, -0.056, 1.45], "copy 1 advantages")
        // returns = A + V
        assertClose(column(b.returns, 0), [2.476, 1.8, 4.33928, 3.124, 2.7], "copy 0 returns")
        assertClose(column(b.returns, 1), [1.728, 1.9, 1, 1.944, 2.45], "copy 1 returns")
    }

    func testLambdaOneGivesHandWorkedNStepReturns() {
        // γ = 0.9, λ = 1: discounted rewards to the episode or rollout end plus the bootstrap there.
        // copy 0: t4 0 + 0.9·3 = 2.7; t3 1 + 0.9·2.7 = 3.43; t2 2 + 0.9·3.43 = 5.087;
        //         t1 (truncated) 0 + 0.9·2 = 1.8; t0 1 + 0.9·1.8 = 2.62
        // copy 1: t4 2 + 0.9·0.5 = 2.45; t3 0 + 0.9·2.45 = 2.205; t2 (terminated) 1;
        //         t1 1 + 0.9·1 = 1.9; t0 0 + 0.9·1.9 = 1.71
        let b = makeBuffer()
        AdvantageEstimation.nStepReturns(discount: 0.9).compute(b)
        assertClose(column(b.returns, 0), [2.62, 1.8, 5.087, 3.43, 2.7], "copy 0 n-step returns")
        assertClose(column(b.returns, 1), [1.71, 1.9, 1, 2.205, 2.45], "copy 1 n-step returns")
        for i in 0..<10 { XCTAssertEqual(b.advantages[i], b.returns[i] - b.values[i], accuracy: 1e-5) }
    }

    func testLambdaOneEqualsForwardDiscountedSumsOnRandomRollouts() {
        // An independent forward computation: G_t = Σ_k γ^k r_{t+k} up to the first done step d ≥ t, plus
        // γ^(d−t+1)·finalValue_d if d was truncated (not terminated), or γ^(T−t)·lastValue with no done.
        var rng = RandomGenerator(seed: 7)
        let steps = 9, n = 3, gamma: Float = 0.95
        let b = RolloutBuffer(steps: steps, environments: n, observationShape: [2])
        for i in 0..<b.count {
            b.rewards[i] = rng.nextUniform(-1, 1)
            b.values[i] = rng.nextUniform(-2, 2)
            let u = rng.nextUniform()
            if u < 0.15 { b.terminated[i] = true } else if u < 0.3 { b.truncated[i] = true; b.finalValues[i] = rng.nextUniform(-2, 2) }
            if u < 0.05 { b.truncated[i] = true }   // both flags: terminated wins
        }
        for e in 0..<n { b.lastValues[e] = rng.nextUniform(-2, 2) }
        AdvantageEstimation(discount: gamma, gaeLambda: 1).compute(b)
        for e in 0..<n {
            for t in 0..<steps {
                var g: Double = 0, scale: Double = 1
                var k = t
                while true {
                    let i = k * n + e
                    g += scale * Double(b.rewards[i])
                    scale *= Double(gamma)
                    if b.terminated[i] { break }
                    if b.truncated[i] { g += scale * Double(b.finalValues[i]); break }
                    k += 1
                    if k == steps { g += scale * Double(b.lastValues[e]); break }
                }
                XCTAssertEqual(Double(b.returns[t * n + e]), g, accuracy: 1e-4, "t \(t) copy \(e)")
            }
        }
    }

    func testLambdaZeroIsOneStepTD() {
        // λ = 0: A_t = δ_t. copy 0, t3: 1 + 0.9·1 − 0.5 = 1.4; copy 1, t0: 0 + 0.9·2 − 1 = 0.8.
        let b = makeBuffer()
        AdvantageEstimation(discount: 0.9, gaeLambda: 0).compute(b)
        XCTAssertEqual(b.advantages[3 * 2], 1.4, accuracy: 1e-6)
        XCTAssertEqual(b.advantages[1], 0.8, accuracy: 1e-6)
    }
}
