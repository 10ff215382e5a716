import XCTest
import LatticeTensor
@testable import LatticeRL

final class RolloutBufferTests: XCTestCase {
    func testMinibatchesPartitionTheBatchAndAreDeterministic() {
        let b = RolloutBuffer(steps: 7, environments: 3, observationShape: [2])   // 21 transitions
        var r1 = RandomGenerator(seed: 42), r2 = RandomGenerator(seed: 42), r3 = RandomGenerator(seed: 43)
        let m1 = b.minibatches(count: 4, rng: &r1)
        XCTAssertEqual(m1.count, 4)
        // 21 over 4: ⌊21k/4⌋ = 0, 5, 10, 15, 21 ⇒ sizes 5, 5, 5, 6.
        XCTAssertEqual(m1.map(\.count), [5, 5, 5, 6])
        XCTAssertEqual(m1.flatMap { $0 }.sorted(), Array(0..<21), "a partition of 0..<21")
        XCTAssertEqual(m1, b.minibatches(count: 4, rng: &r2), "same seed, same minibatches")
        XCTAssertNotEqual(m1, b.minibatches(count: 4, rng: &r3), "another seed shuffles differently")
        XCTAssertNotEqual(m1.flatMap { $0 }, Array(0..<21), "shuffled")
        // The next epoch from the same generator is a different permutation.
        XCTAssertNotEqual(m1, b.minibatches(count: 4, rng: &r1))
    }

    func testMinibatchesShuffleUniformly() {
        // Over 3000 epochs of a 4-element batch in 1 minibatch, each element lands first ≈ 1/4 of the time.
        let b = RolloutBuffer(steps: 2, environments: 2, observationShape: [1])
        var rng = RandomGenerator(seed: 1)
        var first = [0, 0, 0, 0]
        for _ in 0..<3000 { first[b.minibatches(count: 1, rng: &rng)[0][0]] += 1 }
        for c in first { XCTAssertEqual(Double(c) / 3000, 0.25, accuracy: 0.04) }
    }

    func testLayoutAndMinibatchGather() {
        let b = RolloutBuffer(steps: 3, environments: 2, observationShape: [2, 1])
        XCTAssertEqual(b.count, 6)
        XCTAssertEqual(b.observationSize, 2)
        XCTAssertEqual(b.index(step: 2, environment: 1), 5)
        // Step t's batch: copy e's observation is [10t + e, −(10t + e)].
        for t in 0..<3 {
            let x0 = Float(10 * t), x1 = Float(10 * t + 1)
            let batch = Tensor(shape: [2, 2, 1], scalars: [x0, -x0, x1, -x1])
            b.storeObservations(batch, step: t)
        }
        XCTAssertEqual(b.observations, [0, 0, 1, -1, 10, -10, 11, -11, 20, -20, 21, -21])
        for i in 0..<6 {
            b.actions[i] = i % 3
            b.logProbabilities[i] = -Float(i)
            b.advantages[i] = Float(i) * 0.5
            b.returns[i] = Float(i) + 100
            b.values[i] = Float(i) * 2
        }
        let m = b.minibatch([5, 0, 3])
        XCTAssertEqual(m.observations.shape, [3, 2, 1])
        XCTAssertEqual(m.observations.scalars, [21, -21, 0, 0, 11, -11])
        XCTAssertEqual(m.actions, [2, 0, 0])
        XCTAssertEqual(m.oldLogProbabilities.scalars, [-5, 0, -3])
        XCTAssertEqual(m.advantages.scalars, [2.5, 0, 1.5])
        XCTAssertEqual(m.returns.scalars, [105, 100, 103])
        XCTAssertEqual(m.oldValues.scalars, [10, 0, 6])
        XCTAssertEqual(m.oldValues.shape, [3])
        XCTAssertFalse(m.observations.isTracked)

        b.storeLastObservations(Tensor(shape: [2, 2, 1], scalars: [7, 8, 9, 10]))
        XCTAssertEqual(b.lastObservations, [7, 8, 9, 10])
    }

    func testExplainedVarianceByHand() {
        // returns [1, 2, 3, 4], values [1, 2, 3, 5]: residuals [0, 0, 0, −1], Var = 0.25 − 0.0625 = 0.1875;
        // Var(returns) = 7.5 − 6.25 = 1.25 ⇒ 1 − 0.1875 / 1.25 = 0.85.
        let b = RolloutBuffer(steps: 2, environments: 2, observationShape: [1])
        b.returns = [1, 2, 3, 4]
        b.values = [1, 2, 3, 5]
        XCTAssertEqual(b.explainedVariance(), 0.85, accuracy: 1e-12)
        b.returns = [2, 2, 2, 2]
        XCTAssertTrue(b.explainedVariance().isNaN)
    }
}
