import LatticeNN
import LatticeRuntime
import LatticeTensor

/// Not-so-Clevr as a registered dataset (Liu et al., NeurIPS 2018, §3): one of the three supervised
/// coordinate tasks on one of the two splits of the 3136 centres.
///
/// Tasks (input → target, per example):
/// - `classification`: normalised centre `[2]` (x, y) → flat pixel label `y·64 + x` (scalar);
/// - `regression`: one-hot map `[1, 64, 64]` → normalised centre `[2]` (x, y);
/// - `rendering`: normalised centre `[2]` → image of the 9×9 square `[1, 64, 64]` (value 1.0).
///
/// Splits `train` and `test` come from `NotSoClevr.split`: `uniform` (seeded 80/20: 2509/627) or
/// `quadrant` (test = centres with x ≥ 33 and y ≥ 33: 729; train 2407).
public final class NotSoClevrDataset: Dataset {
    /// The supervised task a dataset serves.
    public enum Task: String, CaseIterable, Sendable {
        case classification, regression, rendering
    }

    public let id: String
    public let splitNames = ["train", "test"]
    /// The task.
    public let task: Task
    /// `uniform` or `quadrant`.
    public let splitKind: String
    private let data = NotSoClevr()
    private let train: Split
    private let test: Split

    /// How centres are given as inputs (classification, rendering) or targets (regression).
    public enum CoordinateScale: String, CaseIterable, Sendable {
        /// `2·c/63 − 1` in [−1, 1], AddCoords's scale (the default).
        case normalized
        /// The integer pixel index c (4…59), as the reference code feeds its classifier and renderer.
        case pixels
    }

    /// The scale of centres given as inputs or targets.
    public let coordinateScale: CoordinateScale

    /// One split: a sorted list of example indices into `NotSoClevr`; its labels are the flat pixel
    /// index `y·64 + x` of each centre (for an auxiliary loss).
    final class Split: LabelledSplit {
        let indices: [Int]
        let task: Task
        let data: NotSoClevr
        let scale: CoordinateScale
        init(indices: [Int], task: Task, data: NotSoClevr, scale: CoordinateScale) {
            self.indices = indices
            self.task = task
            self.data = data
            self.scale = scale
        }
        func centres(_ examples: [Int]) -> Tensor {
            scale == .pixels ? data.pixelCoordinates(examples) : data.coordinates(examples)
        }
        func labels(_ positions: [Int]) -> [Int] { data.labels(positions.map { indices[$0] }) }
        var count: Int { indices.count }
        var inputShape: [Int] { task == .regression ? [1, NotSoClevr.size, NotSoClevr.size] : [2] }
        var targetShape: [Int] {
            switch task {
            case .classification: return []
            case .regression: return [2]
            case .rendering: return [1, NotSoClevr.size, NotSoClevr.size]
            }
        }
        func example(at index: Int) -> (input: Tensor, target: Tensor) {
            let (x, y) = batch([index])
            return (x.reshaped(inputShape), y.reshaped(targetShape))
        }
        func batch(_ positions: [Int]) -> (inputs: Tensor, targets: Tensor) {
            let examples = positions.map { indices[$0] }
            switch task {
            case .classification:
                let labels = data.labels(examples).map(Float.init)
                return (centres(examples), Tensor(shape: [examples.count], scalars: labels))
            case .regression:
                return (data.oneHotMaps(examples), centres(examples))
            case .rendering:
                return (centres(examples), data.images(examples))
            }
        }
    }

    /// The `task` dataset on split `split` (`uniform` or `quadrant`); `seed` draws the uniform split.
    public init(task: Task, split: String, seed: UInt64 = 0, coordinateScale: CoordinateScale = .normalized) throws {
        let (trainIndices, testIndices) = try data.split(split, seed: seed)
        self.task = task
        self.coordinateScale = coordinateScale
        splitKind = split
        id = "NotSoClevr/\(split == "uniform" ? "Uniform" : "Quadrant")-v0"
        train = Split(indices: trainIndices, task: task, data: data, scale: coordinateScale)
        test = Split(indices: testIndices, task: task, data: data, scale: coordinateScale)
    }

    /// The example indices (into `NotSoClevr`) of split `name`.
    public func indices(_ name: String) throws -> [Int] {
        guard let s = try split(name) as? Split else { return [] }
        return s.indices
    }

    public func split(_ name: String) throws -> any DatasetSplit {
        switch name {
        case "train": return train
        case "test": return test
        default: throw LatticeRuntime.DatasetError.unknownSplit(dataset: id, split: name, known: splitNames)
        }
    }
}
