import LatticeTensor

/// A neural-network layer: a differentiable function of its input with named parameters.
///
/// Parameter names are stable dotted paths (`trunk.0.weight`) used by optimizers and checkpoints.
/// Containers prefix their children's names with the child's key or index.
public protocol Layer: AnyObject {
    /// Applies the layer to a batch.
    func callAsFunction(_ x: Tensor) -> Tensor
    /// Trainable parameters by dotted name, in a stable order.
    func namedParameters() -> [(String, Parameter)]
    /// Non-trainable state saved in checkpoints (BatchNorm's running statistics), by dotted name.
    func namedBuffers() -> [(String, Parameter)]
    /// Switches training behaviour (BatchNorm batch statistics) on or off, recursively.
    func setTraining(_ training: Bool)
    /// The output shape for an input shape (batch axis included), or an error that says why the input
    /// does not fit. Used for shape inference when models are built from configs.
    func outputShape(for inputShape: [Int]) throws -> [Int]
}

extension Layer {
    public func namedBuffers() -> [(String, Parameter)] { [] }
    public func setTraining(_ training: Bool) {}
    /// The trainable parameters in `namedParameters()` order.
    public var parameters: [Parameter] { namedParameters().map { $0.1 } }
    /// The total number of trainable scalars.
    public var parameterCount: Int { namedParameters().reduce(0) { $0 + $1.1.value.scalarCount } }
    /// The name of the first parameter holding a NaN or an infinity, or `nil` when all are finite (the
    /// divergence check trainers run at their logging points).
    public var firstNonFiniteParameter: String? {
        namedParameters().first { _, p in p.value.withUnsafeBufferPointer { !$0.allSatisfy(\.isFinite) } }?.0
    }
}

/// An input that does not fit a layer: names the layer, the shape it got and what it needs.
public struct ShapeError: Error, CustomStringConvertible, Equatable {
    /// The layer or op.
    public var layer: String
    /// The input shape it received.
    public var inputShape: [Int]
    /// Why the shape does not fit.
    public var reason: String

    public init(layer: String, inputShape: [Int], reason: String) {
        self.layer = layer
        self.inputShape = inputShape
        self.reason = reason
    }

    public var description: String { "\(layer): input shape \(inputShape) does not fit: \(reason)" }
}
