/// One cell of the Not-so-Clevr reproduction (Liu et al., NeurIPS 2018, §4): a task, a split and a
/// model family, trained from `Examples/notsoclevr/<task>-<split>-<model>.yaml`.
public struct NotSoClevrCell: Sendable, Codable, Equatable {
    /// `classification`, `regression` or `rendering`.
    public var task: String
    /// `uniform` or `quadrant`.
    public var split: String
    /// `deconv`, `conv` (the regression baselines) or `coordconv`.
    public var model: String

    /// A cell.
    public init(task: String, split: String, model: String) {
        self.task = task
        self.split = split
        self.model = model
    }

    /// The config's file name without `.yaml`.
    public var name: String { "\(task)-\(split)-\(model)" }
    /// Whether this is the CoordConv model (else the conv baseline).
    public var isCoordConv: Bool { model == "coordconv" }

    /// The metric the cell is judged by: test accuracy, test pixel error or test IoU.
    public var metric: String {
        switch task {
        case "classification": return "accuracy"
        case "regression": return "pixelError"
        default: return "iou"
        }
    }
    /// Whether a larger metric is better (false only for pixel error).
    public var higherIsBetter: Bool { metric != "pixelError" }

    /// What the paper reports for this cell (CoordConv paper §4 and its Figures 3–6, as summarised in
    /// the shared spec); qualitative where the spec gives no number.
    public var paper: String {
        switch (task, model, split) {
        case ("classification", "coordconv", _): return "100% train and test"
        case ("classification", _, "uniform"): return "test ≤ ~86% (best of 324 settings)"
        case ("classification", _, _): return "test ~0% (best of 324 settings)"
        case ("regression", "coordconv", _): return "near-perfect (test error < 1 px)"
        case ("regression", _, "uniform"): return "generalises (uniform model)"
        case ("regression", _, _): return "generalises (quadrant model)"
        case ("rendering", "coordconv", _): return "IoU ~1 on both splits"
        case ("rendering", _, "uniform"): return "renders (uniform), below CoordConv"
        default: return "fails the quadrant split"
        }
    }

    /// The twelve cells: {classification, regression, rendering} × {uniform, quadrant} × {baseline, CoordConv}.
    public static let all: [NotSoClevrCell] = ["classification", "regression", "rendering"].flatMap { task in
        ["uniform", "quadrant"].flatMap { split in
            [task == "regression" ? "conv" : "deconv", "coordconv"].map { NotSoClevrCell(task: task, split: split, model: $0) }
        }
    }
}
