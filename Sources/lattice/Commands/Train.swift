import ArgumentParser
import Foundation
import LatticeRuntime
import LatticeTensor

/// `lattice train <config> [key=value …]` or `lattice train --resume <run-dir>`.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train from a YAML experiment config, writing a run directory.",
        discussion: """
        Overrides: key.path=value, list indices (model.trunk.0=coordconv2d), +key=value (add), ~key (remove).
        Ctrl-C stops cleanly with a final checkpoint; --resume continues a run from its last checkpoint.
        """)

    @Argument(help: "The experiment config (YAML); omit with --resume.")
    var config: String?

    @Argument(help: "Overrides: key.path=value, +key=value, ~key.")
    var overrides: [String] = []

    @Option(help: "Continue the run in this directory from its latest checkpoint.")
    var resume: String?

    @Option(help: "OpenBLAS threads.")
    var threads = 1

    @Option(help: "Write the run into this directory (created; must be empty) instead of runs/<name>-<time>.")
    var runDirectory: String?

    @Flag(help: "No progress lines on the console (metrics.csv and TensorBoard are still written).")
    var quiet = false

    func run() throws {
        Backend.setThreadCount(threads)
        try CommandErrors.run {
            let registries = try Catalog.registries()
            let experiment: ExperimentConfig
            let run: RunDirectory
            var checkpoint: URL? = nil
            if let resume {
                run = RunDirectory(url: URL(fileURLWithPath: resume))
                guard FileManager.default.fileExists(atPath: run.configURL.path) else {
                    throw ValidationError("\(resume) is not a run directory (no config.yaml)")
                }
                experiment = try ExperimentConfig(contentsOf: run.configURL, overrides: overrides + (config.map { [$0] } ?? []))
                checkpoint = try run.latestCheckpoint()
                FileHandle.standardError.write(Data("resuming \(run.url.path) from \(checkpoint?.lastPathComponent ?? "the start (no checkpoint)")\n".utf8))
            } else {
                guard let config else { throw ValidationError("give a config file or --resume <run-dir>") }
                var parsed = try ExperimentConfig(contentsOf: URL(fileURLWithPath: config), overrides: overrides)
                if quiet { parsed.logging.console = false }
                experiment = parsed
                if let runDirectory {
                    run = try RunDirectory.create(at: URL(fileURLWithPath: runDirectory), for: experiment)
                } else {
                    run = try RunDirectory.create(for: experiment)
                }
            }
            let session = TrainingSession(experiment: experiment, registries: registries, runDirectory: run,
                                          resumeCheckpoint: checkpoint, interrupt: InterruptFlag(installHandler: true))
            _ = try session.makeTrainer()   // config and shape errors before the run starts
            let summary = try session.run()
            let metrics = summary.finalMetrics.sorted { $0.key < $1.key }
                .filter { !$0.key.hasPrefix("charts/") }
                .map { "\($0.key)=\(String(format: "%.4g", $0.value))" }.joined(separator: " ")
            print("\(experiment.name): stopped at step \(summary.steps) (\(summary.stopReason)) after \(String(format: "%.1f", summary.seconds)) s; \(metrics)")
            print("run directory: \(run.url.path)")
            if case .diverged = summary.stopReason { throw ExitCode(1) }
        }
    }
}
