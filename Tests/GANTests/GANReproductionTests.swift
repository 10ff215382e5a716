import XCTest
import CoordConv
import Datasets
import LatticeNN
import LatticeRuntime
import LatticeTensor
import StandardLayers
@testable import GAN

/// `lattice reproduce gan` on a tiny budget (loose bounds: the pipeline, not the GANs' quality), and the
/// example configs against the benchmark's models.
final class GANReproductionTests: XCTestCase {
    func registries() throws -> Registries {
        try Registries(modules: [StandardLayersPlugin.self, CoordConvPlugin.self, DatasetsPlugin.self, GANPlugin.self])
    }

    func testTinyReproductionWritesTheReport() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lattice-gan-repro-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        var reproduction = GANReproduction(datasets: ["GAN/Squares-v0"], steps: 3, seed: 2, directory: directory)
        reproduction.samples = 200
        let result = try reproduction.run(registries: try registries())
        XCTAssertEqual(result.rows.map(\.model), ["real data", "conv GAN", "coordconv GAN"])
        let real = result.rows[0]
        // 200 uniform centres on 196 cells hit about 1 − e^(−200/196) ≈ 64% of them.
        XCTAssertGreaterThan(real.cellFraction, 0.5)
        XCTAssertGreaterThan(real.axisRatio, 0.8)
        XCTAssertEqual(real.missingFraction, 0)
        for row in result.rows {
            for v in [row.cellFraction, row.uniformDistance, row.axisRatio, row.missingFraction] {
                XCTAssertTrue((0...1).contains(v), "\(row)")
            }
        }
        XCTAssertEqual(result.rows[1].steps, 3)
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        for name in ["report.md", "report.json", "samples-squares-conv.png", "samples-squares-coordconv.png",
                     "centres-squares-real.svg", "centres-squares-conv.png", "centres-squares-coordconv.svg", "coverage-squares.svg"] {
            XCTAssertTrue(files.contains(name), "missing \(name) in \(files.sorted())")
        }
        XCTAssertEqual(files.filter { $0.hasPrefix("squares-conv-") || $0.hasPrefix("squares-coordconv-") }.count, 2)
        let markdown = try String(contentsOf: directory.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("| squares | real data |"))
        XCTAssertTrue(markdown.contains("| squares | coordconv GAN |"))
        XCTAssertTrue(markdown.contains("## What this run found"))
    }

    /// The report's findings paragraph says what the numbers say, in either direction.
    func testFindingsFollowTheNumbers() {
        func rows(conv: Double, coord: Double) -> [GANReproduction.Row] {
            [("real data", 0.99), ("conv GAN", conv), ("coordconv GAN", coord)].map { model, cells in
                GANReproduction.Row(dataset: "squares", model: model, cellFraction: cells, uniformDistance: 1 - cells, axisRatio: 0.5,
                                    missingFraction: 0, steps: 100, seconds: 1, dRealMean: nil, dFakeMean: nil)
            }
        }
        let coordWins = GANReproduction.findings(rows(conv: 0.005, coord: 0.9))
        XCTAssertTrue(coordWins.contains("The CoordConv GAN covers more of the square (+89.5 points"), coordWins)
        XCTAssertTrue(coordWins.contains("only the CoordConv GAN comes near the real data's coverage"), coordWins)
        XCTAssertTrue(coordWins.contains("90.0% of the grid cells, the conv GAN's in 0.5% (real data 99.0%)"), coordWins)
        let convWins = GANReproduction.findings(rows(conv: 0.3, coord: 0.1))
        XCTAssertTrue(convWins.contains("The conv GAN covers more of the square (-20.0 points"), convWins)
        XCTAssertTrue(convWins.contains("both remain far from the real data's coverage"), convWins)
        let tie = GANReproduction.findings(rows(conv: 0.01, coord: 0.02))
        XCTAssertTrue(tie.contains("No clear difference in coverage"), tie)
        XCTAssertFalse(tie.contains("covers more"), tie)
    }

    func testExampleConfigsAreTheBenchmarkModels() throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples/configs/gan")
        let registries = try registries()
        for (file, coord, dataset) in [("dcgan-half-squares", false, "GAN/Squares-v0"), ("coorddcgan-half-squares", true, "GAN/Squares-v0"),
                                       ("dcgan-half-sortofclevr", false, "GAN/SortOfClevr-v0"),
                                       ("coorddcgan-half-sortofclevr", true, "GAN/SortOfClevr-v0")] {
            let fromFile = try ExperimentConfig(contentsOf: examples.appendingPathComponent(file + ".yaml"))
            let fromCode = try ExperimentConfig(yaml: HalfDCGAN.yaml(coordConv: coord, dataset: dataset))
            XCTAssertEqual(fromFile.name, fromCode.name)
            XCTAssertEqual(try GANConfig(section: fromFile.trainer.config), try GANConfig(section: fromCode.trainer.config), file)
            let a = try GANTrainer.make(experiment: fromFile, registries: registries)
            let b = try GANTrainer.make(experiment: fromCode, registries: registries)
            for (x, y) in [(a.generator, b.generator), (a.discriminator, b.discriminator)] {
                XCTAssertEqual(x.layers.map { "\(type(of: $0))" }, y.layers.map { "\(type(of: $0))" }, file)
                XCTAssertEqual(x.namedParameters().map { "\($0.0) \($0.1.shape)" }, y.namedParameters().map { "\($0.0) \($0.1.shape)" }, file)
            }
        }
        // Every example config builds (the full-size ones too).
        for name in try FileManager.default.contentsOfDirectory(atPath: examples.path) where name.hasSuffix(".yaml") {
            let experiment = try ExperimentConfig(contentsOf: examples.appendingPathComponent(name))
            XCTAssertNoThrow(try GANTrainer.make(experiment: experiment, registries: registries), name)
        }
    }
}
