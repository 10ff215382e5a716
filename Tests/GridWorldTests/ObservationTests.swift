import GridWorld
import LatticeRL
import LatticeTensor
import XCTest

final class ObservationTests: XCTestCase {
    func testEgocentricOcclusionBehindAWallFacingUp() throws {
        // Agent at (4,5) facing up; a key right ahead; a wall across row 2; outside the map is wall.
        let env = try MapGridWorld(ascii: """
            .........
            .........
            #########
            .........
            ....K....
            ....^....
            """)
        let obs = env.reset(seed: nil)
        XCTAssertEqual(obs.shape, [20, 7, 7])
        XCTAssertEqual(env.observationSpace, .box(shape: [20, 7, 7], low: 0, high: 1))
        // Bottom centre: the agent's own cell, empty (it holds nothing).
        XCTAssertEqual(objectAt(obs, 6, 3), 1)
        // Straight ahead: the yellow key.
        XCTAssertEqual(objectAt(obs, 5, 3), 5)
        XCTAssertEqual(at(obs, 11 + 4, 5, 3), 1)
        // View row 3 is the wall row: seen, grey.
        for x in 0..<7 {
            XCTAssertEqual(objectAt(obs, 3, x), 2)
            XCTAssertEqual(at(obs, 11 + 5, 3, x), 1)
            XCTAssertEqual(objectAt(obs, 4, x), 1)
        }
        // Rows 0–2 are behind the wall: unseen (object 0), no colour or state set.
        for y in 0..<3 {
            for x in 0..<7 {
                XCTAssertEqual(objectAt(obs, y, x), 0, "view (\(y), \(x))")
                for c in 11..<20 { XCTAssertEqual(at(obs, c, y, x), 0) }
            }
        }
        XCTAssertEqual(obs.scalars.reduce(0, +), Float(49 + 7 + 1), "one object per cell, 7 grey walls, 1 yellow key")
    }

    func testEgocentricViewTurnsWithTheAgent() throws {
        // Empty-5x5 start: (1,1) facing right; forward is +x, the agent's right hand is +y.
        let env = try EmptyGridWorld(size: 5)
        let obs = env.reset(seed: 0)
        // view (col, row) = world (1 + (6 − row), 1 + (col − 3)): the goal (3,3) is at view col 5, row 4.
        XCTAssertEqual(objectAt(obs, 4, 5), 8)
        XCTAssertEqual(at(obs, 11 + 1, 4, 5), 1, "green")
        XCTAssertEqual(objectAt(obs, 5, 3), 1, "(2,1) ahead is empty")
        XCTAssertEqual(objectAt(obs, 3, 3), 2, "(4,1) is the east wall")
        XCTAssertEqual(objectAt(obs, 6, 2), 2, "(1,0) on the left hand is the north wall")
        XCTAssertEqual(objectAt(obs, 6, 5), 1, "(1,3) on the right hand is empty")
        XCTAssertEqual(objectAt(obs, 2, 3), 0, "beyond the east wall is unseen")
        // Turn left (facing up): the goal is now behind the agent, out of view; ahead (1,0) is a wall.
        let up = try env.step(Act.left).observation
        XCTAssertEqual(objectAt(up, 5, 3), 2)
        for y in 0..<7 { for x in 0..<7 { XCTAssertNotEqual(objectAt(up, y, x), 8) } }
    }

    func testEgocentricShowsCarriedObjectAtAgentCell() throws {
        let env = try MapGridWorld(ascii: "#####\n#>K.#\n#####")
        _ = env.reset(seed: nil)
        let obs = try env.step(Act.pickup).observation
        XCTAssertEqual(objectAt(obs, 6, 3), 5)
        XCTAssertEqual(objectAt(obs, 5, 3), 1, "the key's old cell is empty now")
    }

    func testClosedDoorOccludesOpenDoorDoesNot() throws {
        let env = try MapGridWorld(ascii: """
            #G#
            #.#
            #d#
            #^#
            """)
        var obs = env.reset(seed: nil)
        XCTAssertEqual(objectAt(obs, 5, 3), 4)
        XCTAssertEqual(at(obs, 17 + 1, 5, 3), 1, "door state closed")
        XCTAssertEqual(objectAt(obs, 4, 3), 0, "behind the closed door: unseen")
        obs = try env.step(Act.toggle).observation
        XCTAssertEqual(at(obs, 17 + 0, 5, 3), 1, "door state open")
        XCTAssertEqual(objectAt(obs, 4, 3), 1)
        XCTAssertEqual(objectAt(obs, 3, 3), 8, "the goal is visible through the open door")
    }

    func testFullObservation() throws {
        let env = try EmptyGridWorld(size: 5, options: GridWorldOptions(observation: .full))
        let obs = env.reset(seed: 0)
        XCTAssertEqual(obs.shape, [24, 5, 5])
        XCTAssertEqual(objectAt(obs, 1, 1), 10, "agent at (1,1)")
        XCTAssertEqual(at(obs, 11, 1, 1), 1, "agent red")
        XCTAssertEqual(at(obs, 20, 1, 1), 1, "agent faces right")
        XCTAssertEqual(objectAt(obs, 3, 3), 8)
        XCTAssertEqual(at(obs, 12, 3, 3), 1)
        XCTAssertEqual(objectAt(obs, 0, 0), 2)
        XCTAssertEqual(at(obs, 16, 0, 0), 1)
        XCTAssertEqual(objectAt(obs, 2, 2), 1)
        XCTAssertEqual(obs.scalars.reduce(0, +), Float(25 + 16 + 1 + 1 + 1), "objects, grey walls, green goal, red agent, direction")
        let moved = try env.step(Act.right).observation
        XCTAssertEqual(at(moved, 21, 1, 1), 1, "agent faces down")
        XCTAssertEqual(at(moved, 20, 1, 1), 0)
    }

    func testPixelObservationAndRender() throws {
        let env = try EmptyGridWorld(size: 5, options: GridWorldOptions(observation: .pixels, renderScale: 16))
        let obs = env.reset(seed: 0)
        XCTAssertEqual(obs.shape, [3, 40, 40])
        func rgb(_ x: Int, _ y: Int) -> [Float] { (0..<3).map { at(obs, $0, y, x) } }
        XCTAssertEqual(rgb(4, 4), [100 / 255, 100 / 255, 100 / 255], "wall (0,0) grey")
        XCTAssertEqual(rgb(3 * 8 + 4, 3 * 8 + 4), [0, 1, 0], "goal (3,3) green")
        XCTAssertEqual(rgb(2 * 8 + 4, 2 * 8 + 4), [0, 0, 0], "empty (2,2) black")
        XCTAssertEqual(rgb(8 + 4, 8 + 4), [1, 0, 0], "agent (1,1) red")
        XCTAssertEqual(rgb(8 + 0, 8 + 0), [0, 0, 0], "tile corner outside the triangle")
        let frame = try XCTUnwrap(env.render())
        XCTAssertEqual(frame.width, 80); XCTAssertEqual(frame.height, 80)
        XCTAssertTrue(frame.pixel(x: 8, y: 8) == (100, 100, 100))
        XCTAssertTrue(frame.pixel(x: 3 * 16 + 8, y: 3 * 16 + 8) == (0, 255, 0))
        XCTAssertTrue(frame.pixel(x: 16 + 8, y: 16 + 8) == (255, 0, 0))
        XCTAssertTrue(frame.pixel(x: 2 * 16 + 8, y: 2 * 16 + 8) == (0, 0, 0))
        let doorKey = try MapGridWorld(ascii: "######\n#>KDL#\n######", options: GridWorldOptions(renderScale: 32))
        _ = doorKey.reset(seed: nil)
        let f = try XCTUnwrap(doorKey.render())
        XCTAssertTrue(f.pixel(x: 2 * 32 + 18, y: 32 + 24) == (255, 255, 0), "key shaft yellow")
        XCTAssertTrue(f.pixel(x: 3 * 32 + 1, y: 32 + 1) == (255, 255, 0), "door frame yellow")
        XCTAssertTrue(f.pixel(x: 4 * 32 + 2, y: 32 + 2) == (255, 128, 0), "lava orange")
    }
}
