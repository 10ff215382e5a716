import XCTest
import Foundation
import A2C
import LatticeRL
import LatticeRuntime
import LatticeTensor
import PPO

/// Fixed-seed learning tests: each trains from scratch and then evaluates the greedy policy. They fail
/// when the algorithm is broken (checked once by flipping the advantage sign in the loss: both grid-world
/// tests and the Breakout test then fail).
final class LearningTests: XCTestCase {
    /// The greedy policy of a trained actor-critic on `environment`, over `episodes` seeded episodes.
    func evaluate(_ model: ActorCritic, environment id: String, episodes: Int = 20) throws -> Double {
        let registries = try RLTestSupport.registries()
        let environment = try registries.environments.make(id, registries: registries)
        guard case .discrete(let actions) = environment.actionSpace else { XCTFail("not discrete"); return 0 }
        let policy = ActorCriticPolicy(model: model, actionCount: actions, name: "test")
        return try PolicyEvaluation.run(policy, on: environment, episodes: episodes, seed: 10_000).mean
    }

    func testPPOSolvesEmpty5x5() throws {
        let yaml = RLTestSupport.config(environment: "GridWorld/Empty-5x5-v0",
                                        trainer: "{id: ppo, environments: 8, rolloutSteps: 128, clipEpsilon: 0.2}", steps: 50_000)
        let (summary, trainer, metrics) = try RLTestSupport.train(yaml)
        let mean = try evaluate((trainer as! PPOTrainer).model, environment: "GridWorld/Empty-5x5-v0")
        XCTAssertGreaterThanOrEqual(mean, 0.9, "PPO's greedy policy on Empty-5x5 returned \(mean) after \(summary.steps) steps")
        let lastReturn = metrics.last { $0.1["rollout/episodeReturn"] != nil }?.1["rollout/episodeReturn"] ?? 0
        XCTAssertGreaterThanOrEqual(lastReturn, 0.85, "training episodes' mean return \(lastReturn)")
    }

    func testA2CSolvesEmpty5x5() throws {
        let yaml = RLTestSupport.config(environment: "GridWorld/Empty-5x5-v0",
                                        trainer: "{id: a2c, environments: 8, rolloutSteps: 5, entropyCoefficient: 0.01}", steps: 100_000)
        let (summary, trainer, _) = try RLTestSupport.train(yaml)
        let mean = try evaluate((trainer as! A2CTrainer).model, environment: "GridWorld/Empty-5x5-v0")
        XCTAssertGreaterThanOrEqual(mean, 0.9, "A2C's greedy policy on Empty-5x5 returned \(mean) after \(summary.steps) steps")
    }

    /// MinAtar Breakout with the standard network: a uniformly random policy returns about 0.4 a game
    /// (`lattice rollout MinAtar/Breakout-v1 --episodes 200`: 0.385 ± 0.044); PPO passes 3 within 100k steps.
    func testPPOLearnsMinAtarBreakout() throws {
        let yaml = RLTestSupport.config(environment: "MinAtar/Breakout-v1", hidden: 128,
                                        trainer: "{id: ppo, environments: 8, rolloutSteps: 128, learningRate: 5.0e-4, clipEpsilon: 0.2}",
                                        steps: 100_000, everySteps: 16_384)
        let (_, _, metrics) = try RLTestSupport.train(yaml)
        let returns = metrics.compactMap { $0.1["rollout/episodeReturn"] }
        XCTAssertGreaterThanOrEqual(returns.last ?? 0, 3, "PPO's training returns on Breakout: \(returns)")
    }
}
