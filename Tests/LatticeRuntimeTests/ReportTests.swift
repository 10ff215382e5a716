import XCTest
import Foundation
@testable import LatticeRuntime

final class ReportTests: XCTestCase {
    /// A line from (0, 0) to (10, 10) with fixed ranges maps its ends to the plotting area's corners.
    func testLinePlotMapsDataToTheAreaCorners() {
        let plot = Plot(title: "t", xLabel: "x", yLabel: "y",
                        series: [.init(name: "a", points: [(0, 0), (10, 10)])], xRange: 0...10, yRange: 0...10)
        let a = plot.area
        let svg = plot.svg()
        XCTAssertTrue(svg.contains("<polyline points=\"\(String(format: "%.2f,%.2f", a.x0, a.y1)) \(String(format: "%.2f,%.2f", a.x1, a.y0))\""), svg)
        let image = plot.raster()
        // The line's midpoint is drawn in the first palette colour; a point far off the line stays white.
        let mid = plot.position(5, 5, plot.ranges)
        let (r, g, b) = image.pixel(x: Int(mid.0.rounded()), y: Int(mid.1.rounded()))
        XCTAssertEqual([r, g, b], [Plot.palette[0].0, Plot.palette[0].1, Plot.palette[0].2])
        let off = plot.position(9, 1, plot.ranges)
        let (r2, g2, b2) = image.pixel(x: Int(off.0), y: Int(off.1))
        XCTAssertEqual([r2, g2, b2], [255, 255, 255])
    }

    /// Scatter plots draw one circle per finite point; ranges fit the data with 4% padding.
    func testScatterDrawsEveryFinitePointAndFitsItsRange() {
        let points: [(x: Double, y: Double)] = [(1, 2), (3, 4), (5, .nan), (2, 8)]
        let plot = Plot(title: "centres", xLabel: "x", yLabel: "y", kind: .scatter, series: [.init(name: "s", points: points)])
        XCTAssertEqual(plot.svg().components(separatedBy: "<circle").count - 1, 3)
        let r = plot.ranges
        XCTAssertEqual(r.x.lowerBound, 1 - 0.08, accuracy: 1e-12)
        XCTAssertEqual(r.y.upperBound, 8 + 0.24, accuracy: 1e-12)
    }

    func testMarkdownTableEscapesPipes() {
        var table = MarkdownTable(headers: ["a", "b"])
        table.add(["1", "x|y"])
        XCTAssertEqual(table.text, "| a | b |\n| --- | --- |\n| 1 | x\\|y |\n")
    }

    func testReportWriterWritesMarkdownJSONAndBothPlotFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lattice-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let writer = ReportWriter(directory: dir)
        let files = try writer.write(plot: Plot(title: "t", xLabel: "x", yLabel: "y", series: [.init(name: "a", points: [(0, 1), (1, 2)])]), name: "curve")
        try writer.write(markdown: "# r\n", json: ["value": 1.5])
        XCTAssertEqual(files.svg, "curve.svg")
        let png = try Data(contentsOf: dir.appendingPathComponent("curve.png"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("report.md"), encoding: .utf8), "# r\n")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("report.json"))) as? [String: Double]
        XCTAssertEqual(json?["value"], 1.5)
    }

    /// Final returns average the last 10% of steps; the interval is Student's t over seeds.
    func testComparisonFinalReturnsAndConfidenceIntervals() throws {
        let steps = Array(stride(from: 10, through: 100, by: 10))
        func run(_ seed: UInt64, _ tail: Double) -> ComparisonReport.Run {
            // Returns 0 until step 80, then `tail` at steps 90 and 100 (the last 10% of 100 steps).
            ComparisonReport.Run(seed: seed, runDirectory: "r\(seed)", steps: steps,
                                 returns: steps.map { $0 >= 90 ? tail : 0 }, stepsPerSecond: 100)
        }
        XCTAssertEqual(run(1, 2).finalReturn, 2)
        let a = ComparisonReport.Variant(name: "a", config: "a.yaml", runs: [run(1, 1), run(2, 2), run(3, 3)])
        XCTAssertEqual(a.meanFinalReturn, 2)
        // s = 1, n = 3: t(2) = 4.303, half-width 4.303/√3 = 2.4843.
        XCTAssertEqual(a.confidence95, 4.303 / 3.0.squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(a.meanCurve.count, 10)
        XCTAssertEqual(a.meanCurve.last!.mean, 2)
        XCTAssertEqual(Statistics.tCritical95(degrees: 4), 2.776)
        let b = ComparisonReport.Variant(name: "b", config: "b.yaml", runs: [run(1, 5), run(2, 5), run(3, 5)])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lattice-compare-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try ComparisonReport(variants: [a, b], seeds: [1, 2, 3], overrides: []).write(to: dir)
        let md = try String(contentsOf: dir.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("| a | a.yaml | 3 | 2.000 ± 2.484 | 1.00, 2.00, 3.00 | 100 |"), md)
        XCTAssertTrue(md.contains("do not overlap"), md)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("learning-curves.png").path))
    }
}
