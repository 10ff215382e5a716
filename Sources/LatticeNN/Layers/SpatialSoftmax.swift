import LatticeTensor

/// Softmax over every axis after the batch axis: `[N, …] → [N, …]` with each example summing to 1.
///
/// On a `[N, 1, 64, 64]` map it is the softmax over the 4096 pixels that the CoordConv paper's rendering
/// model uses to sharpen centre logits into a near one-hot map before painting (Liu et al., NeurIPS 2018,
/// §4). VJP: that of `softmax` on the flattened example, y ⊙ (g − Σ g⊙y).
public final class SpatialSoftmax: Layer {
    /// A parameterless layer.
    public init() {}

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank >= 2, "spatialSoftmax: input shape \(x.shape) needs a batch axis and features")
        return x.flattenedBatch().softmax(alongAxis: 1).reshaped(x.shape)
    }

    public func namedParameters() -> [(String, Parameter)] { [] }

    public func outputShape(for s: [Int]) throws -> [Int] {
        guard s.count >= 2 else {
            throw ShapeError(layer: "spatialSoftmax", inputShape: s, reason: "needs a batch axis and at least one feature axis")
        }
        return s
    }
}
