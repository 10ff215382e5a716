import GridWorld
import LatticeRL
import LatticeTensor
import XCTest

final class MiniGridDynamicsTests: XCTestCase {
    func testEmpty5x5ReachedInFiveStepsGivesHandReward() throws {
        let env = try EmptyGridWorld(size: 5)
        XCTAssertEqual(env.maxSteps, 100)
        _ = env.reset(seed: 0)
        // (1,1) facing right → (2,1) → (3,1) → face down → (3,2) → (3,3) = goal: k = 5.
        let r = try play(env, [Act.forward, Act.forward, Act.right, Act.forward, Act.forward])
        XCTAssertTrue(r.terminated)
        XCTAssertFalse(r.truncated)
        XCTAssertEqual(r.reward, 1 - 0.9 * 5 / 100, accuracy: 1e-6)  // 0.955
        XCTAssertEqual(r.reward, 0.955, accuracy: 1e-6)
    }

    func testEmpty5x5WithDetourRewardCountsEveryStep() throws {
        let env = try EmptyGridWorld(size: 5)
        _ = env.reset(seed: 0)
        // Two extra steps (done, left+right) before the same path: k = 8 → 1 − 0.072 = 0.928.
        let r = try play(env, [Act.done, Act.left, Act.right, Act.forward, Act.forward, Act.right, Act.forward, Act.forward])
        XCTAssertTrue(r.terminated)
        XCTAssertEqual(r.reward, 0.928, accuracy: 1e-6)
    }

    func testEmptyLayoutsAndTimeLimits() throws {
        for size in [5, 8, 16] {
            let env = try EmptyGridWorld(size: size)
            _ = env.reset(seed: 3)
            let s = env.snapshot
            XCTAssertEqual(env.maxSteps, 4 * size * size)
            XCTAssertEqual(s.agentX, 1); XCTAssertEqual(s.agentY, 1); XCTAssertEqual(s.agentDirection, 0)
            XCTAssertEqual(s.cell(x: size - 2, y: size - 2), .goal)
            XCTAssertEqual(s.cell(x: 0, y: 3), .wall)
            XCTAssertEqual(s.cell(x: size - 1, y: 1), .wall)
            XCTAssertEqual(s.cells.filter { $0 == .wall }.count, 4 * (size - 1))
        }
    }

    func testWallsBlockForwardMoves() throws {
        let env = try EmptyGridWorld(size: 5)
        _ = env.reset(seed: 0)
        // Face up: (1,0) is a wall.
        let r = try play(env, [Act.left, Act.forward, Act.forward])
        XCTAssertEqual(r.reward, 0)
        let s = env.snapshot
        XCTAssertEqual(s.agentX, 1); XCTAssertEqual(s.agentY, 1); XCTAssertEqual(s.agentDirection, 3)
        XCTAssertEqual(s.stepCount, 3)
        // Face right and walk into the east wall: stops at x = 3.
        try play(env, [Act.right, Act.forward, Act.forward, Act.forward, Act.forward])
        XCTAssertEqual(env.snapshot.agentX, 3)
        XCTAssertEqual(env.snapshot.agentY, 1)
    }

    func testTurning() throws {
        let env = try EmptyGridWorld(size: 5)
        _ = env.reset(seed: 0)
        var expected = 0
        for (action, next) in [(Act.left, 3), (Act.left, 2), (Act.right, 3), (Act.right, 0), (Act.right, 1),
                               (Act.right, 2), (Act.right, 3), (Act.right, 0)] {
            _ = try env.step(action)
            expected = next
            XCTAssertEqual(env.snapshot.agentDirection, expected)
            XCTAssertEqual(env.snapshot.agentX, 1)
        }
        // Facing down from (1,1): forward → (1,2).
        _ = try env.step(Act.right)
        _ = try env.step(Act.forward)
        XCTAssertEqual(env.snapshot.agentY, 2)
    }

    func testTruncationAtMaxSteps() throws {
        let env = try EmptyGridWorld(size: 5)
        _ = env.reset(seed: 0)
        for i in 1...100 {
            let r = try env.step(Act.left)
            XCTAssertEqual(r.truncated, i == 100, "step \(i)")
            XCTAssertFalse(r.terminated)
            XCTAssertEqual(r.reward, 0)
        }
        XCTAssertThrowsError(try env.step(Act.left)) { error in
            XCTAssertEqual(error as? EnvironmentError, .episodeFinished(environment: "GridWorld/Empty-5x5-v0"))
        }
        // maxSteps override.
        let short = try EmptyGridWorld(size: 5, options: GridWorldOptions(maxSteps: 3))
        _ = short.reset(seed: nil)
        let r = try play(short, [Act.done, Act.done, Act.done])
        XCTAssertTrue(r.truncated)
        XCTAssertFalse(r.terminated)
    }

    func testErrors() throws {
        let env = try EmptyGridWorld(size: 5)
        XCTAssertThrowsError(try env.step(Act.forward)) { error in
            XCTAssertEqual(error as? EnvironmentError, .notReset(environment: "GridWorld/Empty-5x5-v0"))
        }
        _ = env.reset(seed: 0)
        for bad in [-1, 7, 100] {
            XCTAssertThrowsError(try env.step(bad)) { error in
                XCTAssertEqual(error as? EnvironmentError,
                               .invalidAction(environment: "GridWorld/Empty-5x5-v0", action: bad, space: .discrete(7)))
            }
        }
        XCTAssertEqual(env.snapshot.stepCount, 0, "a refused action is not a step")
        let r = try play(env, [Act.forward, Act.forward, Act.right, Act.forward, Act.forward])
        XCTAssertTrue(r.terminated)
        XCTAssertThrowsError(try env.step(Act.left)) { error in
            XCTAssertEqual(error as? EnvironmentError, .episodeFinished(environment: "GridWorld/Empty-5x5-v0"))
        }
        _ = env.reset(seed: nil)
        XCTAssertNoThrow(try env.step(Act.left))

        let g = try GoToTargetGridWorld(size: 8)
        _ = g.reset(seed: 1)
        XCTAssertThrowsError(try g.step(4))
        XCTAssertThrowsError(try GoToTargetGridWorld(size: 8, options: GridWorldOptions(observation: .egocentric)))
        XCTAssertThrowsError(try EmptyGridWorld(size: 5, options: GridWorldOptions(maxSteps: 0)))
        XCTAssertThrowsError(try EmptyGridWorld(size: 5, options: GridWorldOptions(heldOutQuadrant: .train)))
        XCTAssertThrowsError(try EmptyGridWorld(size: 5, options: GridWorldOptions(map: "#>G#")))
        XCTAssertThrowsError(try GoToTargetGridWorld(size: 8, options: GridWorldOptions(map: "#>G#")))
    }

    func testLavaEndsWithZeroReward() throws {
        let env = try MapGridWorld(ascii: """
            #####
            #>L.#
            #####
            """)
        _ = env.reset(seed: nil)
        let r = try env.step(Act.forward)
        XCTAssertTrue(r.terminated)
        XCTAssertEqual(r.reward, 0)
    }

    func testPickupAndDropBall() throws {
        let env = try MapGridWorld(ascii: """
            #####
            #>B.#
            #####
            """)
        _ = env.reset(seed: nil)
        try play(env, [Act.forward, Act.pickup])  // forward is blocked by the ball
        XCTAssertEqual(env.snapshot.agentX, 1)
        XCTAssertEqual(env.snapshot.carrying, .ball(GridCell.blue))
        XCTAssertEqual(env.snapshot.cell(x: 2, y: 1), .empty)
        try play(env, [Act.forward, Act.pickup, Act.drop])  // walk to (2,1); hands full; drop onto (3,1)
        XCTAssertEqual(env.snapshot.agentX, 2)
        XCTAssertNil(env.snapshot.carrying)
        XCTAssertEqual(env.snapshot.cell(x: 3, y: 1), .ball(GridCell.blue))
    }
}
