import LatticeRL
import LatticeTensor
import XCTest
@testable import MinAtar

final class SpaceInvadersTests: XCTestCase {
    /// Columns holding an alien, as a sorted list, and the rows holding one.
    func extent(_ game: SpaceInvadersGame) -> (columns: [Int], rows: [Int]) {
        var columnMask: UInt16 = 0
        var rows: [Int] = []
        for r in 0..<10 where game.aliens[r] != 0 { columnMask |= game.aliens[r]; rows.append(r) }
        return ((0..<10).filter { columnMask & (1 << UInt16($0)) != 0 }, rows)
    }

    func testResetBlock() throws {
        let env = try SpaceInvaders(options: exactOptions)
        let obs = env.reset(seed: 0).scalars
        XCTAssertEqual(count(obs, channel: 1), 24)
        XCTAssertEqual(count(obs, channel: 2), 24, "block moves left at the start")
        XCTAssertEqual(count(obs, channel: 3), 0)
        XCTAssertEqual(cell(obs, 1, 0, 2), 1)
        XCTAssertEqual(cell(obs, 1, 3, 7), 1)
        XCTAssertEqual(cell(obs, 1, 4, 7), 0)
        XCTAssertEqual(cell(obs, 0, 9, 5), 1)
    }

    func testAlienMovesAt13ThenEvery12AndShotsAt11_21_31() {
        var game = SpaceInvadersGame()
        var rng = RandomGenerator(seed: 0)
        game.reset(rng: &rng)
        var moveSteps: [Int] = []
        var shotSteps: [Int] = []
        var extents: [(columns: [Int], rows: [Int])] = []
        for step in 1...49 {
            let aliensBefore = game.aliens
            var bulletsBefore = 0
            for r in 0..<10 { bulletsBefore += game.enemyBullets[r].nonzeroBitCount }
            _ = game.act(0, rng: &rng, ramping: true)  // The rules run on even after the cannon is hit.
            var bulletsAfter = 0
            for r in 0..<10 { bulletsAfter += game.enemyBullets[r].nonzeroBitCount }
            if game.aliens != aliensBefore { moveSteps.append(step); extents.append(extent(game)) }
            if bulletsAfter > bulletsBefore { shotSteps.append(step) }
        }
        XCTAssertEqual(moveSteps, [13, 25, 37, 49])
        XCTAssertEqual(shotSteps, [11, 21, 31, 41])
        XCTAssertEqual(extents[0].columns, Array(1...6))
        XCTAssertEqual(extents[1].columns, Array(0...5))
        XCTAssertEqual(extents[2].columns, Array(0...5), "at the left edge: step down, reverse")
        XCTAssertEqual(extents[2].rows, Array(1...4))
        XCTAssertEqual(extents[3].columns, Array(1...6), "now moving right")
        XCTAssertEqual(game.alienDirection, 1)
    }

    func testFirstAlienShotKillsIdleCannonAtStep17() throws {
        let env = try SpaceInvaders(options: exactOptions)
        _ = env.reset(seed: 0)
        // Shot at step 11 from the lowest alien of column 5 (row 3); it reaches row 9 at step 17.
        for step in 1...16 {
            let (t, obs) = try take(env, 0)
            XCTAssertFalse(t.terminated, "step \(step)")
            if step == 11 { XCTAssertEqual(cell(obs, 5, 3, 5), 1); XCTAssertEqual(count(obs, channel: 5), 1) }
        }
        let (t, _) = try take(env, 0)
        XCTAssertTrue(t.terminated)
    }

    func testShotTargetsNearestColumnWithTiesToTheLeft() {
        var game = SpaceInvadersGame()
        game.aliens = SIMD16<UInt16>(repeating: 0)
        game.aliens[1] = (1 << 3) | (1 << 7)  // Columns 3 and 7, both 2 from the cannon at 5.
        game.aliens[2] = 1 << 3               // Column 3's lowest alien is on row 2.
        game.alienShotTimer = 0
        game.alienMoveTimer = 5
        var rng = RandomGenerator(seed: 0)
        _ = game.act(0, rng: &rng, ramping: true)
        XCTAssertEqual(game.enemyBullets[2], 1 << 3)
        XCTAssertEqual(game.enemyBullets[1], 0)
    }

    func testKillGivesOnePoint() throws {
        let env = try SpaceInvaders(options: exactOptions)  // v1: [n, l, r, f]
        _ = env.reset(seed: 0)
        let (t1, obs1) = try take(env, 3)  // Fire: the bullet is already on row 8.
        XCTAssertEqual(cell(obs1, 4, 8, 5), 1)
        XCTAssertEqual(env.core.lastAction, 5)
        var rewards: [Float] = [t1.reward]
        for _ in 2...6 { rewards.append(try take(env, 0).0.reward) }
        XCTAssertEqual(rewards, [0, 0, 0, 0, 0, 1], "row 8 → 3 in five steps; alien (3, 5) destroyed")
        XCTAssertEqual(env.game.alienCount, 23)
    }

    func testFireCooldownAndNoMoveWhenFiring() throws {
        let env = try SpaceInvaders(minimalActionSet: false, options: exactOptions)
        _ = env.reset(seed: 0)
        var fired: [Int] = []
        for step in 1...11 {
            let before = env.game.shotTimer
            try take(env, 5)
            if before == 0 { fired.append(step) }
        }
        XCTAssertEqual(fired, [1, 6, 11])
        XCTAssertEqual(env.game.cannonX, 5)
    }

    func testWaveRespawnRampsAndKeepsDirection() throws {
        let env = try SpaceInvaders(options: exactOptions)
        _ = env.reset(seed: 0)
        env.game.aliens = SIMD16<UInt16>(repeating: 0)
        env.game.aliens[3] = 1 << 5
        env.game.friendlyBullets[4] = 1 << 5
        env.game.alienDirection = 1
        env.game.alienMoveTimer = 7
        let (t, obs) = try take(env, 0)
        XCTAssertEqual(t.reward, 1)
        XCTAssertEqual(env.game.alienCount, 24, "new wave")
        XCTAssertEqual(env.game.enemyMoveInterval, 11)
        XCTAssertEqual(env.game.rampIndex, 1)
        XCTAssertEqual(env.game.alienDirection, 1)
        XCTAssertEqual(env.game.alienMoveTimer, 6)
        XCTAssertEqual(count(obs, channel: 3), 24, "moving right → channel 3")
    }

    func testSingleAlienMovesEveryStep() {
        var game = SpaceInvadersGame()
        game.aliens = SIMD16<UInt16>(repeating: 0)
        game.aliens[0] = 1 << 5
        game.alienMoveTimer = 0
        game.alienShotTimer = 100
        var rng = RandomGenerator(seed: 0)
        var columns: [Int] = []
        for _ in 0..<4 {
            _ = game.act(0, rng: &rng, ramping: false)
            columns.append(game.aliens[0].trailingZeroBitCount)
        }
        XCTAssertEqual(columns, [4, 3, 2, 1])
    }

    func testNoRampingKeepsInterval() throws {
        var game = SpaceInvadersGame()
        game.aliens = SIMD16<UInt16>(repeating: 0)
        game.aliens[3] = 1 << 5
        game.friendlyBullets[4] = 1 << 5
        var rng = RandomGenerator(seed: 0)
        _ = game.act(0, rng: &rng, ramping: false)
        XCTAssertEqual(game.enemyMoveInterval, 12)
        XCTAssertEqual(game.alienCount, 24)
    }
}

extension SpaceInvadersTests {
    func testRampIndexAccessor() throws {
        let env = try SpaceInvaders(options: exactOptions)
        _ = env.reset(seed: 0)
        XCTAssertEqual(env.rampIndex, 0)
        env.game.aliens = SIMD16<UInt16>(repeating: 0)
        env.game.aliens[3] = 1 << 5
        env.game.friendlyBullets[4] = 1 << 5
        try take(env, 0)
        XCTAssertEqual(env.rampIndex, 1)
    }
}
