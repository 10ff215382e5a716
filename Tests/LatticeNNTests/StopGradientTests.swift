import XCTest
import LatticeTensor
@testable import LatticeNN

final class StopGradientTests: XCTestCase {
    func testValuesPassAndGradientsStopAtTheLayer() {
        var rng = RandomGenerator(seed: 3)
        let first = Dense(inputs: 3, outputs: 4, rng: &rng), second = Dense(inputs: 4, outputs: 2, rng: &rng)
        let x = Tensor.uniform([5, 3], low: -1, high: 1, using: &rng)
        let plain = Sequential([first, second]), cut = Sequential([first, StopGradient(), second])
        XCTAssertEqual(cut(x).scalars, plain(x).scalars, "the identity on values")

        let params = first.parameters.map { $0.value } + second.parameters.map { $0.value }
        let through = gradients(of: (plain(x) * plain(x)).sum(), wrt: params)
        let stopped = gradients(of: (cut(x) * cut(x)).sum(), wrt: params)
        // Before the cut: zeros (where the uncut network has a nonzero gradient); after it: the same gradient.
        for i in 0..<first.parameters.count {
            XCTAssertGreaterThan(through[i].scalars.map(abs).max()!, 0)
            XCTAssertEqual(stopped[i].scalars, [Float](repeating: 0, count: stopped[i].scalarCount))
        }
        for i in first.parameters.count..<params.count {
            XCTAssertEqual(stopped[i].scalars, through[i].scalars)
        }
        XCTAssertEqual(try StopGradient().outputShape(for: [5, 1, 64, 64]), [5, 1, 64, 64])
    }
}
