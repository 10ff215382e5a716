import Foundation

/// The report of `lattice compare`: two (or more) experiment configs trained over the same seeds, their
/// final returns with 95% confidence intervals, learning curves and speeds, as `report.md`, `report.json`,
/// `learning-curves.svg` and `.png`.
///
/// A run's **final return** is the mean of `rollout/episodeReturn` over its log points in the last 10% of
/// its steps (at least the last point), so one lucky log line does not decide it. A variant's result is
/// the mean of its runs' final returns ± the Student-t 95% half-width over seeds.
public struct ComparisonReport: Encodable {
    /// One training run of one variant.
    public struct Run: Encodable {
        /// The seed it ran with.
        public var seed: UInt64
        /// Its run directory.
        public var runDirectory: String
        /// Log steps and the mean training-episode return at each.
        public var steps: [Int]
        public var returns: [Double]
        /// Environment steps per second over the whole run (steps ÷ wall seconds).
        public var stepsPerSecond: Double

        /// A run's record.
        public init(seed: UInt64, runDirectory: String, steps: [Int], returns: [Double], stepsPerSecond: Double) {
            self.seed = seed
            self.runDirectory = runDirectory
            self.steps = steps
            self.returns = returns
            self.stepsPerSecond = stepsPerSecond
        }

        /// The mean return over the last 10% of the run's steps (`nan` with no log points).
        public var finalReturn: Double {
            guard let last = steps.last else { return .nan }
            let cutoff = Double(last) * 0.9
            let tail = zip(steps, returns).filter { Double($0.0) >= cutoff }.map(\.1)
            return Statistics.mean(tail.isEmpty ? [returns.last!] : tail)
        }
    }

    /// One config and its runs.
    public struct Variant: Encodable {
        /// The experiment name.
        public var name: String
        /// The config file.
        public var config: String
        /// One run per seed.
        public var runs: [Run]

        /// A variant.
        public init(name: String, config: String, runs: [Run]) {
            self.name = name
            self.config = config
            self.runs = runs
        }

        /// Mean final return over seeds.
        public var meanFinalReturn: Double { Statistics.mean(runs.map(\.finalReturn)) }
        /// Half-width of its 95% confidence interval.
        public var confidence95: Double { Statistics.confidenceHalfWidth95(runs.map(\.finalReturn)) }
        /// Mean steps per second over seeds.
        public var stepsPerSecond: Double { Statistics.mean(runs.map(\.stepsPerSecond)) }

        /// The mean learning curve over seeds at the log steps all runs share, with its 95% band.
        public var meanCurve: [(step: Int, mean: Double, lower: Double, upper: Double)] {
            guard let first = runs.first else { return [] }
            let byStep = runs.map { Dictionary(zip($0.steps, $0.returns), uniquingKeysWith: { first, _ in first }) }
            let shared = first.steps.filter { s in byStep.allSatisfy { $0[s] != nil } }
            return shared.map { s in
                let values = byStep.map { $0[s]! }
                let m = Statistics.mean(values), h = Statistics.confidenceHalfWidth95(values)
                return (s, m, h.isFinite ? m - h : m, h.isFinite ? m + h : m)
            }
        }

        enum CodingKeys: String, CodingKey { case name, config, runs, meanFinalReturn, confidence95, stepsPerSecond, finalReturns }
        /// Encodes the runs and the summary numbers.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(config, forKey: .config)
            try c.encode(runs, forKey: .runs)
            try c.encode(meanFinalReturn, forKey: .meanFinalReturn)
            try c.encode(confidence95, forKey: .confidence95)
            try c.encode(stepsPerSecond, forKey: .stepsPerSecond)
            try c.encode(runs.map(\.finalReturn), forKey: .finalReturns)
        }
    }

    /// The compared variants, in command-line order.
    public var variants: [Variant]
    /// The seeds every variant ran.
    public var seeds: [UInt64]
    /// The overrides given to every run.
    public var overrides: [String]

    /// A report of `variants`.
    public init(variants: [Variant], seeds: [UInt64], overrides: [String]) {
        self.variants = variants
        self.seeds = seeds
        self.overrides = overrides
    }

    /// The results table (Markdown).
    public var table: MarkdownTable {
        var t = MarkdownTable(headers: ["variant", "config", "seeds", "final return (mean ± 95% CI)", "per seed", "steps/s"])
        for v in variants {
            let ci = v.confidence95.isFinite ? String(format: "%.3f ± %.3f", v.meanFinalReturn, v.confidence95)
                                             : String(format: "%.3f", v.meanFinalReturn)
            t.add([v.name, v.config, "\(v.runs.count)", ci, v.runs.map { String(format: "%.2f", $0.finalReturn) }.joined(separator: ", "),
                   String(format: "%.0f", v.stepsPerSecond)])
        }
        return t
    }

    /// The learning curves: mean episode return against environment steps, one line and 95% band per variant.
    public var plot: Plot {
        Plot(title: "Learning curves (mean over \(seeds.count) seeds, 95% CI)", xLabel: "environment steps",
             yLabel: "episode return", series: variants.map { v in
                 let curve = v.meanCurve
                 return Plot.Series(name: v.name, points: curve.map { (Double($0.step), $0.mean) },
                                    band: curve.map { (Double($0.step), $0.lower, $0.upper) })
             })
    }

    /// Writes `report.md`, `report.json` and the learning-curve plots into `directory`.
    public func write(to directory: URL) throws {
        let writer = ReportWriter(directory: directory)
        let files = try writer.write(plot: plot, name: "learning-curves")
        var md = "# Comparison: \(variants.map(\.name).joined(separator: " vs "))\n\n"
        md += "Seeds \(seeds.map(String.init).joined(separator: ", "))"
        md += overrides.isEmpty ? ".\n\n" : "; overrides `\(overrides.joined(separator: " "))`.\n\n"
        md += table.text + "\n"
        md += "Final return: the mean training-episode return (`rollout/episodeReturn`) over each run's last 10% of steps; "
        md += "the interval is Student's t over seeds. Steps/s counts environment steps, updates included.\n\n"
        if variants.count == 2 {
            let (a, b) = (variants[0], variants[1])
            let overlap = (a.meanFinalReturn - a.confidence95) <= (b.meanFinalReturn + b.confidence95)
                && (b.meanFinalReturn - b.confidence95) <= (a.meanFinalReturn + a.confidence95)
            md += String(format: "Difference %@ − %@: %.3f; the 95%% intervals %@.\n\n", b.name, a.name,
                         b.meanFinalReturn - a.meanFinalReturn, overlap ? "overlap (no clear difference at this many seeds)" : "do not overlap")
        }
        md += "![learning curves](\(files.png)) ([SVG](\(files.svg)))\n"
        try writer.write(markdown: md, json: self)
    }
}
