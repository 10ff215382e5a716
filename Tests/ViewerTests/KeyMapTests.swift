import LatticeRuntime
import XCTest

/// Key maps against the MinAtar spec's action sets and the grid-world action tables.
final class KeyMapTests: XCTestCase {
    func testMinAtarV1MapsSemanticActionsToTheMinimalSetIndex() {
        // Breakout v1 = [n, l, r]: l → 1, r → 2; no fire, no up.
        let breakout = KeyMap.forEnvironment("MinAtar/Breakout-v1", actionCount: 3)
        XCTAssertEqual(breakout.actions[.left], 1)
        XCTAssertEqual(breakout.actions[.right], 2)
        XCTAssertNil(breakout.actions[.space])
        XCTAssertNil(breakout.actions[.up])
        XCTAssertEqual(breakout.idleAction, 0)
        XCTAssertTrue(breakout.isRealTime)
        XCTAssertEqual(breakout.actionNames, ["NOOP", "LEFT", "RIGHT"])
        // SpaceInvaders v1 = [n, l, r, f]: fire → 3.
        XCTAssertEqual(KeyMap.forEnvironment("MinAtar/SpaceInvaders-v1", actionCount: 4).actions[.space], 3)
        // Freeway v1 = [n, u, d].
        let freeway = KeyMap.forEnvironment("MinAtar/Freeway-v1", actionCount: 3)
        XCTAssertEqual(freeway.actions[.up], 1)
        XCTAssertEqual(freeway.actions[.down], 2)
        // v0: the full set, index = action.
        let full = KeyMap.forEnvironment("MinAtar/Breakout-v0", actionCount: 6)
        XCTAssertEqual(full.actions[.down], 4)
        XCTAssertEqual(full.actions[.space], 5)
    }

    func testGridWorldsAreTurnBased() {
        let empty = KeyMap.forEnvironment("GridWorld/Empty-8x8-v0", actionCount: 7)
        XCTAssertFalse(empty.isRealTime)
        XCTAssertEqual(empty.actions[.left], 0)
        XCTAssertEqual(empty.actions[.right], 1)
        XCTAssertEqual(empty.actions[.up], 2)
        XCTAssertEqual(empty.actions[.character("p")], 3)
        XCTAssertEqual(empty.actions[.character("d")], 4)
        XCTAssertEqual(empty.actions[.space], 5)
        XCTAssertEqual(empty.actions[.character("t")], 5)
        let target = KeyMap.forEnvironment("GridWorld/GoToTarget-8x8-v0", actionCount: 4)
        XCTAssertEqual(target.actions[.up], 0)
        XCTAssertEqual(target.actions[.down], 1)
        XCTAssertEqual(target.actions[.left], 2)
        XCTAssertEqual(target.actions[.right], 3)
        let other = KeyMap.forEnvironment("Other/Thing-v0", actionCount: 3)
        XCTAssertEqual(other.actions[.character("2")], 2)
        XCTAssertNil(other.actions[.character("3")])
    }
}
