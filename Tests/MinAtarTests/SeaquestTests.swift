import LatticeRL
import LatticeTensor
import XCTest
@testable import MinAtar

final class SeaquestTests: XCTestCase {
    func makeEnv() throws -> Seaquest {
        let env = try Seaquest(options: exactOptions)
        _ = env.reset(seed: 5)
        return env
    }

    /// Stops enemy and diver spawns (their timers only count down while positive).
    func silence(_ env: Seaquest) {
        env.game.enemySpawnTimer = 1_000_000
        env.game.diverSpawnTimer = 1_000_000
    }

    func testFirstEnemyAt21FirstDiverAt31AndEnemyMovesEvery6() throws {
        let env = try makeEnv()
        var enemyX: Int32 = -1
        for step in 1...32 {
            let (t, _) = try take(env, 0)  // Waiting on the surface is safe: enemies live on rows 1-8.
            XCTAssertFalse(t.terminated)
            let enemies = env.game.fish.count + env.game.subs.count
            XCTAssertEqual(enemies, step < 21 ? 0 : 1, "step \(step)")
            XCTAssertEqual(env.game.divers.count, step < 31 ? 0 : 1, "step \(step)")
            if step >= 21 {
                let e = env.game.fish.count == 1 ? env.game.fish[0] : env.game.subs[0]
                if step == 21 { enemyX = e.x }
                // Pattern B with interval 5: timer 5 counts 4, 3, 2, 1, 0 over steps 21-25, so the enemy
                // moves at steps 26 and 32 (every 6 steps).
                let moves: Int32 = step >= 32 ? 2 : (step >= 26 ? 1 : 0)
                let expected = enemyX + moves * e.dx
                XCTAssertEqual(e.x, expected, "step \(step)")
            }
        }
        XCTAssertTrue(enemyX == 0 || enemyX == 9)
    }

    func testOxygenRunsOutOnThe201stActUnderWater() throws {
        let env = try makeEnv()
        silence(env)
        for act in 1...200 {
            let (t, obs) = try take(env, act == 1 ? 4 : 0)
            XCTAssertFalse(t.terminated, "act \(act)")
            if act == 1 {
                XCTAssertEqual(env.game.oxygen, 199)
                XCTAssertEqual(count(obs, channel: 7), 9, "gauge: 199·10/200 = 9 cells")
            }
        }
        XCTAssertEqual(env.game.oxygen, 0)
        let (t, _) = try take(env, 0)
        XCTAssertTrue(t.terminated)
    }

    func testSurfacingWithoutDiversEndsEpisode() throws {
        let env = try makeEnv()
        silence(env)
        try take(env, 4)
        let (t, _) = try take(env, 2)
        XCTAssertTrue(t.terminated)
    }

    func testFullRescueBonusAndMinusOneQuirk() throws {
        let env = try makeEnv()
        silence(env)
        try take(env, 4)  // Dive.
        env.game.diverCount = 6
        env.game.oxygen = 150
        let (t1, obs1) = try take(env, 2)  // Surface with a full crew.
        XCTAssertFalse(t1.terminated)
        XCTAssertEqual(t1.reward, 7, "150·10/200 = 7")
        XCTAssertEqual(env.game.diverCount, -1, "reference quirk: 6 → 0 → −1")
        XCTAssertEqual(env.game.oxygen, 200)
        XCTAssertEqual(count(obs1, channel: 8), 0, "no diver gauge below 1")
        XCTAssertEqual(count(obs1, channel: 7), 10)
        XCTAssertEqual(env.game.enemySpawnSpeed, 19, "ramp on surfacing")
        XCTAssertEqual(env.game.moveSpeed, 5, "move speed ramps on odd ramps only")
        XCTAssertEqual(env.game.rampIndex, 1)
        // With −1 divers the next surfacing does not end the episode.
        try take(env, 4)
        let (t2, _) = try take(env, 2)
        XCTAssertFalse(t2.terminated)
        XCTAssertEqual(t2.reward, 0)
        XCTAssertEqual(env.game.diverCount, -2)
        XCTAssertEqual(env.game.moveSpeed, 4)
        XCTAssertEqual(env.game.enemySpawnSpeed, 18)
    }

    func testPartialSurfacingUsesOneDiverAndGauge() throws {
        let env = try makeEnv()
        silence(env)
        try take(env, 4)
        env.game.diverCount = 3
        let (_, obsUnder) = try take(env, 0)
        XCTAssertEqual((0..<10).map { cell(obsUnder, 8, 9, $0) }, [0, 0, 0, 0, 0, 0, 1, 1, 1, 0])
        let (t, obs) = try take(env, 2)
        XCTAssertFalse(t.terminated)
        XCTAssertEqual(t.reward, 0)
        XCTAssertEqual(env.game.diverCount, 2)
        XCTAssertEqual((0..<10).map { cell(obs, 8, 9, $0) }, [0, 0, 0, 0, 0, 0, 0, 1, 1, 0])
    }

    func testFireCooldownAndBulletKillsFish() throws {
        let env = try makeEnv()
        silence(env)
        var shots: [Int] = []
        for step in 1...11 {
            let before = env.game.shotTimer
            try take(env, 5)
            if before == 0 { shots.append(step) }
        }
        XCTAssertEqual(shots, [1, 6, 11])
        // A fish one cell left of the sub; the bullet appears on the sub and moves onto the fish.
        let fresh = try makeEnv()
        silence(fresh)
        fresh.game.subY = 2
        fresh.game.fish.append(SeaquestEntity(x: 4, y: 2, dx: -1, moveTimer: 3))
        let (t, obs) = try take(fresh, 5)
        XCTAssertEqual(t.reward, 1)
        XCTAssertEqual(fresh.game.fish.count, 0)
        XCTAssertEqual(fresh.game.friendlyBullets.count, 0)
        XCTAssertEqual(count(obs, channel: 5), 0)
        XCTAssertEqual(cell(obs, 0, 2, 5), 1)
        XCTAssertEqual(cell(obs, 1, 2, 6), 1, "facing left: back at x+1")
    }

    func testDestroyedSubStillFires() throws {
        let env = try makeEnv()
        silence(env)
        // A friendly bullet moving left reaches (4, 4); the sub at (3, 4) moves right onto it and dies,
        // but its shot timer (0) still fires from (4, 4); that bullet then moves to (5, 4).
        env.game.friendlyBullets.append(SeaquestEntity(x: 5, y: 4, dx: -1))
        env.game.subs.append(SeaquestEntity(x: 3, y: 4, dx: 1, moveTimer: 0, shotTimer: 0))
        let (t, obs) = try take(env, 0)
        XCTAssertEqual(t.reward, 1)
        XCTAssertEqual(env.game.subs.count, 0)
        XCTAssertEqual(env.game.enemyBullets.count, 1)
        XCTAssertEqual([env.game.enemyBullets[0].x, env.game.enemyBullets[0].y], [5, 4])
        XCTAssertEqual(cell(obs, 4, 4, 5), 1)
    }

    func testEnemySubMovingOntoPlayerEndsEpisode() throws {
        let env = try makeEnv()
        silence(env)
        env.game.subY = 3
        env.game.subs.append(SeaquestEntity(x: 4, y: 3, dx: 1, moveTimer: 0, shotTimer: 5))
        let (t, _) = try take(env, 0)
        XCTAssertTrue(t.terminated, "sub moves onto the player")
    }

    func testSpawnSkippedWhenRowHasOppositeTraffic() throws {
        let env = try makeEnv()
        silence(env)
        for row in 1...8 {  // Left-moving fish that never move, one per row.
            env.game.fish.append(SeaquestEntity(x: 9, y: Int32(row), dx: -1, moveTimer: 1_000_000))
        }
        for _ in 0..<60 {
            env.game.enemySpawnTimer = 0
            try take(env, 0)
        }
        let all = (0..<env.game.fish.count).map { env.game.fish[$0] } + (0..<env.game.subs.count).map { env.game.subs[$0] }
        XCTAssertTrue(all.allSatisfy { $0.dx == -1 }, "right-moving spawns are skipped")
        XCTAssertGreaterThan(all.count, 8 + 10, "left-moving spawns go ahead (about 30 of 60 expected)")
        XCTAssertLessThan(all.count, 8 + 50)
    }

    func testDiverPickupAndDiverMovesEvery6() throws {
        let env = try makeEnv()
        silence(env)
        env.game.divers.append(SeaquestEntity(x: 0, y: 1, dx: 1, moveTimer: 5))
        var xs: [Int32] = []
        for _ in 1...7 { try take(env, 0); xs.append(env.game.divers[0].x) }
        XCTAssertEqual(xs, [0, 0, 0, 0, 0, 1, 1])
        env.game.subX = 2
        try take(env, 4)  // Dive to (2, 1); the diver is at (1, 1).
        XCTAssertEqual(env.game.divers.count, 1)
        env.game.divers[0].x = 2
        try take(env, 0)
        XCTAssertEqual(env.game.divers.count, 0)
        XCTAssertEqual(env.game.diverCount, 1)
    }
}
