import GridWorld
import LatticeRL
import LatticeTensor
import XCTest

/// Action names for MiniGrid's action set.
enum Act {
    static let left = 0, right = 1, forward = 2, pickup = 3, drop = 4, toggle = 5, done = 6
}

/// Absolute moves of GoToTarget.
enum Move {
    static let up = 0, down = 1, left = 2, right = 3
}

/// Runs `actions`, checking that no step before the last ends the episode; returns the last result.
@discardableResult
func play(_ env: any Environment, _ actions: [Int], file: StaticString = #filePath, line: UInt = #line) throws -> StepResult {
    var last: StepResult?
    for (i, a) in actions.enumerated() {
        let r = try env.step(a)
        if i < actions.count - 1 {
            XCTAssertFalse(r.terminated || r.truncated, "episode ended early at step \(i + 1)", file: file, line: line)
        }
        last = r
    }
    return last!
}

/// Turns from direction `from` to `to` with right turns (at most 3) and returns the actions.
func turns(from: Int, to: Int) -> [Int] {
    let n = ((to - from) % 4 + 4) % 4
    return n == 3 ? [Act.left] : Array(repeating: Act.right, count: n)
}

/// The value of channel `c`, row `y`, column `x` of a `[C, H, W]` observation.
func at(_ obs: Tensor, _ c: Int, _ y: Int, _ x: Int) -> Float {
    let h = obs.shape[1], w = obs.shape[2]
    return obs.scalars[(c * h + y) * w + x]
}

/// The object index whose channel is set at (y, x), asserting exactly one is.
func objectAt(_ obs: Tensor, _ y: Int, _ x: Int, file: StaticString = #filePath, line: UInt = #line) -> Int {
    let set = (0..<11).filter { at(obs, $0, y, x) == 1 }
    XCTAssertEqual(set.count, 1, "object channels at (\(y), \(x)): \(set)", file: file, line: line)
    return set.first ?? -1
}

/// The success reward `1 − 0.9·k/T` worked out in Double and rounded to Float.
func successReward(steps k: Int, maxSteps t: Int) -> Float { Float(1 - 0.9 * Double(k) / Double(t)) }
