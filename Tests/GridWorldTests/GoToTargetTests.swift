import GridWorld
import LatticeRL
import LatticeTensor
import XCTest

final class GoToTargetTests: XCTestCase {
    func testHeldOutQuadrantPlacementOverSeeds() throws {
        // 8×8 room: interior 1…6, quadrant start 1 + 6/2 = 4, so the held-out cells are x, y ∈ 4…6.
        let train = try GoToTargetGridWorld(size: 8, options: GridWorldOptions(heldOutQuadrant: .train))
        let eval = try GoToTargetGridWorld(size: 8, options: GridWorldOptions(heldOutQuadrant: .eval))
        let any = try GoToTargetGridWorld(size: 8)
        XCTAssertEqual(train.quadrantStart, 4)
        var evalTargets = Set<[Int]>(), trainTargets = Set<[Int]>(), anyInQuadrant = 0
        for seed in 0..<400 {
            for (env, kind) in [(train, 0), (eval, 1), (any, 2)] {
                _ = env.reset(seed: UInt64(seed))
                let s = env.snapshot
                let t = try XCTUnwrap(s.position(of: GridCell.goalObject))
                XCTAssertTrue((1...6).contains(t.x) && (1...6).contains(t.y))
                XCTAssertTrue((1...6).contains(s.agentX) && (1...6).contains(s.agentY))
                XCTAssertFalse(s.agentX == t.x && s.agentY == t.y, "agent and target on distinct cells")
                let inQuadrant = t.x >= 4 && t.y >= 4
                switch kind {
                case 0: XCTAssertFalse(inQuadrant, "train target at \(t)"); trainTargets.insert([t.x, t.y])
                case 1: XCTAssertTrue(inQuadrant, "eval target at \(t)"); evalTargets.insert([t.x, t.y])
                default: if inQuadrant { anyInQuadrant += 1 }
                }
            }
        }
        XCTAssertEqual(evalTargets.count, 9, "every held-out cell appears")
        XCTAssertEqual(trainTargets.count, 36 - 9, "every other cell appears")
        XCTAssertGreaterThan(anyInQuadrant, 50, "with none, about a quarter land in the quadrant")
        // 16×16: interior 1…14, quadrant 8…14.
        let big = try GoToTargetGridWorld(size: 16, options: GridWorldOptions(heldOutQuadrant: .eval))
        XCTAssertEqual(big.quadrantStart, 8)
        XCTAssertEqual(big.maxSteps, 64)
        for seed in 0..<100 {
            _ = big.reset(seed: UInt64(seed))
            let t = big.snapshot.position(of: GridCell.goalObject)!
            XCTAssertTrue(t.x >= 8 && t.y >= 8 && t.x <= 14 && t.y <= 14)
        }
    }

    func testAbsoluteMovesReachTargetWithHandReward() throws {
        let env = try GoToTargetGridWorld(size: 8, options: GridWorldOptions(observation: .full))
        XCTAssertEqual(env.maxSteps, 32)
        XCTAssertEqual(env.actionSpace, .discrete(4))
        XCTAssertEqual(env.observationSpace.shape, [24, 8, 8])
        for seed in 0..<20 {
            _ = env.reset(seed: UInt64(seed))
            let s = env.snapshot
            let t = s.position(of: GridCell.goalObject)!
            // Move vertically first, then horizontally, so we never pass over the target early.
            var actions: [Int] = []
            let dy = t.y - s.agentY, dx = t.x - s.agentX
            if dx == 0 {
                actions += Array(repeating: dy > 0 ? Move.down : Move.up, count: abs(dy))
            } else {
                actions += Array(repeating: dy > 0 ? Move.down : Move.up, count: abs(dy))
                actions += Array(repeating: dx > 0 ? Move.right : Move.left, count: abs(dx))
            }
            let r = try play(env, actions)
            XCTAssertTrue(r.terminated)
            XCTAssertEqual(r.reward, successReward(steps: actions.count, maxSteps: 32), accuracy: 1e-6)
        }
    }

    func testMovesAgainstWallsStayAndFaceTheMove() throws {
        let env = try GoToTargetGridWorld(size: 6, options: GridWorldOptions(observation: .full))  // interior 1…4
        var checked = 0
        for seed in 0..<30 {
            _ = env.reset(seed: UInt64(seed))
            let s = env.snapshot
            let t = s.position(of: GridCell.goalObject)!
            if t.x == s.agentX && t.y < s.agentY { continue }  // the target is on the way up
            // Six pushes up: the agent climbs to row 1 and then stays against the north wall.
            for _ in 0..<6 { XCTAssertFalse(try env.step(Move.up).terminated) }
            XCTAssertEqual(env.snapshot.agentY, 1)
            XCTAssertEqual(env.snapshot.agentX, s.agentX)
            XCTAssertEqual(env.snapshot.agentDirection, 3)
            XCTAssertEqual(env.snapshot.stepCount, 6)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 10)
    }

    func testPixelObservationShowsTargetAndAgent() throws {
        let env = try GoToTargetGridWorld(size: 8)
        let obs = env.reset(seed: 11)
        XCTAssertEqual(obs.shape, [3, 64, 64])
        let s = env.snapshot
        let t = s.position(of: GridCell.goalObject)!
        func rgb(_ x: Int, _ y: Int) -> [Float] { (0..<3).map { at(obs, $0, y, x) } }
        XCTAssertEqual(rgb(8 * t.x + 4, 8 * t.y + 4), [0, 1, 0])
        XCTAssertEqual(rgb(8 * s.agentX + 4, 8 * s.agentY + 4), [1, 0, 0])
        XCTAssertTrue(obs.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
    }
}
