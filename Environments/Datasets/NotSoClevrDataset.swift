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

    /// One split: a sorted list of example indices into `NotSoClevr`.
    final class Split: DatasetSplit {
        let indices: [Int]
        let task: Task
        let data: NotSoClevr
        init(indices: [Int], task: Task, data: NotSoClevr) {
            self.indices = indices
            self.task = task
            self.data = data
        }
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
                return (data.coordinates(examples), Tensor(shape: [examples.count], scalars: labels))
            case .regression:
                return (data.oneHotMaps(examples), data.coordinates(examples))
            case .rendering:
                return (data.coordinates(examples), data.images(examples))
            }
        }
    }

    /// The `task` dataset on split `split` (`uniform` or `quadrant`); `seed` draws the uniform split.
    public init(task: Task, split: String, seed: UInt64 = 0) throws {
        let (trainIndices, testIndices) = try data.split(split, seed: seed)
        self.task = task
        splitKind = split
        id = "NotSoClevr/\(split == "uniform" ? "Uniform" : "Quadrant")-v0"
        train = Split(indices: trainIndices, task: task, data: data)
        test = Split(indices: testIndices, task: task, data: data)
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
