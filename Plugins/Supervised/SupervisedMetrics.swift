import LatticeTensor

/// Sums of the per-example evaluation metrics of a batch, so batches can be pooled into a split's mean.
///
/// - accuracy: argmax of the output (flattened per example) equals the label (or the target's argmax);
/// - iou: |painted ∩ true| / |painted ∪ true| per example, painted = output above `threshold`
///   (0 for sigmoid logits, i.e. probability 0.5; 0.5 for raw outputs), true = target above 0.5;
///   an example with an empty union counts as 1 (the CoordConv paper's code: `round(sigmoid(logits))`);
/// - pixelError: the Euclidean distance `pixelScale·‖output − target‖` between predicted and true
///   coordinates, in pixels (Not-so-Clevr: 31.5 pixels per normalised unit).
struct SupervisedMetrics {
    /// The metric names a trainer config may ask for.
    static let names = ["accuracy", "iou", "pixelError"]

    var examples = 0
    var correct = 0
    var iouSum = 0.0
    var pixelErrorSum = 0.0
    var requested: Set<String>

    init(requested: Set<String>) { self.requested = requested }

    /// Adds one batch: `output` and `target` have the batch on axis 0.
    mutating func add(output: Tensor, target: Tensor, iouThreshold: Float, pixelScale: Float) {
        let n = output.shape[0]
        examples += n
        if requested.contains("accuracy") { correct += Self.correctCount(output: output, target: target) }
        if requested.contains("iou") { iouSum += Self.iouSum(output: output, target: target, threshold: iouThreshold) }
        if requested.contains("pixelError") { pixelErrorSum += Self.distanceSum(output: output, target: target) * Double(pixelScale) }
    }

    /// The means under `prefix` (`train/`, `test/`).
    func means(prefix: String) -> [String: Double] {
        guard examples > 0 else { return [:] }
        var m: [String: Double] = [:]
        let count = Double(examples)
        if requested.contains("accuracy") { m[prefix + "accuracy"] = Double(correct) / count }
        if requested.contains("iou") { m[prefix + "iou"] = iouSum / count }
        if requested.contains("pixelError") { m[prefix + "pixelError"] = pixelErrorSum / count }
        return m
    }

    /// Correct argmax predictions: integer labels `[N]` (or `[N, 1]`), or targets shaped like the output.
    static func correctCount(output: Tensor, target: Tensor) -> Int {
        let n = output.shape[0]
        let predicted = output.reshaped([n, -1]).argmax(alongAxis: 1).scalars
        let truth = target.scalarCount == n ? target.scalars : target.reshaped([n, -1]).argmax(alongAxis: 1).scalars
        var c = 0
        for i in 0..<n where predicted[i] == truth[i] { c += 1 }
        return c
    }

    /// Σ over examples of `perExample(output row, target row, row length)`; the tensors must match in size.
    static func sumOverExamples(_ output: Tensor, _ target: Tensor, metric: String,
                                _ perExample: (UnsafePointer<Float>, UnsafePointer<Float>, Int) -> Double) -> Double {
        let n = output.shape[0]
        let per = output.scalarCount / max(n, 1)
        precondition(target.scalarCount == output.scalarCount, "\(metric): target \(target.shape) does not match output \(output.shape)")
        var total = 0.0
        output.withUnsafeBufferPointer { o in
            target.withUnsafeBufferPointer { t in
                for e in 0..<n { total += perExample(o.baseAddress! + e &* per, t.baseAddress! + e &* per, per) }
            }
        }
        return total
    }

    /// Σ over examples of IoU(output > threshold, target > 0.5).
    static func iouSum(output: Tensor, target: Tensor, threshold: Float) -> Double {
        sumOverExamples(output, target, metric: "iou") { o, t, count in
            var intersection = 0, union = 0
            for k in 0..<count {
                let painted = o[k] > threshold, truth = t[k] > 0.5
                if painted && truth { intersection &+= 1 }
                if painted || truth { union &+= 1 }
            }
            return union == 0 ? 1 : Double(intersection) / Double(union)
        }
    }

    /// Σ over examples of the Euclidean distance between output and target rows.
    static func distanceSum(output: Tensor, target: Tensor) -> Double {
        sumOverExamples(output, target, metric: "pixelError") { o, t, count in
            var s: Float = 0
            for k in 0..<count { let d = o[k] - t[k]; s += d * d }
            return Double(s.squareRoot())
        }
    }
}
