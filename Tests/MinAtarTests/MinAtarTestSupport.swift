import LatticeRL
import LatticeTensor
import XCTest
@testable import MinAtar

/// Options without sticky actions, so scripted actions execute exactly.
let exactOptions = MinAtarOptions(stickyActionProbability: 0)

/// Value of cell (channel, row, column) in a flat `[C, 10, 10]` observation.
func cell(_ observation: [Float], _ channel: Int, _ row: Int, _ column: Int) -> Float {
    observation[channel * 100 + row * 10 + column]
}

/// Number of non-zero cells on `channel`.
func count(_ observation: [Float], channel: Int) -> Int {
    (0..<100).filter { observation[channel * 100 + $0] != 0 }.count
}

/// Steps `env` with `action` and returns the transition and the observation scalars.
@discardableResult
func take(_ env: some Environment, _ action: Int) throws -> (Transition, [Float]) {
    let result = try env.step(action)
    return (Transition(reward: result.reward, terminated: result.terminated, truncated: result.truncated),
            result.observation.scalars)
}
