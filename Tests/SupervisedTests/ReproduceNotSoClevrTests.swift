import XCTest
import CoordConv
import Datasets
import LatticeRuntime
import StandardLayers
import Supervised

/// `lattice reproduce notsoclevr --quick`, run in-process: every cell trains, and the report (table,
/// claims, JSON, plots) is written.
final class ReproduceNotSoClevrTests: XCTestCase {
    func testQuickReproductionWritesTheReport() throws {
        let registries = try Registries(modules: [StandardLayersPlugin.self, CoordConvPlugin.self, SupervisedPlugin.self,
                                                  DatasetsPlugin.self])
        var reproduction = NotSoClevrReproduction(registries: registries, examples: NotSoClevrTests.examples, quick: true)
        reproduction.quickSeconds = 1.5
        var lines: [String] = []
        reproduction.log = { lines.append($0) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lattice-nsc-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        let results = try reproduction.run(into: directory)

        XCTAssertEqual(results.map(\.cell), NotSoClevrCell.all)
        XCTAssertEqual(lines.count, 12)
        for r in results {
            XCTAssertGreaterThan(r.steps, 0, r.cell.name)
            XCTAssertNotNil(r.testMetric, "\(r.cell.name): the run ends with a test evaluation")
            XCTAssertFalse(r.curve.isEmpty, r.cell.name)
        }
        let counts = Dictionary(uniqueKeysWithValues: results.map { ($0.cell.name, $0.parameters) })
        XCTAssertEqual(counts["classification-uniform-coordconv"], 7_553)
        XCTAssertEqual(counts["regression-quadrant-conv"], 12_914)

        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        for name in ["report.md", "report.json", "classification.svg", "classification.png", "regression.svg",
                     "rendering.png", "runs"] {
            XCTAssertTrue(files.contains(name), "missing \(name) in \(files)")
        }
        let markdown = try String(contentsOf: directory.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("**Quick run**"))
        XCTAssertEqual(markdown.components(separatedBy: "\n| classification |").count - 1, 4)
        XCTAssertTrue(markdown.contains("| regression | quadrant | CoordConv | 906 |"), markdown)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("report.json"))) as! [String: Any]
        XCTAssertEqual((json["cells"] as! [Any]).count, 12)
        XCTAssertEqual(json["mode"] as? String, "quick")
        XCTAssertEqual((json["claims"] as! [Any]).count, 7)
    }
}
