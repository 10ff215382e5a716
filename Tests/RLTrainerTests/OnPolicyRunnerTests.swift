import XCTest
import Foundation
import LatticeNN
import LatticeRL
import LatticeRuntime
import LatticeTensor
@testable import PPO

/// The shared on-policy loop: determinism, checkpoints that load back as a policy, resume, config errors.
final class OnPolicyRunnerTests: XCTestCase {
    let trainer = "{id: ppo, environments: 4, rolloutSteps: 32, minibatches: 2, epochs: 2}"

    func testSameSeedGivesTheSameNumbersAndAnotherSeedDoesNot() throws {
        let a = try RLTestSupport.train(RLTestSupport.config(environment: "MinAtar/Breakout-v1", trainer: trainer, steps: 2048, everySteps: 512))
        let b = try RLTestSupport.train(RLTestSupport.config(environment: "MinAtar/Breakout-v1", trainer: trainer, steps: 2048, everySteps: 512))
        let c = try RLTestSupport.train(RLTestSupport.config(seed: 2, environment: "MinAtar/Breakout-v1", trainer: trainer, steps: 2048, everySteps: 512))
        func losses(_ m: [(step: Int, metrics: [String: Double])]) -> [Double] { m.compactMap { $0.1["losses/total"] } }
        XCTAssertEqual(losses(a.metrics).count, 4)
        XCTAssertEqual(losses(a.metrics), losses(b.metrics))
        XCTAssertNotEqual(losses(a.metrics), losses(c.metrics))
        let wa = (a.trainer as! PPOTrainer).model.parameters.map(\.value)
        let wb = (b.trainer as! PPOTrainer).model.parameters.map(\.value)
        XCTAssertEqual(wa, wb)
    }

    func testCheckpointLoadsBackAsThePolicyAndResumeContinuesTheStepCount() throws {
        let parent = try RLTestSupport.temporaryDirectory(self)
        let run = try RunDirectory.create(in: parent, name: "ppo-test")
        let yaml = RLTestSupport.config(environment: "GridWorld/Empty-5x5-v0", trainer: trainer, steps: 1024, everySteps: 256)
        let (summary, trained, _) = try RLTestSupport.train(yaml, run: run)
        XCTAssertEqual(summary.steps, 1024)
        let latest = try XCTUnwrap(try run.latestCheckpoint())
        let registries = try RLTestSupport.registries()
        let environment = try registries.environments.make("GridWorld/Empty-5x5-v0", registries: registries)
        let policy = try ActorCriticPolicy.load(run: run, environment: environment, registries: registries)
        XCTAssertEqual(policy.name, "ppo step 1024")
        XCTAssertEqual(policy.model.parameters.map(\.value), (trained as! PPOTrainer).model.parameters.map(\.value))
        let observation = environment.reset(seed: 3)
        let decision = policy.act(observation)
        XCTAssertEqual(decision.probabilities?.count, 7)
        XCTAssertEqual(Double(decision.probabilities!.reduce(0, +)), 1, accuracy: 1e-5)
        // Resuming continues from step 1024 to a larger budget.
        let resumed = try RLTestSupport.train(yaml.replacingOccurrences(of: "steps: 1024", with: "steps: 2048"), run: run, resume: latest)
        XCTAssertEqual(resumed.summary.steps, 2048)
    }

    func testACorruptCheckpointIsRefusedWithAClearError() throws {
        let parent = try RLTestSupport.temporaryDirectory(self)
        let run = try RunDirectory.create(in: parent, name: "ppo-corrupt")
        _ = try RLTestSupport.train(RLTestSupport.config(environment: "GridWorld/Empty-5x5-v0", trainer: trainer, steps: 256), run: run)
        let url = try XCTUnwrap(try run.latestCheckpoint())
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: url)
        let registries = try RLTestSupport.registries()
        let environment = try registries.environments.make("GridWorld/Empty-5x5-v0", registries: registries)
        XCTAssertThrowsError(try ActorCriticPolicy.load(run: run, environment: environment, registries: registries))
    }

    func testUnknownTrainerKeyNamesLineColumnAndTheValidKeys() throws {
        let yaml = RLTestSupport.config(environment: "GridWorld/Empty-5x5-v0", trainer: "{id: ppo, clipEpsilom: 0.2}", steps: 100)
        XCTAssertThrowsError(try RLTestSupport.train(yaml)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("clipEpsilom") && text.contains("clipEpsilon") && text.contains("<string>:11:20"), text)
        }
    }

    func testATrunkThatDoesNotFlattenIsAConfigErrorNamingTheShape() throws {
        let yaml = RLTestSupport.config(environment: "GridWorld/Empty-5x5-v0", trainer: "ppo", steps: 100)
            .replacingOccurrences(of: "    - flatten\n    - dense: {units: 64}\n    - relu\n", with: "")
        XCTAssertThrowsError(try RLTestSupport.train(yaml)) { error in
            XCTAssertTrue("\(error)".contains("[1, 16, 5, 5]") && "\(error)".contains("flatten"), "\(error)")
        }
    }
}
