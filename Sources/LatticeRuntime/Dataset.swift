import LatticeTensor

/// One split of a dataset: a finite, indexable list of (input, target) pairs.
public protocol DatasetSplit: AnyObject {
    /// The number of examples.
    var count: Int { get }
    /// The shape of one input (no batch axis), e.g. `[2, 64, 64]`.
    var inputShape: [Int] { get }
    /// The shape of one target (no batch axis).
    var targetShape: [Int] { get }
    /// Example `index` (0 ..< count) as (input, target) tensors.
    func example(at index: Int) -> (input: Tensor, target: Tensor)
    /// Examples `indices` stacked along a new leading batch axis.
    func batch(_ indices: [Int]) -> (inputs: Tensor, targets: Tensor)
}

/// A finite, seeded source of (input, target) tensors with named splits (`train`, `test`, …).
///
/// The same config and seed give the same examples in the same order, bit for bit.
public protocol Dataset: AnyObject {
    /// The registry id (`NotSoClevr/Uniform-v1`).
    var id: String { get }
    /// The split names, in a stable order.
    var splitNames: [String] { get }
    /// The split called `name`; throws `DatasetError.unknownSplit` listing the known names.
    func split(_ name: String) throws -> any DatasetSplit
}

extension DatasetSplit {
    /// Default batching: stacks `example(at:)` results (override for speed).
    public func batch(_ indices: [Int]) -> (inputs: Tensor, targets: Tensor) {
        let n = indices.count
        let inCount = Tensor.count(of: inputShape), outCount = Tensor.count(of: targetShape)
        var inputs = [Float](), targets = [Float]()
        inputs.reserveCapacity(n * inCount)
        targets.reserveCapacity(n * outCount)
        for i in indices {
            let (x, y) = example(at: i)
            inputs += x.scalars
            targets += y.scalars
        }
        return (Tensor(shape: [n] + inputShape, scalars: inputs), Tensor(shape: [n] + targetShape, scalars: targets))
    }
}

/// Why a dataset refused a request.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    /// No split of that name.
    case unknownSplit(dataset: String, split: String, known: [String])

    /// A readable one-line form.
    public var description: String {
        switch self {
        case .unknownSplit(let dataset, let split, let known):
            return "\(dataset): unknown split '\(split)'; known: \(known.joined(separator: ", "))"
        }
    }
}
