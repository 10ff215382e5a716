import GridWorld
import LatticeRL
import LatticeRuntime
import LatticeTensor
import MinAtar
import XCTest

/// The random policy and the session's frame counting.
final class ViewerSessionTests: XCTestCase {
    func testRandomPolicyIsSeededAndUniform() {
        let a = RandomPolicy(actionCount: 3, seed: 7), b = RandomPolicy(actionCount: 3, seed: 7)
        let obs = Tensor(zeros: [1])
        var reference = RandomGenerator(seed: 7)
        for _ in 0..<50 {
            let d = a.act(obs)
            XCTAssertEqual(d.action, b.act(obs).action)
            XCTAssertEqual(d.action, reference.nextInt(below: 3))
            XCTAssertEqual(d.probabilities, [1 / 3, 1 / 3, 1 / 3])
            XCTAssertNil(d.value)
        }
    }

    func testFramesCountResetsAndStepsAndANewEpisodeFollowsTheEnd() throws {
        // GoToTarget 8×8 ends an episode at the latest after 4·8 = 32 steps.
        let env = try GoToTargetGridWorld(size: 8)
        let session = try ViewerSession(environment: env, policy: RandomPolicy(actionCount: 4, seed: 1), seed: 5,
                                        actionNames: ["UP", "DOWN", "LEFT", "RIGHT"])
        try session.advance()
        XCTAssertEqual(session.frameCount, 1)
        XCTAssertEqual(session.episode, 1)
        XCTAssertEqual(session.step, 0)
        var steps = 0
        while !session.episodeOver {
            try session.advance()
            steps += 1
            XCTAssertLessThanOrEqual(steps, 32)
            if steps > 32 { break }
        }
        XCTAssertEqual(session.frameCount, 1 + steps)
        XCTAssertEqual(session.step, steps)
        try session.advance()
        XCTAssertEqual(session.episode, 2)
        XCTAssertEqual(session.step, 0)
        XCTAssertEqual(session.frameCount, 2 + steps)
        XCTAssertNotNil(session.lastReturn)
        let overlay = session.overlay(status: "S", help: [])
        XCTAssertEqual(overlay.lines[0], "EPISODE 2")
        XCTAssertEqual(overlay.title, "GridWorld/GoToTarget-8x8-v0")
        XCTAssertNil(overlay.action)
        XCTAssertEqual(overlay.actionProbabilities, [0, 0, 0, 0])
    }

    func testTheSameSeedGivesTheSameFrames() throws {
        func frames() throws -> [Frame] {
            let env = try Breakout()
            let session = try ViewerSession(environment: env, policy: RandomPolicy(actionCount: 3, seed: 2), seed: 9,
                                            actionNames: [])
            var out: [Frame] = []
            for _ in 0..<20 { try session.advance(); out.append(session.frame()) }
            return out
        }
        XCTAssertEqual(try frames(), try frames())
    }
}
