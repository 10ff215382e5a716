import XCTest
import LatticeNN
import LatticeTensor
@testable import LatticeRL

/// A deterministic toy for the collector: observation `[position, tag]`, 2 actions, reward = the action
/// (0 or 1). Each step advances `position` by one; the episode ends when `position` reaches `length`,
/// by termination or (with `truncates`) by truncation.
private final class ToyChainEnvironment: Environment {
    let id = "Test/ToyChain-v0"
    let observationSpace = Space.box(shape: [2], low: -100, high: 100)
    let actionSpace = Space.discrete(2)
    let length: Int
    let truncates: Bool
    let tag: Float
    var position = 0

    init(length: Int, truncates: Bool, tag: Float) {
        self.length = length
        self.truncates = truncates
        self.tag = tag
    }

    func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
        position = 0
        observation[0] = 0
        observation[1] = tag
    }

    func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        guard actionSpace.contains(action) else { throw EnvironmentError.invalidAction(environment: id, action: action, space: actionSpace) }
        position += 1
        observation[0] = Float(position)
        observation[1] = tag
        let done = position >= length
        return Transition(reward: Float(action), terminated: done && !truncates, truncated: done && truncates)
    }

    func render() -> Frame? { nil }
}

final class RolloutCollectorTests: XCTestCase {
    func makeModel(seed: UInt64) -> ActorCritic {
        var rng = RandomGenerator(seed: seed)
        return ActorCritic(trunk: Sequential([Dense(inputs: 2, outputs: 8, rng: &rng), Activation(.tanh)]),
                           policyHead: Dense(inputs: 8, outputs: 2, rng: &rng),
                           valueHead: Dense(inputs: 8, outputs: 1, rng: &rng))
    }

    func makeCollector(seed: UInt64) throws -> RolloutCollector {
        // Copy 0 terminates after 3 steps, copy 1 is truncated after 4.
        let env = try VectorEnvironment([ToyChainEnvironment(length: 3, truncates: false, tag: 1),
                                         ToyChainEnvironment(length: 4, truncates: true, tag: -1)])
        let collector = RolloutCollector(environment: env, model: makeModel(seed: 9), steps: 5, seed: seed)
        collector.reset(seed: 0)
        return collector
    }

    func testCollectorFillsTheBuffer() throws {
        let collector = try makeCollector(seed: 123)
        let report = try collector.collect()
        let b = collector.buffer
        let model = collector.model
        XCTAssertEqual(report.environmentSteps, 10)
        XCTAssertEqual(report.totalEnvironmentSteps, 10)
        XCTAssertEqual(b.observations.count, 5 * 2 * 2)

        // Positions seen (SAME_STEP: a finishing step's next row is the new episode's first observation):
        // copy 0: 0 1 2 | 0 1 (terminated at t = 2); copy 1: 0 1 2 3 | 0 (truncated at t = 3).
        let positions = (0..<10).map { b.observations[$0 * 2] }
        XCTAssertEqual(positions, [0, 0, 1, 1, 2, 2, 0, 3, 1, 0])
        let tags = (0..<10).map { b.observations[$0 * 2 + 1] }
        XCTAssertEqual(tags, [1, -1, 1, -1, 1, -1, 1, -1, 1, -1])
        XCTAssertEqual(b.terminated, [false, false, false, false, true, false, false, false, false, false])
        XCTAssertEqual(b.truncated, [false, false, false, false, false, false, false, true, false, false])
        XCTAssertEqual(b.rewards, b.actions.map { Float($0) }, "reward = action")
        XCTAssertEqual(b.lastObservations, [2, 1, 1, -1])

        // Values and log-probabilities match the model recomputed on the stored observations.
        let obs = Tensor(shape: [10, 2], scalars: b.observations)
        let (logits, values) = withoutGradients { model(obs) }
        let lp = Categorical(logits: logits).logProbability(of: b.actions).scalars
        for i in 0..<10 {
            XCTAssertEqual(b.logProbabilities[i], lp[i], accuracy: 1e-6, "log-prob \(i)")
            XCTAssertEqual(b.values[i], values.scalars[i], accuracy: 1e-6, "value \(i)")
            XCTAssertLessThan(b.logProbabilities[i], 0)
        }
        // Bootstrap values: V(final obs [4, −1]) at the truncated step only; V(last obs) per copy.
        let finalValue = model.values(Tensor(shape: [1, 2], scalars: [4, -1])).scalars[0]
        XCTAssertEqual(b.finalValues[7], finalValue, accuracy: 1e-6)
        XCTAssertNotEqual(finalValue, 0)
        for i in 0..<10 where i != 7 { XCTAssertEqual(b.finalValues[i], 0) }
        let last = model.values(Tensor(shape: [2, 2], scalars: [2, 1, 1, -1])).scalars
        XCTAssertEqual(b.lastValues[0], last[0], accuracy: 1e-6)
        XCTAssertEqual(b.lastValues[1], last[1], accuracy: 1e-6)

        // Episode statistics: copy 0 finished at t = 2 (3 steps), copy 1 at t = 3 (4 steps, truncated).
        XCTAssertEqual(report.episodes.map(\.index), [0, 1])
        XCTAssertEqual(report.episodes.map(\.length), [3, 4])
        XCTAssertEqual(report.episodes.map(\.truncated), [false, true])
        XCTAssertEqual(report.episodes[0].episodeReturn, Double(b.actions[0] + b.actions[2] + b.actions[4]))
        XCTAssertEqual(report.episodes[1].episodeReturn, Double(b.actions[1] + b.actions[3] + b.actions[5] + b.actions[7]))

        // The second rollout continues the episodes: copy 0 is at position 2, copy 1 at 1.
        let second = try collector.collect()
        XCTAssertEqual(second.totalEnvironmentSteps, 20)
        XCTAssertEqual(b.observations[0], 2)
        XCTAssertEqual(b.observations[2], 1)
        // copy 0: 2 | 0 1 2 | 0 — terminations at t = 0 and t = 3; copy 1: 1 2 3 | 0 1 — truncated at t = 2.
        XCTAssertEqual(second.episodes.map(\.index), [0, 1, 0])
        XCTAssertEqual(second.episodes.map(\.length), [3, 4, 3])
    }

    func testCollectorIsDeterministicUnderSeedAndSamplesBothActions() throws {
        let a = try makeCollector(seed: 5), b = try makeCollector(seed: 5), c = try makeCollector(seed: 6)
        var actionsA: [Int] = [], actionsB: [Int] = [], actionsC: [Int] = []
        for _ in 0..<4 {
            try a.collect(); try b.collect(); try c.collect()
            actionsA += a.buffer.actions; actionsB += b.buffer.actions; actionsC += c.buffer.actions
        }
        XCTAssertEqual(actionsA, actionsB)
        XCTAssertEqual(a.buffer.logProbabilities, b.buffer.logProbabilities)
        XCTAssertNotEqual(actionsA, actionsC)
        XCTAssertTrue(actionsA.contains(0) && actionsA.contains(1), "a near-uniform policy samples both actions in 40 draws")
    }

    func testCollectorThenGAEUsesTheBootstrapValues() throws {
        let collector = try makeCollector(seed: 1)
        try collector.collect()
        let b = collector.buffer
        AdvantageEstimation(discount: 0.9, gaeLambda: 1).compute(b)
        // Truncated step 7 (copy 1, t = 3): return = r + 0.9·V(final obs).
        XCTAssertEqual(b.returns[7], b.rewards[7] + 0.9 * b.finalValues[7], accuracy: 1e-5)
        // Terminated step 4 (copy 0, t = 2): return = r.
        XCTAssertEqual(b.returns[4], b.rewards[4], accuracy: 1e-6)
        // Copy 0's last step (t = 4, not done): return = r + 0.9·V(last obs).
        XCTAssertEqual(b.returns[8], b.rewards[8] + 0.9 * b.lastValues[0], accuracy: 1e-5)
    }

    func testCollectBeforeResetNamesTheFix() throws {
        let env = try VectorEnvironment([ToyChainEnvironment(length: 3, truncates: false, tag: 1)])
        let collector = RolloutCollector(environment: env, model: makeModel(seed: 1), steps: 2, seed: 0)
        XCTAssertThrowsError(try collector.collect()) { error in
            XCTAssertEqual(error as? EnvironmentError, .notReset(environment: "Test/ToyChain-v0 ×1"))
        }
    }

    func testActionMaskIsRespected() throws {
        let collector = try makeCollector(seed: 3)
        collector.actionMask = { obs in
            (0..<obs.shape[0]).flatMap { _ in [false, true] }   // only action 1
        }
        let report = try collector.collect()
        XCTAssertEqual(collector.buffer.actions, [Int](repeating: 1, count: 10))
        XCTAssertTrue(collector.buffer.logProbabilities.allSatisfy { abs($0) < 1e-6 }, "log 1 = 0")
        XCTAssertEqual(report.episodes.map(\.episodeReturn), [3, 4])
    }
}
