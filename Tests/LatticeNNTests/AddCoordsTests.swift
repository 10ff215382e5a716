import XCTest
import LatticeTensor
@testable import LatticeNN

/// Scalar at `[n, c, i, j]` of an NCHW tensor.
private func at(_ t: Tensor, _ n: Int, _ c: Int, _ i: Int, _ j: Int) -> Float {
    let s = t.shape
    return t.scalars[((n * s[1] + c) * s[2] + i) * s[3] + j]
}

final class AddCoordsTests: XCTestCase {
    func testNonSquareCoordinateValues() {
        var rng = RandomGenerator(seed: 3)
        let x = Tensor.uniform([2, 1, 3, 5], low: -1, high: 1, using: &rng)
        let y = AddCoords()(x)
        XCTAssertEqual(y.shape, [2, 3, 3, 5])
        for n in 0..<2 {
            for i in 0..<3 { for j in 0..<5 { XCTAssertEqual(at(y, n, 0, i, j), at(x, n, 0, i, j)) } }
            for i in 0..<3 {
                // x channel: column j of 5 → 2j/4 − 1 = −1, −0.5, 0, 0.5, 1, whatever the row.
                XCTAssertEqual(at(y, n, 1, i, 0), -1)
                XCTAssertEqual(at(y, n, 1, i, 1), -0.5)
                XCTAssertEqual(at(y, n, 1, i, 2), 0)
                XCTAssertEqual(at(y, n, 1, i, 3), 0.5)
                XCTAssertEqual(at(y, n, 1, i, 4), 1)
            }
            for j in 0..<5 {
                // y channel: row i of 3 → 2i/2 − 1 = −1, 0, 1, whatever the column.
                XCTAssertEqual(at(y, n, 2, 0, j), -1)
                XCTAssertEqual(at(y, n, 2, 1, j), 0)
                XCTAssertEqual(at(y, n, 2, 2, j), 1)
            }
        }
    }

    func testSquareCornersAndCentre() {
        let y = AddCoords()(Tensor(zeros: [1, 2, 5, 5]))
        XCTAssertEqual(y.shape, [1, 4, 5, 5])
        // Corners: (row, column) → (x, y).
        XCTAssertEqual(at(y, 0, 2, 0, 0), -1); XCTAssertEqual(at(y, 0, 3, 0, 0), -1)
        XCTAssertEqual(at(y, 0, 2, 0, 4), 1); XCTAssertEqual(at(y, 0, 3, 0, 4), -1)
        XCTAssertEqual(at(y, 0, 2, 4, 0), -1); XCTAssertEqual(at(y, 0, 3, 4, 0), 1)
        XCTAssertEqual(at(y, 0, 2, 4, 4), 1); XCTAssertEqual(at(y, 0, 3, 4, 4), 1)
        XCTAssertEqual(at(y, 0, 2, 2, 2), 0); XCTAssertEqual(at(y, 0, 3, 2, 2), 0)
        // 4×4: column 1 → 2/3 − 1 = −1/3.
        let z = AddCoords()(Tensor(zeros: [1, 1, 4, 4]))
        XCTAssertEqual(at(z, 0, 1, 3, 1), -1.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(at(z, 0, 2, 2, 0), 1.0 / 3, accuracy: 1e-6)
    }

    func testUnitAxisGivesZero() {
        let row = AddCoords(withRadius: true)(Tensor(zeros: [1, 1, 1, 4]))
        XCTAssertEqual(row.shape, [1, 4, 1, 4])
        let xs: [Float] = [-1, -1.0 / 3, 1.0 / 3, 1]
        for j in 0..<4 {
            XCTAssertEqual(at(row, 0, 1, 0, j), xs[j], accuracy: 1e-6)
            XCTAssertEqual(at(row, 0, 2, 0, j), 0)
            XCTAssertEqual(at(row, 0, 3, 0, j), abs(xs[j]), accuracy: 1e-6)
        }
        let column = AddCoords()(Tensor(zeros: [1, 1, 3, 1]))
        for i in 0..<3 {
            XCTAssertEqual(at(column, 0, 1, i, 0), 0)
            XCTAssertEqual(at(column, 0, 2, i, 0), Float(i) - 1)
        }
        let point = AddCoords()(Tensor(ones: [1, 1, 1, 1]))
        XCTAssertEqual(point.scalars, [1, 0, 0])
    }

    func testRadiusChannel() {
        let y = AddCoords(withRadius: true)(Tensor(zeros: [1, 1, 3, 5]))
        XCTAssertEqual(y.shape, [1, 4, 3, 5])
        XCTAssertEqual(at(y, 0, 3, 0, 0), Float(2).squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(at(y, 0, 3, 2, 4), Float(2).squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(at(y, 0, 3, 1, 2), 0)
        XCTAssertEqual(at(y, 0, 3, 0, 2), 1, accuracy: 1e-6)
        XCTAssertEqual(at(y, 0, 3, 1, 4), 1, accuracy: 1e-6)
        XCTAssertEqual(at(y, 0, 3, 0, 1), Float(1.25).squareRoot(), accuracy: 1e-6)
    }

    func testInputGradientIsTheInputChannelSlice() {
        var rng = RandomGenerator(seed: 7)
        let x = Tensor.uniform([2, 3, 4, 5], low: -1, high: 1, using: &rng).trackingGradients()
        let layer = AddCoords(withRadius: true)
        let out = layer(x)
        let r = Tensor.uniform(out.shape, low: -1, high: 1, using: &rng)
        let g = gradients(of: (out * r).sum(), wrt: [x])[0]
        XCTAssertEqual(g.shape, x.shape)
        for n in 0..<2 { for c in 0..<3 { for i in 0..<4 { for j in 0..<5 {
            XCTAssertEqual(at(g, n, c, i, j), at(r, n, c, i, j))
        } } } }
        checkLayerGradients(layer, input: Tensor.uniform([2, 2, 3, 4], low: -1, high: 1, using: &rng))
    }

    func testCoordConvGradients() {
        var rng = RandomGenerator(seed: 11)
        checkLayerGradients(CoordConv2D(channels: 2, filters: 3, kernel: (3, 3), options: .init(stride: 2, padding: 1), rng: &rng),
                            input: .uniform([2, 2, 5, 6], low: -1, high: 1, using: &rng))
        checkLayerGradients(CoordConv2D(channels: 1, filters: 2, kernel: (1, 1), withRadius: true, rng: &rng),
                            input: .uniform([2, 1, 4, 3], low: -1, high: 1, using: &rng))
        checkLayerGradients(CoordConvTranspose2D(channels: 2, filters: 2, kernel: (4, 4), options: .init(stride: 2, padding: 1), rng: &rng),
                            input: .uniform([1, 2, 3, 3], low: -1, high: 1, using: &rng))
        checkLayerGradients(CoordConv2D(channels: 3, filters: 2, kernel: (3, 3), tile: (height: 4, width: 4), rng: &rng),
                            input: .uniform([2, 3], low: -1, high: 1, using: &rng))
    }

    func testZeroCoordinateWeightsEqualPlainConv() {
        var rng = RandomGenerator(seed: 13)
        let options = ConvolutionOptions(stride: (2, 1), padding: (1, 2), dilation: (1, 2))
        let plain = Conv2D(channels: 3, filters: 4, kernel: (3, 3), options: options, rng: &rng)
        for withRadius in [false, true] {
            let k = withRadius ? 3 : 2
            let filter = Tensor.concat([plain.filter.value, Tensor(zeros: [4, k, 3, 3])], alongAxis: 1)
            let coord = CoordConv2D(filter: filter, bias: plain.bias!.value, options: options, withRadius: withRadius)
            XCTAssertEqual(coord.namedParameters().map { $0.0 }, ["weight", "bias"])
            XCTAssertEqual(coord.filter.value.shape, [4, 3 + k, 3, 3])
            let x = Tensor.uniform([2, 3, 7, 9], low: -1, high: 1, using: &rng)
            let a = plain(x), b = coord(x)
            XCTAssertEqual(a.shape, b.shape)
            let diff = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(diff, 1e-5)
            XCTAssertEqual(try coord.outputShape(for: [2, 3, 7, 9]), a.shape)
        }
        // And with a non-zero weight on x only, a 1×1 CoordConv over zeros outputs the x channel.
        let onlyX = CoordConv2D(filter: Tensor(shape: [1, 3, 1, 1], scalars: [0, 1, 0]), bias: nil)
        let out = onlyX(Tensor(zeros: [1, 1, 2, 3]))
        XCTAssertEqual(out.scalars, [-1, 0, 1, -1, 0, 1])
    }

    func testTileMode() throws {
        let layer = AddCoords(tile: (height: 3, width: 4))
        let v = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        for input in [v, v.reshaped([2, 2, 1, 1])] {
            let y = layer(input)
            XCTAssertEqual(y.shape, [2, 4, 3, 4])
            for n in 0..<2 { for i in 0..<3 { for j in 0..<4 {
                XCTAssertEqual(at(y, n, 0, i, j), Float(2 * n + 1))
                XCTAssertEqual(at(y, n, 1, i, j), Float(2 * n + 2))
                XCTAssertEqual(at(y, n, 2, i, j), 2 * Float(j) / 3 - 1, accuracy: 1e-6)
                XCTAssertEqual(at(y, n, 3, i, j), Float(i) - 1)
            } } }
        }
        XCTAssertEqual(try layer.outputShape(for: [5, 2]), [5, 4, 3, 4])
        XCTAssertEqual(try layer.outputShape(for: [5, 2, 1, 1]), [5, 4, 3, 4])
        XCTAssertThrowsError(try layer.outputShape(for: [5, 2, 3, 4]))
        // The tiled input's gradient sums the 12 positions: d Σ y / d v = 12 for every scalar.
        let t = v.trackingGradients()
        let g = gradients(of: layer(t).sum(), wrt: [t])[0]
        XCTAssertEqual(g.scalars, [12, 12, 12, 12])
    }

    func testCoordinatesAreCachedPerShape() {
        let layer = AddCoords()
        _ = layer(Tensor(zeros: [2, 1, 4, 6]))
        let first = layer.cachedCoordinates(batch: 2, height: 4, width: 6)
        _ = layer(Tensor(ones: [2, 1, 4, 6]))
        let second = layer.cachedCoordinates(batch: 2, height: 4, width: 6)
        XCTAssertEqual(layer.cachedShapeCount, 1)
        let p1 = first.withUnsafeBufferPointer { $0.baseAddress }
        let p2 = second.withUnsafeBufferPointer { $0.baseAddress }
        XCTAssertEqual(p1, p2, "the same (N, H, W) must reuse the cached coordinate storage")
        _ = layer(Tensor(zeros: [2, 1, 5, 6]))
        XCTAssertEqual(layer.cachedShapeCount, 2)
    }

    func testShapeInferenceAndErrors() throws {
        var rng = RandomGenerator(seed: 17)
        XCTAssertEqual(try AddCoords().outputShape(for: [8, 3, 10, 12]), [8, 5, 10, 12])
        XCTAssertEqual(try AddCoords(withRadius: true).outputShape(for: [8, 3, 10, 12]), [8, 6, 10, 12])
        XCTAssertThrowsError(try AddCoords().outputShape(for: [8, 3])) { error in
            XCTAssertTrue("\(error)".contains("tile"), "\(error)")
        }
        let conv = CoordConv2D(channels: 3, filters: 5, kernel: (3, 3), options: .init(stride: 2, padding: 1), rng: &rng)
        XCTAssertEqual(try conv.outputShape(for: [4, 3, 8, 8]), [4, 5, 4, 4])
        XCTAssertThrowsError(try conv.outputShape(for: [4, 2, 8, 8])) { error in
            XCTAssertTrue("\(error)".contains("coordinate"), "\(error)")
        }
        let deconv = CoordConvTranspose2D(channels: 2, filters: 1, kernel: (4, 4), options: .init(stride: 2, padding: 1), rng: &rng)
        XCTAssertEqual(try deconv.outputShape(for: [1, 2, 8, 8]), [1, 1, 16, 16])
        XCTAssertEqual(deconv(Tensor(zeros: [1, 2, 8, 8])).shape, [1, 1, 16, 16])
        XCTAssertEqual(deconv.namedParameters().map { $0.0 }, ["weight", "bias"])
        XCTAssertEqual(deconv.filter.value.shape, [4, 1, 4, 4])
    }
}
