import ArgumentParser
import Foundation
import GAN
import LatticeRuntime
import LatticeTensor

/// `lattice reproduce gan [--quick]`: conv vs CoordConv GANs on Squares (and Sort-of-Clevr without
/// `--quick`), measured for mode collapse; writes `report.md`/`report.json` with the metrics table,
/// sample grids and scatter plots of generated centres.
struct ReproduceGAN: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gan",
        abstract: "Conv vs CoordConv GAN on the 2-D square distribution: coverage of generated positions.",
        discussion: "--quick trains on Squares only with a small budget (under 3 minutes); the default adds Sort-of-Clevr and trains longer.")

    @Flag(help: "Squares only, a small budget (under 3 minutes).")
    var quick = false

    @Option(help: "Iterations per GAN (default: 1200 with --quick, 4000 without).")
    var steps: Int?

    @Option(help: "The seed of every run.")
    var seed: UInt64 = 1

    @Option(help: "The parent directory of the report.")
    var runsDirectory = "runs"

    @Option(help: "OpenBLAS threads.")
    var threads = 1

    func run() throws {
        Backend.setThreadCount(threads)
        try CommandErrors.run {
            let budget = steps ?? (quick ? 1200 : 4000)
            guard budget >= 1 else { throw ValidationError("--steps must be at least 1") }
            let root = try RunDirectory.create(in: URL(fileURLWithPath: runsDirectory), name: quick ? "reproduce-gan-quick" : "reproduce-gan")
            var reproduction = GANReproduction(datasets: quick ? ["GAN/Squares-v0"] : ["GAN/Squares-v0", "GAN/SortOfClevr-v0"],
                                               steps: budget, seed: seed, directory: root.url)
            reproduction.log = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            try reproduction.run(registries: try Catalog.registries())
            print(try String(contentsOf: root.url.appendingPathComponent("report.md"), encoding: .utf8))
            print("report: \(root.url.appendingPathComponent("report.md").path)")
        }
    }
}
