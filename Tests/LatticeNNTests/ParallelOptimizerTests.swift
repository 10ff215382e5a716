import XCTest
import LatticeTensor
@testable import LatticeNN

/// Optimizer steps on tensors large enough to be cut into one range per core give the same bits as the
/// same numbers stepped as small tensors (one range each).
final class ParallelOptimizerTests: XCTestCase {
    func check(_ make: () -> any Optimizer) {
        var rng = RandomGenerator(seed: 9)
        let count = 100_003   // above the per-thread minimum, and not a multiple of 8
        let values = (0..<count).map { _ in rng.nextNormal() }
        let grads = (0..<3).map { _ in (0..<count).map { _ in rng.nextNormal() } }
        let large = Parameter(Tensor(values))
        let pieces = stride(from: 0, to: count, by: 10_000).map { Parameter(Tensor(Array(values[$0..<min(count, $0 + 10_000)]))) }
        let a = make(), b = make()
        for g in grads {
            a.update([large], along: [Tensor(g)])
            b.update(pieces, along: stride(from: 0, to: count, by: 10_000).map { Tensor(Array(g[$0..<min(count, $0 + 10_000)])) })
        }
        XCTAssertEqual(large.value.scalars, pieces.flatMap { $0.value.scalars })
    }

    func testAdamSplitsWithoutChangingResults() { check { Adam(learningRate: 1e-2, weightDecay: 0.1) } }
    func testRMSpropSplitsWithoutChangingResults() { check { RMSprop(learningRate: 1e-2, momentum: 0.9, centered: true) } }
}
