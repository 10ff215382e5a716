import LatticeRuntime
import LatticeTensor

/// `Synthetic/Blobs-v0`: points in `dimensions`-D drawn from `classes` Gaussian clusters whose centres
/// are spread on a circle (first two axes) of radius 2; the target is the cluster index. A small,
/// fully synthetic classification set for smoke tests and the supervised quick start.
///
/// Splits `train` and `test` (the last `testFraction` of the draws). Everything is generated from the
/// dataset's own `seed` key (default 0), so the data stay fixed while the experiment seed varies.
public final class GaussianBlobs: Dataset {
    public let id = "Synthetic/Blobs-v0"
    public let splitNames = ["train", "test"]
    private let train: Split
    private let test: Split

    /// One split: points `[count, dimensions]` and labels.
    final class Split: DatasetSplit {
        let points: [Float]
        let labels: [Int]
        let dimensions: Int
        init(points: [Float], labels: [Int], dimensions: Int) {
            self.points = points
            self.labels = labels
            self.dimensions = dimensions
        }
        var count: Int { labels.count }
        var inputShape: [Int] { [dimensions] }
        var targetShape: [Int] { [] }
        func example(at index: Int) -> (input: Tensor, target: Tensor) {
            (Tensor(Array(points[(index * dimensions)..<((index + 1) * dimensions)])), Tensor(Float(labels[index])))
        }
        func batch(_ indices: [Int]) -> (inputs: Tensor, targets: Tensor) {
            let d = dimensions
            let x = Tensor(shape: [indices.count, d]) { p in
                for (row, i) in indices.enumerated() { for k in 0..<d { p[row * d + k] = points[i * d + k] } }
            }
            return (x, Tensor(shape: [indices.count], scalars: indices.map { Float(labels[$0]) }))
        }
    }

    public init(classes: Int, dimensions: Int, count: Int, spread: Float, testFraction: Double, seed: UInt64) {
        var rng = RandomGenerator(seed: seed)
        var points: [Float] = []
        var labels: [Int] = []
        for _ in 0..<count {
            let c = rng.nextInt(below: classes)
            let angle = 2 * Float.pi * Float(c) / Float(classes)
            for k in 0..<dimensions {
                let centre: Float = k == 0 ? 2 * cosf(angle) : (k == 1 ? 2 * sinf(angle) : 0)
                points.append(centre + spread * rng.nextNormal())
            }
            labels.append(c)
        }
        let testCount = Int((Double(count) * testFraction).rounded())
        let cut = count - testCount
        train = Split(points: Array(points[0..<(cut * dimensions)]), labels: Array(labels[0..<cut]), dimensions: dimensions)
        test = Split(points: Array(points[(cut * dimensions)...]), labels: Array(labels[cut...]), dimensions: dimensions)
    }

    public func split(_ name: String) throws -> any DatasetSplit {
        switch name {
        case "train": return train
        case "test": return test
        default: throw DatasetError.unknownSplit(dataset: id, split: name, known: splitNames)
        }
    }
}

import Foundation
