import XCTest
import LatticeTensor
@testable import LatticeNN

final class SpatialSoftmaxTests: XCTestCase {
    func testEachExampleSumsToOneOverAllPixels() {
        var rng = RandomGenerator(seed: 5)
        let x = Tensor.uniform([3, 2, 4, 5], low: -3, high: 3, using: &rng)
        let y = SpatialSoftmax()(x)
        XCTAssertEqual(y.shape, x.shape)
        for n in 0..<3 {
            let slice = Array(y.scalars[(n * 40)..<((n + 1) * 40)])
            XCTAssertEqual(slice.reduce(0, +), 1, accuracy: 1e-5)
            // The largest logit of the example gets the largest probability (softmax over all 40, not per channel).
            let logits = Array(x.scalars[(n * 40)..<((n + 1) * 40)])
            XCTAssertEqual(logits.firstIndex(of: logits.max()!), slice.firstIndex(of: slice.max()!))
        }
    }

    func testGradientsMatchFiniteDifferences() {
        var rng = RandomGenerator(seed: 6)
        checkLayerGradients(SpatialSoftmax(), input: .uniform([2, 1, 3, 4], low: -2, high: 2, using: &rng))
    }
}
