import ArgumentParser
import Foundation
import LatticeRuntime
import LatticeTensor

/// `lattice reproduce notsoclevr`: the CoordConv paper's supervised coordinate tasks, twelve cells,
/// with `report.md`, `report.json` and plots written into a run directory.
struct ReproduceNotSoClevr: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notsoclevr",
        abstract: "Train the 12 Not-so-Clevr cells (classification, regression, rendering × uniform, quadrant × conv, CoordConv) and write a report.",
        discussion: """
        Configs come from Examples/notsoclevr/ (fixed seeds and budgets, about 28 minutes in all; the
        configs' comments record the other settings tried). --quick runs each cell's config for a few seconds
        only (about 1.5 minutes in all).
        """)

    @Flag(help: "The reduced run: each cell's config as written, a few seconds each.")
    var quick = false

    @Option(help: "Seconds of training per cell with --quick.")
    var quickSeconds = 4.0

    @Option(help: "The directory holding the twelve configs.")
    var examples = "Examples/notsoclevr"

    @Option(help: "The parent of the report's run directory.")
    var runs = "runs"

    @Option(help: "Only the cells whose name contains one of these comma-separated parts (e.g. classification-uniform,regression).")
    var only: String?

    @Option(name: .customLong("set"), help: "An override applied to every cell (repeatable), e.g. --set \"budget={seconds: 600}\".")
    var overrides: [String] = []

    @Option(help: "OpenBLAS threads.")
    var threads = 2

    func run() throws {
        Backend.setThreadCount(threads)
        try CommandErrors.run {
            let examplesURL = URL(fileURLWithPath: examples)
            guard FileManager.default.fileExists(atPath: examplesURL.appendingPathComponent("classification-uniform-coordconv.yaml").path) else {
                throw ValidationError("\(examples) does not hold the Not-so-Clevr configs; run from the repository root or pass --examples")
            }
            var reproduction = NotSoClevrReproduction(registries: try Catalog.registries(), examples: examplesURL, quick: quick)
            reproduction.quickSeconds = quickSeconds
            reproduction.extraOverrides = overrides
            if let only {
                let parts = only.split(separator: ",").map(String.init)
                reproduction.cells = reproduction.cells.filter { cell in parts.contains { cell.name.contains($0) } }
                guard !reproduction.cells.isEmpty else { throw ValidationError("--only \(only) matches none of the 12 cells") }
            }
            let directory = try RunDirectory.create(in: URL(fileURLWithPath: runs), name: quick ? "notsoclevr-quick" : "notsoclevr")
            print("lattice reproduce notsoclevr\(quick ? " --quick" : "") → \(directory.url.path)")
            _ = try reproduction.run(into: directory.url)
            print("\n" + (try String(contentsOf: directory.url.appendingPathComponent("report.md"), encoding: .utf8)
                .components(separatedBy: "\n## Every setting")[0]))
            print("report: \(directory.url.appendingPathComponent("report.md").path)")
        }
    }
}
