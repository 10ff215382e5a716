import GridWorld
import LatticeRL
import XCTest

final class DoorKeyTests: XCTestCase {
    /// A hand-drawn DoorKey: the key behind the agent, the door in the splitting wall.
    let map = """
        #####
        #.D.#
        #^#.#
        #K#G#
        #####
        """

    func testDoorBlocksWithoutKeyThenKeyOpensItAndGoalIsReached() throws {
        let env = try MapGridWorld(ascii: map, options: GridWorldOptions(maxSteps: 250))
        _ = env.reset(seed: nil)
        // (1,2) up → (1,1); face right at the locked door (2,1).
        try play(env, [Act.forward, Act.right, Act.forward, Act.toggle, Act.forward])
        var s = env.snapshot
        XCTAssertEqual(s.agentX, 1); XCTAssertEqual(s.agentY, 1)
        XCTAssertEqual(s.cell(x: 2, y: 1), .door(GridCell.yellow, state: GridCell.locked), "no key: stays locked")
        // Down to (1,2), pick up the key at (1,3).
        try play(env, [Act.right, Act.forward, Act.pickup])
        s = env.snapshot
        XCTAssertEqual(s.carrying, .key(GridCell.yellow))
        XCTAssertEqual(s.cell(x: 1, y: 3), .empty)
        // Back up to (1,1), face the door, toggle: it opens, the key stays in hand.
        try play(env, [Act.left, Act.left, Act.forward, Act.right, Act.toggle])
        s = env.snapshot
        XCTAssertEqual(s.cell(x: 2, y: 1), .door(GridCell.yellow, state: GridCell.open))
        XCTAssertEqual(s.carrying, .key(GridCell.yellow))
        XCTAssertEqual(s.stepCount, 13)
        // Through the door to (3,1), down to the goal (3,3): 5 more steps, k = 18.
        let r = try play(env, [Act.forward, Act.forward, Act.right, Act.forward, Act.forward])
        XCTAssertTrue(r.terminated)
        XCTAssertFalse(r.truncated)
        XCTAssertEqual(r.reward, 1 - 0.9 * 18 / 250, accuracy: 1e-6)  // 0.9352
    }

    func testOpenDoorClosesAgainAndReopensWithoutKey() throws {
        let env = try MapGridWorld(ascii: "#####\n#>d.#\n#####")
        _ = env.reset(seed: nil)
        try play(env, [Act.forward, Act.toggle])
        XCTAssertEqual(env.snapshot.cell(x: 2, y: 1).state, GridCell.open)
        try play(env, [Act.toggle, Act.forward])
        XCTAssertEqual(env.snapshot.cell(x: 2, y: 1).state, GridCell.closed)
        XCTAssertEqual(env.snapshot.agentX, 1)
        try play(env, [Act.toggle, Act.forward])
        XCTAssertEqual(env.snapshot.agentX, 2, "standing in the open doorway")
    }

    func testDoorKey5x5LayoutOverSeeds() throws {
        let env = try DoorKeyGridWorld(size: 5)
        XCTAssertEqual(env.maxSteps, 250)
        var doorRows = Set<Int>()
        for seed in 0..<60 {
            _ = env.reset(seed: UInt64(seed))
            let s = env.snapshot
            // Size 5: the split column is 2 ([2, size − 3]); the door row is 1 or 2 ([1, size − 3]).
            let doorRow = try XCTUnwrap((0..<5).first { s.cell(x: 2, y: $0).object == GridCell.doorObject })
            doorRows.insert(doorRow)
            XCTAssertEqual(s.cell(x: 2, y: doorRow), .door(GridCell.yellow, state: GridCell.locked))
            for y in 0..<5 where y != doorRow { XCTAssertEqual(s.cell(x: 2, y: y), .wall) }
            XCTAssertEqual(s.cell(x: 3, y: 3), .goal)
            XCTAssertEqual(s.agentX, 1)
            let key = try XCTUnwrap(s.position(of: GridCell.keyObject))
            XCTAssertEqual(key.x, 1)
            XCTAssertNotEqual(key.y, s.agentY)
            XCTAssertNil(s.carrying)
        }
        XCTAssertEqual(doorRows, [1, 2])
    }

    func testScriptedSolutionOfDoorKey5x5OverSeeds() throws {
        let env = try DoorKeyGridWorld(size: 5)
        for seed in 0..<30 {
            _ = env.reset(seed: UInt64(seed))
            let s = env.snapshot
            let key = s.position(of: GridCell.keyObject)!
            let doorRow = (0..<5).first { s.cell(x: 2, y: $0).object == GridCell.doorObject }!
            var actions: [Int] = []
            var dir = s.agentDirection
            var y = s.agentY
            func face(_ d: Int) { actions += turns(from: dir, to: d); dir = d }
            // Walk up or down column 1 to the cell next to the key and pick it up.
            face(key.y < y ? 3 : 1)
            let toKey = abs(key.y - y) - 1
            actions += Array(repeating: Act.forward, count: toKey)
            y += (key.y < y ? -1 : 1) * toKey
            actions.append(Act.pickup)
            // Walk to the door's row, face it, open it, go through to x = 3, then down to the goal row 3.
            if doorRow != y {
                face(doorRow < y ? 3 : 1)
                actions += Array(repeating: Act.forward, count: abs(doorRow - y))
            }
            face(0)
            actions += [Act.toggle, Act.forward, Act.forward]
            face(1)
            actions += Array(repeating: Act.forward, count: 3 - doorRow)
            let r = try play(env, actions)
            XCTAssertTrue(r.terminated, "seed \(seed)")
            XCTAssertEqual(r.reward, successReward(steps: actions.count, maxSteps: 250), accuracy: 1e-6, "seed \(seed)")
        }
    }
}
