import XCTest
import Datasets
import LatticeNN
import LatticeRuntime
import LatticeTensor
@testable import GAN

/// The coverage metrics, exactly, on synthetic centres; the detector on rendered images.
final class CoverageMetricsTests: XCTestCase {
    let grid = CoverageGrid.squares

    func testEvenGridCoversEverythingUniformly() {
        // Every integer centre 4…59 on both axes: 16 per cell, isotropic.
        var points: [CentrePoint] = []
        for y in 4...59 { for x in 4...59 { points.append(CentrePoint(x: Double(x), y: Double(y))) } }
        let m = grid.metrics(points, expected: points.count)
        XCTAssertEqual(m.cellFraction, 1)
        XCTAssertEqual(m.uniformDistance, 0, accuracy: 1e-12)
        XCTAssertEqual(m.axisRatio, 1, accuracy: 1e-12)
        XCTAssertEqual(m.missingFraction, 0)
        XCTAssertEqual(m.detected, 3136)
        XCTAssertEqual(Set(grid.histogram(points)), [16])
    }

    func testHorizontalLine() {
        let points = (4...59).map { CentrePoint(x: Double($0), y: 30) }
        let m = grid.metrics(points, expected: 56)
        XCTAssertEqual(m.cellFraction, 14.0 / 196.0, accuracy: 1e-12)
        // 14 cells hold 1/14 each: ½(14·(1/14 − 1/196) + 182/196) = 13/14.
        XCTAssertEqual(m.uniformDistance, 13.0 / 14.0, accuracy: 1e-12)
        XCTAssertEqual(m.axisRatio, 0, accuracy: 1e-12)
    }

    func testDiagonalLineHasNoSecondAxis() {
        let points = (4...59).map { CentrePoint(x: Double($0), y: Double($0)) }
        let m = grid.metrics(points, expected: 56)
        XCTAssertEqual(m.axisRatio, 0, accuracy: 1e-6)
        XCTAssertEqual(m.cellFraction, 14.0 / 196.0, accuracy: 1e-12)
    }

    func testSinglePoint() {
        let points = [CentrePoint](repeating: CentrePoint(x: 30, y: 30), count: 1000)
        let m = grid.metrics(points, expected: 1000)
        XCTAssertEqual(m.cellFraction, 1.0 / 196.0, accuracy: 1e-12)
        XCTAssertEqual(m.uniformDistance, 195.0 / 196.0, accuracy: 1e-12)
        XCTAssertEqual(m.axisRatio, 0)
    }

    func testAnisotropicCloudAndMissingAndClamping() {
        // x spread twice y's: axes ratio ½ exactly for a symmetric 2×2 design.
        let points = [CentrePoint(x: 10, y: 20), CentrePoint(x: 30, y: 20), CentrePoint(x: 20, y: 15), CentrePoint(x: 20, y: 25)]
        XCTAssertEqual(CoverageGrid.axisRatio(points), 0.5, accuracy: 1e-12)
        let m = grid.metrics(points, expected: 10)
        XCTAssertEqual(m.missingFraction, 0.6, accuracy: 1e-12)
        XCTAssertEqual(grid.metrics([], expected: 5).missingFraction, 1)
        XCTAssertEqual(grid.metrics([], expected: 5).cellFraction, 0)
        // Outside the region: counted in the nearest edge cell.
        XCTAssertEqual(grid.cellIndex(-100), 0)
        XCTAssertEqual(grid.cellIndex(100), 13)
        XCTAssertEqual(grid.cellIndex(3.5), 0)
        XCTAssertEqual(grid.cellIndex(7.49), 0)
        XCTAssertEqual(grid.cellIndex(7.5), 1)
    }

    func testDetectorFindsRenderedSquaresExactly() throws {
        let dataset = GANImageDataset(kind: .squares, count: 1000, seed: 4)
        let split = try dataset.split("train")
        let (images, targets) = split.batch(Array(0..<1000))
        let found = ObjectDetector().centres(of: images)
        for (i, f) in found.enumerated() {
            XCTAssertEqual(f[0], CentrePoint(x: Double(targets[i, 0]), y: Double(targets[i, 1])))
        }
        // 1,000 real centres: the reference values the GANs are compared with.
        let (m, _) = CoverageGrid.squares.measure(images: images)
        XCTAssertGreaterThan(m.cellFraction, 0.97)
        XCTAssertLessThan(m.uniformDistance, 0.2)
        XCTAssertGreaterThan(m.axisRatio, 0.9)
        XCTAssertEqual(m.missingFraction, 0)
        // A blank (all −1) image has no object.
        XCTAssertNil(ObjectDetector().centres(of: Tensor(repeating: -1, shape: [1, 1, 64, 64]))[0][0])
        // Noise covering half the canvas is not an object for the dataset detector (at most 4 × 81 pixels).
        let noise = Tensor(shape: [1, 1, 64, 64]) { p in for i in p.indices { p[i] = i % 2 == 0 ? 1 : -1 } }
        XCTAssertNil(ObjectDetector.forImages(channels: 1).centres(of: noise)[0][0])
        XCTAssertEqual(ObjectDetector().centres(of: noise)[0][0], CentrePoint(x: 31, y: 31.5))
        XCTAssertEqual(CoverageGrid.squares.measure(images: noise).metrics.missingFraction, 1)
    }

    func testDetectorFindsBothColoursOfSortOfClevr() throws {
        let split = try GANImageDataset(kind: .sortOfClevr, count: 200, seed: 2).split("train")
        let (images, targets) = split.batch(Array(0..<200))
        let found = ObjectDetector().centres(of: images)
        for (i, f) in found.enumerated() {
            // Blue is drawn last, so it is whole; red is exact unless blue covers part of it.
            XCTAssertEqual(f[1], CentrePoint(x: Double(targets[i, 2]), y: Double(targets[i, 3])))
            let red = try XCTUnwrap(f[0])
            let apart = abs(targets[i, 0] - targets[i, 2]) > 20 || abs(targets[i, 1] - targets[i, 3]) > 20
            XCTAssertEqual(red.x, Double(targets[i, 0]), accuracy: apart ? 0 : 1.5)
            XCTAssertEqual(red.y, Double(targets[i, 1]), accuracy: apart ? 0 : 1.5)
        }
        let (m, centres) = CoverageGrid.sortOfClevr.measure(images: images)
        XCTAssertEqual(centres.count, 400)
        XCTAssertEqual(m.missingFraction, 0)
    }

    func testDatasetsMatchTheIssue() throws {
        let registries = try Registries(modules: [DatasetsPlugin.self])
        let squares = try registries.datasets.make("GAN/Squares-v0", config: .emptyMapping, registries: registries)
        let train = try squares.split("train")
        XCTAssertEqual(train.count, 100_000)
        XCTAssertEqual(train.inputShape, [1, 64, 64])
        let (x, y) = train.batch([5, 99_999])
        XCTAssertEqual(Set(x.scalars), [-1, 1])
        XCTAssertEqual(x.scalars.filter { $0 == 1 }.count, 2 * 81)
        for v in y.scalars { XCTAssertTrue((4...59).contains(Int(v))) }
        // Generated from the seed: the same index gives the same image, whatever the batch.
        XCTAssertEqual(train.batch([99_999]).inputs.scalars, Array(x.scalars[4096...]))
        let clevr = try registries.datasets.make("GAN/SortOfClevr-v0", config: .emptyMapping, registries: registries)
        let c = try clevr.split("train")
        XCTAssertEqual(c.count, 50_000)
        XCTAssertEqual(c.inputShape, [3, 64, 64])
        let (_, t) = c.batch(Array(0..<100))
        for i in 0..<100 {
            let dx = t[i, 0] - t[i, 2], dy = t[i, 1] - t[i, 3]
            XCTAssertGreaterThanOrEqual(dx * dx + dy * dy, 400)
            for k in 0..<4 { XCTAssertTrue((10..<54).contains(Int(t[i, k]))) }
        }
    }

    func testSampleGridLayout() throws {
        let images = Tensor(shape: [3, 1, 2, 2], scalars: [-1, -1, -1, -1, 1, 1, 1, 1, 0, 0, 0, 0])
        let grid = SampleGrid(images: images, columns: 2)
        XCTAssertEqual(grid.width, 2 * 3 + 1)
        XCTAssertEqual(grid.height, 2 * 3 + 1)
        XCTAssertEqual(grid.pixels[1 * 7 + 1], 0)      // image 0 (black) at (1, 1)
        XCTAssertEqual(grid.pixels[1 * 7 + 4], 255)    // image 1 (white) at (4, 1)
        XCTAssertEqual(grid.pixels[4 * 7 + 1], 128)    // image 2 (grey) at (1, 4)
        XCTAssertEqual(grid.pixels[0], 128)             // border
        let png = try grid.png()
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
    }
}
