import Foundation
import LatticeNN
import LatticeRuntime
import LatticeTensor

/// `lattice reproduce gan`: the CoordConv paper's GAN comparison (Liu et al., NeurIPS 2018, §5) measured
/// directly. A conv GAN and a CoordConv GAN (`HalfDCGAN`, AddCoords before every conv of G and D) are
/// trained with fixed seeds and the same budget on Squares (and Sort-of-Clevr), then 1,000 generated
/// images of each are measured with `CoverageMetrics` beside 1,000 real images.
///
/// Training follows the reference code's regime: non-saturating loss, z ~ U(−1, 1), one D step then
/// two G steps, Adam 1e-4 (D) and 5e-4 (G), β1 0.5, batch 16.
///
/// Writes `report.md` and `report.json` (the metrics table), `samples-<dataset>-<model>.png` (sample
/// grids), `centres-<dataset>-<model>.svg/png` (scatter plots of detected centres) and
/// `coverage-<dataset>.svg/png` (cells covered along training), next to one run directory per GAN.
public struct GANReproduction {
    /// One trained model's (or the real data's) measurement.
    public struct Row: Codable, Sendable, Equatable {
        public var dataset: String
        public var model: String
        public var cellFraction: Double
        public var uniformDistance: Double
        public var axisRatio: Double
        public var missingFraction: Double
        public var steps: Int
        public var seconds: Double
        public var dRealMean: Double?
        public var dFakeMean: Double?
    }

    /// Everything `report.json` holds.
    public struct Result: Codable, Sendable {
        public var rows: [Row]
        public var stepsPerModel: Int
        public var seed: UInt64
        public var samples: Int
        public var training: String
    }

    /// Datasets to run (`GAN/Squares-v0`, `GAN/SortOfClevr-v0`).
    public var datasets: [String]
    /// Training iterations per GAN.
    public var steps: Int
    /// The experiment seed of every run.
    public var seed: UInt64
    /// Images measured per model.
    public var samples = 1000
    /// Where everything goes.
    public var directory: URL
    /// Progress lines (stderr in the CLI).
    public var log: (String) -> Void = { _ in }

    /// A reproduction into `directory`.
    public init(datasets: [String], steps: Int, seed: UInt64, directory: URL) {
        self.datasets = datasets
        self.steps = steps
        self.seed = seed
        self.directory = directory
    }

    /// The experiment config of one GAN: the `HalfDCGAN` model with the reference training regime.
    public func yaml(dataset: String, coordConv: Bool) -> String {
        var text = HalfDCGAN.yaml(coordConv: coordConv, dataset: dataset, seed: seed, steps: steps,
                                  sampleEvery: max(1, steps / 8))
        for (from, to) in [("latentDistribution: normal", "latentDistribution: uniform"),
                           ("generatorSteps: 1", "generatorSteps: 2"),
                           ("discriminatorLearningRate: 2.0e-4", "discriminatorLearningRate: 1.0e-4"),
                           ("generatorLearningRate: 2.0e-4", "generatorLearningRate: 5.0e-4"),
                           ("batchSize: 64", "batchSize: 16\n  coverageSamples: \(samples)"),
                           ("everySteps: 100", "everySteps: \(max(1, steps / 20))\n  console: false")] {
            text = text.replacingOccurrences(of: from, with: to)
        }
        return text
    }

    /// Trains every GAN, measures it and writes the report; returns the numbers.
    @discardableResult
    public func run(registries: Registries) throws -> Result {
        let writer = ReportWriter(directory: directory)
        var rows: [Row] = []
        var markdown = "# CoordConv GAN reproduction: mode collapse on the 2-D square distribution\n\n"
        markdown += "Conv GAN vs CoordConv GAN (AddCoords before every conv of G and D), \(steps) iterations each "
            + "(1 D step + 2 G steps, batch 16, Adam 1e-4 / 5e-4, non-saturating loss, z ~ U(−1, 1) of 64), seed \(seed). "
            + "Metrics over \(samples) images: each object's centre is the centroid of its pixels above the midpoint; "
            + "cells = share of the 14×14 grid over the valid centre region holding a centre; TV = total-variation distance "
            + "of the centre histogram to the uniform one; axis ratio = √(λmin/λmax) of the centres' covariance (≈ 1 for a 2-D "
            + "spread, → 0 for a line or a point); missing = share of objects not detected.\n\n"
        var sections = ""
        for dataset in datasets {
            let short = dataset.contains("SortOfClevr") ? "sortofclevr" : "squares"
            var curves: [Plot.Series] = []
            var scatter: [(String, [CentrePoint])] = []
            var realRow: Row?
            for (model, coord) in [("conv", false), ("coordconv", true)] {
                let experiment = try ExperimentConfig(yaml: yaml(dataset: dataset, coordConv: coord))
                let run = try RunDirectory.create(in: directory, name: "\(short)-\(model)")
                try run.writeConfig(experiment.resolvedYAML)
                let trainer = try GANTrainer.make(experiment: experiment, registries: registries, runDirectory: run)
                let memory = MemorySink()
                let sink = try run.makeMetricsSink(logging: experiment.logging)
                log("reproduce gan: training \(short) \(model) for \(steps) iterations → \(run.url.lastPathComponent)")
                let summary = try trainer.train(budget: experiment.budget, callbacks: [MetricsCallback(sink: memory), MetricsCallback(sink: sink)])
                try run.writeSummary(summary)
                if realRow == nil {
                    let (m, centres) = trainer.realCoverage(count: samples)
                    realRow = Row(dataset: short, model: "real data", metrics: m, steps: 0, seconds: 0)
                    scatter.append(("real", centres))
                }
                let (m, centres) = trainer.generatedCoverage(count: samples)
                var row = Row(dataset: short, model: model + " GAN", metrics: m, steps: summary.steps, seconds: summary.seconds)
                row.dRealMean = summary.finalMetrics["gan/dRealMean"]
                row.dFakeMean = summary.finalMetrics["gan/dFakeMean"]
                rows.append(row)
                scatter.append((model, centres))
                let grid = "samples-\(short)-\(model).png"
                try trainer.sampleGrid().png().write(to: directory.appendingPathComponent(grid), options: .atomic)
                let points = memory.records.compactMap { r in r.metrics["coverage/cellFraction"].map { (x: Double(r.step), y: $0) } }
                curves.append(Plot.Series(name: model, points: points))
                log("reproduce gan: \(short) \(model): " + String(format: "cells %.3f, TV %.3f, axis ratio %.3f, missing %.3f (%.0f s)",
                    m.cellFraction, m.uniformDistance, m.axisRatio, m.missingFraction, summary.seconds))
            }
            rows.insert(realRow!, at: rows.count - 2)
            sections += try section(short, rows: rows.filter { $0.dataset == short }, scatter: scatter, curves: curves, writer: writer)
        }
        var table = MarkdownTable(headers: ["dataset", "model", "cells covered", "TV to uniform", "axis ratio", "missing",
                                            "D(real)", "D(fake)", "steps", "seconds"])
        for r in rows {
            func f(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "—" }
            table.add([r.dataset, r.model, f(r.cellFraction), f(r.uniformDistance), f(r.axisRatio), f(r.missingFraction),
                       f(r.dRealMean), f(r.dFakeMean), r.steps == 0 ? "—" : String(r.steps),
                       r.steps == 0 ? "—" : String(format: "%.0f", r.seconds)])
        }
        markdown += "## Metrics\n\n" + table.text + "\n## What this run found\n\n" + GANReproduction.findings(rows) + "\n" + sections
        let result = Result(rows: rows, stepsPerModel: steps, seed: seed, samples: samples,
                            training: "1 D + 2 G steps, batch 16, Adam 1e-4/5e-4 β1 0.5, non-saturating, z ~ U(-1, 1) of 64")
        try writer.write(markdown: markdown, json: result)
        return result
    }

    /// One dataset's Markdown: sample grids, centre scatter plots and the coverage curve.
    func section(_ short: String, rows: [Row], scatter: [(String, [CentrePoint])], curves: [Plot.Series],
                 writer: ReportWriter) throws -> String {
        var text = "## \(short)\n\n"
        text += "Sample grids (fixed z): conv ![conv](samples-\(short)-conv.png) CoordConv ![coordconv](samples-\(short)-coordconv.png)\n\n"
        let range = 0.0...64.0
        for (name, centres) in scatter {
            let plot = Plot(title: "\(short): detected centres, \(name) (\(centres.count))", xLabel: "x (column)",
                            yLabel: "y (row)", kind: .scatter,
                            series: [Plot.Series(name: name, points: centres.map { (x: $0.x, y: $0.y) })],
                            xRange: range, yRange: range)
            let files = try writer.write(plot: plot, name: "centres-\(short)-\(name)")
            text += "![\(name) centres](\(files.svg)) "
        }
        text += "\n\n"
        let coverage = Plot(title: "\(short): grid cells covered by 1,000 samples along training", xLabel: "iteration",
                            yLabel: "cells covered", series: curves, yRange: 0...1)
        let files = try writer.write(plot: coverage, name: "coverage-\(short)")
        text += "![coverage along training](\(files.svg))\n\n"
        return text
    }
}

extension GANReproduction {
    /// A difference in cells covered below this (5 points of the 14×14 grid, about 10 cells) is called no
    /// clear difference: one seed per model, so small gaps are within run-to-run variation.
    static let clearCoverageDifference = 0.05

    /// One plain paragraph per dataset, written from the numbers whichever way they go: which GAN's centres
    /// cover more of the grid and by how much, both against the real data, and the principal-axis ratios.
    static func findings(_ rows: [Row]) -> String {
        var text = ""
        for dataset in rows.map(\.dataset).reduce(into: [String](), { if !$0.contains($1) { $0.append($1) } }) {
            let of = rows.filter { $0.dataset == dataset }
            guard let real = of.first(where: { $0.model == "real data" }), let conv = of.first(where: { $0.model == "conv GAN" }),
                  let coord = of.first(where: { $0.model == "coordconv GAN" }) else { continue }
            func pct(_ v: Double) -> String { String(format: "%.1f%%", 100 * v) }
            func f(_ v: Double) -> String { String(format: "%.2f", v) }
            let gap = coord.cellFraction - conv.cellFraction
            var line = "**\(dataset)** (\(conv.steps) iterations per GAN, one seed): the CoordConv GAN's object centres fall in "
                + "\(pct(coord.cellFraction)) of the grid cells, the conv GAN's in \(pct(conv.cellFraction)) (real data "
                + "\(pct(real.cellFraction))); principal-axis ratio \(f(coord.axisRatio)) vs \(f(conv.axisRatio)) (real \(f(real.axisRatio))); "
                + "TV to uniform \(f(coord.uniformDistance)) vs \(f(conv.uniformDistance)). "
            if abs(gap) < clearCoverageDifference {
                line += "No clear difference in coverage between the two at this budget"
            } else {
                line += (gap > 0 ? "The CoordConv GAN covers more of the square" : "The conv GAN covers more of the square")
                    + " (\(String(format: "%+.1f", 100 * gap)) points of cells covered)"
            }
            let best = max(conv.cellFraction, coord.cellFraction)
            if best < 0.5 * real.cellFraction {
                line += "; both remain far from the real data's coverage (mode collapse in both)"
            } else if min(conv.cellFraction, coord.cellFraction) < 0.5 * real.cellFraction {
                line += "; only the " + (coord.cellFraction >= conv.cellFraction ? "CoordConv" : "conv") + " GAN comes near the real data's coverage"
            }
            text += line + ".\n\n"
        }
        return text
    }
}

extension GANReproduction.Row {
    /// A row from measured metrics.
    init(dataset: String, model: String, metrics m: CoverageMetrics, steps: Int, seconds: Double) {
        self.init(dataset: dataset, model: model, cellFraction: m.cellFraction, uniformDistance: m.uniformDistance,
                  axisRatio: m.axisRatio, missingFraction: m.missingFraction, steps: steps, seconds: seconds,
                  dRealMean: nil, dFakeMean: nil)
    }
}
