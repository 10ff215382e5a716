import LatticeRL
import LatticeTensor
import XCTest
@testable import MinAtar

final class FreewayTests: XCTestCase {
    func testEpisodeLastsExactly2501Steps() throws {
        let env = try Freeway(minimalActionSet: false, options: MinAtarOptions())
        var actions = RandomGenerator(seed: 42)
        for seed in [UInt64(1), 2] {
            _ = env.reset(seed: seed)
            for step in 1...2500 {
                let (t, _) = try take(env, actions.nextInt(below: 6))
                XCTAssertFalse(t.terminated, "step \(step)")
                if t.terminated { return }
            }
            let (t, _) = try take(env, 0)
            XCTAssertTrue(t.terminated, "ends at act 2501")
            XCTAssertFalse(t.truncated)
        }
    }

    func testResetCars() throws {
        let env = try Freeway(options: exactOptions)
        let obs = env.reset(seed: 7).scalars
        XCTAssertEqual(cell(obs, 0, 9, 4), 1)
        for i in 0..<8 {
            XCTAssertEqual(env.game.carX[i], 0)
            let s = abs(Int(env.game.carSpeed[i]))
            XCTAssertTrue((1...5).contains(s))
            XCTAssertEqual(Int(env.game.carTimer[i]), s)
            XCTAssertEqual(cell(obs, 1, i + 1, 0), 1)
            XCTAssertEqual(cell(obs, 1 + s, i + 1, env.game.carSpeed[i] > 0 ? 9 : 1), 1, "trail wraps")
        }
    }

    func testCarOfSpeedSMovesEverySPlusOneSteps() throws {
        let env = try Freeway(options: exactOptions)
        _ = env.reset(seed: 0)
        let speeds: [Int32] = [1, 2, 3, 4, 5, -1, -3, -5]
        for i in 0..<8 {
            env.game.carSpeed[i] = speeds[i]
            env.game.carTimer[i] = abs(speeds[i])
            env.game.carX[i] = 0
        }
        var moves = [[Int]](repeating: [], count: 8)
        var previous = env.game.carX
        for step in 1...24 {
            try take(env, 0)
            for i in 0..<8 where env.game.carX[i] != previous[i] { moves[i].append(step) }
            previous = env.game.carX
        }
        XCTAssertEqual(moves[0], Array(stride(from: 2, through: 24, by: 2)))
        XCTAssertEqual(moves[1], [3, 6, 9, 12, 15, 18, 21, 24])
        XCTAssertEqual(moves[4], [6, 12, 18, 24])
        XCTAssertEqual(moves[7], [6, 12, 18, 24])
        XCTAssertEqual(env.game.carX[4], 4, "speed 5 right: 4 moves")
        XCTAssertEqual(env.game.carX[7], 6, "speed 5 left wraps 0 → 9 → 8 → 7 → 6")
    }

    func testChickenMovesEvery3StepsAndScores() throws {
        let env = try Freeway(options: exactOptions)  // v1: [n, u, d]
        _ = env.reset(seed: 0)
        for i in 0..<8 {  // Slow leftward cars starting at column 0 stay clear of column 4 for 29 steps.
            env.game.carSpeed[i] = -5
            env.game.carTimer[i] = 5
            env.game.carX[i] = 0
        }
        var rowsAfter: [Int] = []
        var rewardSteps: [Int] = []
        for step in 1...28 {
            let (t, _) = try take(env, 1)
            rowsAfter.append(env.game.chickenY)
            if t.reward != 0 { rewardSteps.append(step) }
        }
        XCTAssertEqual(Array(rowsAfter[0..<10]), [9, 9, 9, 8, 8, 8, 7, 7, 7, 6])
        XCTAssertEqual(rewardSteps, [28], "9 moves at steps 4, 7, ..., 28")
        XCTAssertEqual(rowsAfter.last, 9, "back to the bottom after crossing")
    }

    func testHitSendsChickenBack() throws {
        let env = try Freeway(options: exactOptions)
        _ = env.reset(seed: 0)
        for i in 0..<8 { env.game.carSpeed[i] = -5; env.game.carTimer[i] = 5; env.game.carX[i] = 0 }
        env.game.chickenY = 8
        env.game.carSpeed[7] = 1  // Row 8, moving right onto column 4 this step.
        env.game.carTimer[7] = 0
        env.game.carX[7] = 3
        let (t, obs) = try take(env, 0)
        XCTAssertEqual(t.reward, 0)
        XCTAssertEqual(env.game.chickenY, 9)
        XCTAssertEqual(cell(obs, 0, 9, 4), 1)
        XCTAssertEqual(cell(obs, 2, 8, 3), 1, "speed-1 trail behind the car")
    }
}
