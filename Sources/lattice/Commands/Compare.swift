import ArgumentParser
import Foundation
import LatticeRuntime

/// `lattice compare <configA> <configB> [--seeds N] [key=value …]`: trains every config over the same
/// seeds and writes a report (final return mean ± 95% CI per variant, learning curves, steps/s).
///
/// Each run is its own `lattice train` process with `seed` overridden, so `--jobs 2` trains two at a time:
/// every run uses one OpenBLAS thread, and on this 2-core machine two processes finish a comparison in
/// about half the time of one after another (the default is the number of cores, at most the run count).
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train two (or more) configs over the same seeds and write a comparison report.",
        discussion: """
        Example: lattice compare Examples/rl/minatar-breakout-ppo-conv.yaml Examples/rl/minatar-breakout-ppo-coordconv.yaml --seeds 5 budget.steps=1000000
        Arguments containing '=' are overrides applied to every config. The report goes to
        runs/compare-<A>-vs-<B>-<time>/ (report.md, report.json, learning-curves.svg/png), next to one run directory per config and seed.
        """)

    @Argument(help: "Two or more experiment configs, then overrides (key.path=value) applied to all of them.")
    var arguments: [String]

    @Option(help: "Seeds 1…N.")
    var seeds = 5

    @Option(help: "Runs trained at once (default: the number of cores).")
    var jobs: Int?

    @Option(help: "The parent directory of the comparison.")
    var runsDirectory = "runs"

    func run() throws {
        try CommandErrors.run {
            let configs = arguments.filter { !$0.contains("=") && !$0.hasPrefix("~") }
            let overrides = arguments.filter { $0.contains("=") || $0.hasPrefix("~") }
            guard configs.count >= 2 else { throw ValidationError("give at least two configs to compare (got \(configs.count))") }
            guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1") }
            // Validate every config (and the overrides) before starting anything.
            let experiments = try configs.map { try ExperimentConfig(contentsOf: URL(fileURLWithPath: $0), overrides: overrides + ["seed=1"]) }
            // The report compares episode returns, which only the on-policy RL trainers log.
            for (path, experiment) in zip(configs, experiments) where experiment.environment == nil {
                throw ValidationError("\(path): compare trains RL agents on an environment and reports their episode "
                                      + "returns; this config has no 'environment' (trainer '\(experiment.trainer.id)'). "
                                      + "Train it with 'lattice train', or use 'lattice reproduce' for the paper's experiments.")
            }
            let names = experiments.map(\.name)
            guard Set(names).count == names.count else {
                throw ValidationError("the configs share the name(s) \(names); give each variant its own 'name'")
            }
            let root = try RunDirectory.create(in: URL(fileURLWithPath: runsDirectory), name: "compare-" + names.joined(separator: "-vs-"))
            var tasks: [(variant: Int, seed: UInt64, directory: URL)] = []
            for (v, name) in names.enumerated() {
                for s in 1...seeds { tasks.append((v, UInt64(s), root.url.appendingPathComponent("\(name)-seed\(s)"))) }
            }
            let cores = ProcessInfo.processInfo.activeProcessorCount
            let parallel = max(1, min(jobs ?? cores, tasks.count))
            FileHandle.standardError.write(Data("compare: \(tasks.count) runs (\(configs.count) configs × \(seeds) seeds), \(parallel) at a time, into \(root.url.path)\n".utf8))
            try runAll(tasks.map { task in
                (configs[task.variant], overrides + ["seed=\(task.seed)"], task.directory)
            }, parallel: parallel, poolThreads: max(1, cores / parallel))
            let variants = try names.enumerated().map { v, name in
                ComparisonReport.Variant(name: name, config: configs[v], runs: try tasks.filter { $0.variant == v }.map { task in
                    try ComparisonReport.Run.load(from: RunDirectory(url: task.directory), seed: task.seed)
                })
            }
            let report = ComparisonReport(variants: variants, seeds: (1...seeds).map(UInt64.init), overrides: overrides)
            try report.write(to: root.url)
            print(report.table.text)
            print("report: \(root.url.appendingPathComponent("report.md").path)")
        }
    }

    /// Runs `lattice train <config> <overrides> --run-directory <dir>` for every task, `parallel` at a time,
    /// each with a worker pool of `poolThreads` threads (`LATTICE_THREADS`, unless the caller's environment
    /// sets it), so runs side by side do not spin more threads than there are cores; a failed run stops the
    /// comparison with its exit status and log file.
    func runAll(_ tasks: [(config: String, overrides: [String], directory: URL)], parallel: Int, poolThreads: Int) throws {
        var environment = ProcessInfo.processInfo.environment
        if environment["LATTICE_THREADS"] == nil { environment["LATTICE_THREADS"] = String(poolThreads) }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var pending = tasks[...]
        var running: [(Process, URL)] = []
        while !pending.isEmpty || !running.isEmpty {
            while running.count < parallel, let task = pending.popFirst() {
                try FileManager.default.createDirectory(at: task.directory, withIntermediateDirectories: true)
                let log = task.directory.appendingPathComponent("train.log")
                _ = FileManager.default.createFile(atPath: log.path, contents: nil)
                let process = Process()
                process.executableURL = executable
                process.environment = environment
                process.arguments = ["train", task.config] + task.overrides + ["--quiet", "--run-directory", task.directory.path]
                let handle = try FileHandle(forWritingTo: log)
                process.standardOutput = handle
                process.standardError = handle
                try process.run()
                FileHandle.standardError.write(Data("  started \(task.directory.lastPathComponent)\n".utf8))
                running.append((process, log))
            }
            Thread.sleep(forTimeInterval: 0.2)
            for (i, (process, log)) in running.enumerated().reversed() where !process.isRunning {
                running.remove(at: i)
                guard process.terminationStatus == 0 else {
                    running.forEach { $0.0.terminate() }
                    throw CompareError(message: "a run failed with status \(process.terminationStatus); see \(log.path)")
                }
                FileHandle.standardError.write(Data("  finished \(log.deletingLastPathComponent().lastPathComponent)\n".utf8))
            }
        }
    }
}

/// A comparison run failed (the message names its log).
struct CompareError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
