import LatticeRL
import LatticeTensor
import XCTest
@testable import MinAtar

final class AsterixTests: XCTestCase {
    func testFirstSpawnAtStep11AndMovesAt6_11_16() throws {
        let env = try Asterix(options: exactOptions)
        _ = env.reset(seed: 3)
        var moveTimerAfter: [Int] = []
        for step in 1...16 {
            let (t, obs) = try take(env, 0)
            XCTAssertFalse(t.terminated)
            moveTimerAfter.append(env.game.moveTimer)
            if step <= 10 {
                XCTAssertEqual(env.game.occupied, 0, "nothing before step 11 (step \(step))")
            } else {
                XCTAssertEqual(env.game.occupied.nonzeroBitCount, 1, "one entity from step 11 (step \(step))")
                let slot = env.game.occupied.trailingZeroBitCount
                let right = env.game.movingRight & env.game.occupied != 0
                // Spawned at the edge in step 11 and moved in the same step (move at 11), again at 16.
                let moved = step < 16 ? 1 : 2
                XCTAssertEqual(Int(env.game.entityX[slot]), right ? moved : 9 - moved, "step \(step)")
                let kind = env.game.gold & env.game.occupied != 0 ? 3 : 1
                XCTAssertEqual(cell(obs, kind, slot + 1, right ? moved : 9 - moved), 1)
                XCTAssertEqual(cell(obs, 2, slot + 1, right ? moved - 1 : 10 - moved), 1, "trail behind")
            }
        }
        // The move timer is 0 at the start of steps 6, 11, 16: after them it reads 4 (reset to 5, minus 1).
        XCTAssertEqual(moveTimerAfter, [4, 3, 2, 1, 0, 4, 3, 2, 1, 0, 4, 3, 2, 1, 0, 4])
    }

    func testRampSequence() {
        var game = AsterixGame()
        var rng = RandomGenerator(seed: 1)
        game.reset(rng: &rng)
        var changes: [(step: Int, spawn: Int, move: Int)] = []
        var last = (game.spawnSpeed, game.moveSpeed)
        for step in 1...1200 {
            _ = game.act(0, rng: &rng, ramping: true)
            if (game.spawnSpeed, game.moveSpeed) != last {
                last = (game.spawnSpeed, game.moveSpeed)
                changes.append((step, last.0, last.1))
            }
        }
        XCTAssertEqual(changes.map(\.step), [102, 204, 306, 408, 510, 612, 714, 816, 918])
        XCTAssertEqual(changes.map(\.spawn), [9, 8, 7, 6, 5, 4, 3, 2, 1])
        XCTAssertEqual(changes.map(\.move), [5, 4, 4, 3, 3, 2, 2, 1, 1])
    }

    func testNoRampingFreezesSpeeds() {
        var game = AsterixGame()
        var rng = RandomGenerator(seed: 1)
        for _ in 0..<1000 { _ = game.act(0, rng: &rng, ramping: false) }
        XCTAssertEqual(game.spawnSpeed, 10)
        XCTAssertEqual(game.moveSpeed, 5)
    }

    func testGoldGivesRewardAndEnemyEndsEpisode() throws {
        let env = try Asterix(minimalActionSet: false, options: exactOptions)
        _ = env.reset(seed: 0)
        // Gold in slot 4 (row 5) at column 4; the player (5, 5) steps left onto it.
        env.game.occupied = 1 << 4
        env.game.gold = 1 << 4
        env.game.entityX[4] = 4
        let (t1, obs1) = try take(env, 1)
        XCTAssertEqual(t1.reward, 1)
        XCTAssertEqual(env.game.occupied, 0)
        XCTAssertEqual(cell(obs1, 0, 5, 4), 1)
        XCTAssertEqual(count(obs1, channel: 3), 0)
        // An enemy there instead ends the episode.
        env.game.occupied = 1 << 4
        env.game.gold = 0
        env.game.entityX[4] = 5
        let (t2, _) = try take(env, 3)
        XCTAssertEqual(t2.reward, 0)
        XCTAssertTrue(t2.terminated)
    }

    func testPlayerStaysInRows1To8() throws {
        let env = try Asterix(options: exactOptions)
        _ = env.reset(seed: 0)
        for _ in 0..<6 { try take(env, 2) }
        XCTAssertEqual(env.game.playerY, 1)
        env.game.occupied = 0
        for _ in 0..<9 { _ = env.game.act(4, rng: &env.core.rng, ramping: false) }
        XCTAssertEqual(env.game.playerY, 8)
    }
}
