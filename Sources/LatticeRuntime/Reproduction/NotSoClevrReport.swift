import Foundation

/// The report of `lattice reproduce notsoclevr`: one table of the best setting per cell beside the
/// paper, a table of every setting tried, the paper's claims checked one by one, and plots of the test
/// metric against training time (conv and CoordConv) per task, as SVG and PNG.
public struct NotSoClevrReport {
    /// A paper claim and whether this run reproduced it.
    public struct Claim: Codable, Sendable {
        /// The claim, in words.
        public var claim: String
        /// What was measured.
        public var measured: String
        /// Whether it held here; `nil` when a cell had no test metric (not measured).
        public var reproduced: Bool?
    }

    /// The whole `report.json`.
    struct JSON: Codable {
        var mode: String
        var cells: [NotSoClevrReproduction.Result]
        var settings: [NotSoClevrReproduction.Result]
        var claims: [Claim]
    }

    /// Every setting's result.
    public var results: [NotSoClevrReproduction.Result]
    /// Whether this was the reduced run.
    public var quick: Bool
    /// The quick run's per-cell budget.
    public var quickSeconds: Double

    /// A report of `results`.
    public init(results: [NotSoClevrReproduction.Result], quick: Bool, quickSeconds: Double) {
        self.results = results
        self.quick = quick
        self.quickSeconds = quickSeconds
    }

    /// The best setting of each cell (by its final test metric), in cell order.
    public var best: [NotSoClevrReproduction.Result] {
        var order: [String] = []
        var chosen: [String: NotSoClevrReproduction.Result] = [:]
        for r in results {
            guard let old = chosen[r.cell.name] else { order.append(r.cell.name); chosen[r.cell.name] = r; continue }
            let a = r.finalTestMetric ?? .nan, b = old.finalTestMetric ?? .nan
            if b.isNaN || (r.cell.higherIsBetter ? a > b : a < b) { chosen[r.cell.name] = r }
        }
        return order.map { chosen[$0]! }
    }

    /// A metric as text: accuracy and IoU as percentages / 3 decimals, pixel error in pixels.
    public static func format(_ v: Double?, _ cell: NotSoClevrCell) -> String {
        guard let v else { return "—" }
        switch cell.metric {
        case "accuracy": return String(format: "%.1f%% acc", 100 * v)
        case "iou": return String(format: "IoU %.3f", v)
        default: return String(format: "%.2f px", v)
        }
    }

    /// The paper's claims, each checked against the best settings of this run.
    public var claims: [Claim] {
        let b = best
        func cell(_ task: String, _ split: String, coord: Bool) -> NotSoClevrReproduction.Result? {
            b.first { $0.cell.task == task && $0.cell.split == split && $0.cell.isCoordConv == coord }
        }
        var claims: [Claim] = []
        func check(_ text: String, _ cells: [NotSoClevrReproduction.Result?], _ holds: (NotSoClevrReproduction.Result) -> Bool) {
            let present = cells.compactMap { $0 }
            guard !present.isEmpty else { return }
            let measured = present.map { "\($0.cell.split) \(Self.format($0.finalTestMetric, $0.cell))" }.joined(separator: ", ")
            let measuredAll = present.allSatisfy { $0.finalTestMetric != nil }
            claims.append(Claim(claim: text, measured: measured, reproduced: measuredAll ? present.allSatisfy(holds) : nil))
        }
        let splits = ["uniform", "quadrant"]
        check("CoordConv classification reaches 100% test accuracy on both splits",
              splits.map { cell("classification", $0, coord: true) }) { ($0.finalTestMetric ?? 0) >= 1 }
        if let c = cell("classification", "uniform", coord: true) {
            let reached = (c.testMetric ?? 0) >= 1
            let when = reached ? String(format: "100%% after %.1f s of training (%.1f CPU s)", c.secondsToBest ?? .nan, c.cpuSecondsToBest ?? .nan)
                               : "100% not reached (best \(Self.format(c.testMetric, c.cell)))"
            claims.append(Claim(claim: "CoordConv classification reaches 100% test accuracy on the uniform split within 15 s of training (Lattice's goal; PyTorch here needs about 34 s for 99%)",
                                measured: when, reproduced: c.testMetric == nil ? nil : reached && (c.secondsToBest ?? .infinity) < 15))
        }
        check("the deconv classifier scores about 0% test accuracy on the quadrant split",
              [cell("classification", "quadrant", coord: false)]) { ($0.finalTestMetric ?? 1) < 0.05 }
        check("the deconv classifier stays clearly below 100% on the uniform split",
              [cell("classification", "uniform", coord: false)]) { ($0.finalTestMetric ?? 1) < 0.95 }
        check("CoordConv regression: test error below 1 pixel on both splits",
              splits.map { cell("regression", $0, coord: true) }) { ($0.finalTestMetric ?? .infinity) < 1 }
        check("CoordConv rendering: test IoU ≥ 0.95 on both splits",
              splits.map { cell("rendering", $0, coord: true) }) { ($0.finalTestMetric ?? 0) >= 0.95 }
        if let d = cell("rendering", "quadrant", coord: false), let c = cell("rendering", "quadrant", coord: true) {
            let holds: Bool? = d.finalTestMetric == nil || c.finalTestMetric == nil ? nil : d.finalTestMetric! < c.finalTestMetric! - 0.1
            claims.append(Claim(claim: "deconv rendering is clearly worse than CoordConv on the quadrant split",
                                measured: "deconv \(Self.format(d.finalTestMetric, d.cell)), CoordConv \(Self.format(c.finalTestMetric, c.cell))",
                                reproduced: holds))
        }
        return claims
    }

    /// The Markdown text of `report.md`.
    public func markdown(plots: [String]) -> String {
        var text = "# Not-so-Clevr reproduction — Liu et al., \"An Intriguing Failing of Convolutional Neural Networks "
            + "and the CoordConv Solution\" (NeurIPS 2018)\n\n"
        text += quick
            ? "**Quick run**: each cell's config as written, \(Int(quickSeconds)) s of training per cell. Numbers are not the paper's claims; run without `--quick` for those.\n\n"
            : "Full run: each cell's config (`Examples/notsoclevr/`) with its fixed seed and budget (training seconds, or steps for the CoordConv renderers; the conv baselines get one setting each — the paper swept 324–648 over 1000 epochs); the settings table below lists every setting run.\n\n"
        text += "Measured on this machine (\(ProcessInfo.processInfo.activeProcessorCount) cores, shared). Final test = the model at the end of "
            + "its budget (the claims below are checked on it); best test = best over the evaluations (every config's `evaluateEverySteps` and at the end); "
            + "seconds = training time (evaluations excluded) when the best was first reached, in wall time and in CPU time of the process; "
            + (quick ? "train metric = running mean over the last logging window." : "train metric = the whole train split at the end, evaluation mode.")
            + "\n\n"
        var table = MarkdownTable(headers: ["task", "split", "model", "parameters", "train metric", "final test", "best test",
                                            "seconds to best", "CPU s to best", "paper"])
        for r in best {
            table.add([r.cell.task, r.cell.split, r.cell.isCoordConv ? "CoordConv" : r.cell.model, "\(r.parameters)",
                       Self.format(r.trainMetric, r.cell), Self.format(r.finalTestMetric, r.cell), Self.format(r.testMetric, r.cell),
                       r.secondsToBest.map { String(format: "%.1f", $0) } ?? "—",
                       r.cpuSecondsToBest.map { String(format: "%.1f", $0) } ?? "—", r.cell.paper])
        }
        text += table.text + "\n## The paper's claims, checked\n\n"
        for c in claims {
            let verdict = c.reproduced.map { $0 ? "Reproduced" : "**Not reproduced**" } ?? "Not measured"
            text += "- \(verdict): \(c.claim) — measured \(c.measured).\n"
        }
        text += "\n## Every setting tried\n\nThe paper swept 324–648 settings per conv baseline over 1000 epochs; this run "
            + "tries only those listed here (from the paper's ranges), each within its config's budget.\n\n"
        var settings = MarkdownTable(headers: ["cell", "setting", "steps", "training s", "train metric", "best test", "final test"])
        for r in results {
            settings.add([r.cell.name, r.setting.isEmpty ? "config as written" : r.setting.joined(separator: " "), "\(r.steps)",
                          String(format: "%.1f", r.trainingSeconds), Self.format(r.trainMetric, r.cell),
                          Self.format(r.testMetric, r.cell), Self.format(r.finalTestMetric, r.cell)])
        }
        text += settings.text + "\n## Test metric against training time\n\n"
        for p in plots { text += "![\(p)](\(p).svg)\n\n" }
        return text
    }

    /// One plot per task: test metric against training seconds for each (split, model) of the best settings.
    public var plots: [(name: String, plot: Plot)] {
        ["classification", "regression", "rendering"].compactMap { task in
            let cells = best.filter { $0.cell.task == task }
            guard let first = cells.first else { return nil }
            let series = cells.map { r in
                Plot.Series(name: "\(r.cell.isCoordConv ? "CoordConv" : r.cell.model) \(r.cell.split)",
                            points: r.curve.map { (x: $0[0], y: $0[1]) })
            }
            let label = first.cell.metric == "pixelError" ? "test pixel error (px)" : "test \(first.cell.metric)"
            return ("\(task)", Plot(title: "Not-so-Clevr \(task)", xLabel: "training seconds", yLabel: label, series: series))
        }
    }

    /// Writes `report.md`, `report.json` and the plots into `directory`.
    public func write(into directory: URL) throws {
        let writer = ReportWriter(directory: directory)
        var names: [String] = []
        for (name, plot) in plots {
            try writer.write(plot: plot, name: name)
            names.append(name)
        }
        try writer.write(markdown: markdown(plots: names),
                         json: JSON(mode: quick ? "quick" : "full", cells: best, settings: results, claims: claims))
    }
}
