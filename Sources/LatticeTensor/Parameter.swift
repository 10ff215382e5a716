/// A trainable tensor: a leaf of the autodiff graph that keeps its identity while optimizers update it.
///
/// Layers read `value` in their forward pass; `gradients(of:wrt:)` takes `parameter.value`; an optimizer
/// writes the new value in place with `update(_:)` (copy-on-write keeps any graph that still holds the
/// old value correct).
public final class Parameter: @unchecked Sendable {
    /// The current value, tracked by autodiff.
    public private(set) var value: Tensor
    private let leaf: GradNode

    /// A parameter starting at `initial`.
    public init(_ initial: Tensor) {
        leaf = GradNode(leafOf: initial.shape)
        var v = initial.detached
        v.node = leaf
        value = v
    }

    /// The shape of the value.
    public var shape: [Int] { value.shape }

    /// Replaces the value with `newValue`, which must have the same shape.
    public func assign(_ newValue: Tensor) {
        guard newValue.shape == value.shape else {
            fatalError("Parameter.assign: new value of shape \(newValue.shape) for parameter of shape \(value.shape)")
        }
        var v = newValue.detached
        v.node = leaf
        value = v
    }

    /// Writes the scalars in place (copying first only if a live graph still shares them).
    public func update<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        let r = try value.withUnsafeMutableBufferPointer(body)
        value.node = leaf
        return r
    }
}
