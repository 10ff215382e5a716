import ArgumentParser
import Foundation
import LatticeTensor

/// `lattice bench <suite>`: prints a table of medians (or JSON lines with `--json`).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a benchmark suite and print a table (medians of several repetitions after a warm-up).",
        discussion: "Suites: \(BenchmarkSuite.allCases.map(\.rawValue).joined(separator: ", ")).")

    @Argument(help: "The suite to run: \(BenchmarkSuite.allCases.map(\.rawValue).joined(separator: ", ")).")
    var suite: BenchmarkSuite

    @Flag(help: "Print one JSON object per row instead of a table.")
    var json = false

    @Option(help: "Timed repetitions per case (the median is reported).")
    var repetitions = 7

    @Option(help: "OpenBLAS threads.")
    var threads = 1

    @Option(help: "Run only the cases whose name starts with this prefix (rl suite).")
    var only: String?

    func run() throws {
        Backend.setThreadCount(threads)
        let report = BenchmarkReport(suite: suite.rawValue, json: json)
        if !json {
            let kernels = Backend.hasPointwiseKernels ? "AVX-512 pointwise kernels" : "pointwise convolutions on BLAS"
            print("lattice bench \(suite.rawValue) — OpenBLAS \(Backend.threadCount) thread(s), worker pool \(WorkerPool.shared.threads) thread(s), \(kernels), core \(Backend.coreName), median of \(repetitions)")
        }
        switch suite {
        case .engine:
            report.referenceTitle = "raw sgemm"
            EngineBenchmark(repetitions: repetitions, report: report).run()
        case .envs:
            report.nameWidth = 38
            try EnvironmentBenchmark(repetitions: repetitions, report: report).run()
        case .rl:
            report.nameWidth = 14
            try RLBenchmark(repetitions: repetitions, report: report, only: only).run()
        case .gan:
            report.referenceTitle = "PyTorch"
            try GANBenchmark(repetitions: repetitions, report: report).run()
        case .coordconv:
            report.referenceTitle = "raw GEMMs"
            try CoordConvBenchmark(repetitions: repetitions, report: report).run()
        }
        report.finish()
    }
}

/// The benchmark suites.
enum BenchmarkSuite: String, CaseIterable, ExpressibleByArgument {
    case engine
    /// Random-action steps per second of every MinAtar and grid-world id (x1, x8, x64 copies).
    case envs
    /// Training steps per second of PPO and A2C on MinAtar Breakout with the standard network.
    case rl
    /// GAN training iterations per second (one D + one G step) of the small DCGAN and its CoordConv twin.
    case gan
    /// Training steps per second of the Not-so-Clevr CoordConv classifier at batch 32.
    case coordconv
}
