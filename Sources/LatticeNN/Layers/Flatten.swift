import LatticeTensor

/// Flattens every axis after the batch axis: `[N, …] → [N, ∏…]`.
public final class Flatten: Layer {
    public init() {}
    public func callAsFunction(_ x: Tensor) -> Tensor { x.flattenedBatch() }
    public func namedParameters() -> [(String, Parameter)] { [] }
    public func outputShape(for s: [Int]) throws -> [Int] {
        guard !s.isEmpty else { throw ShapeError(layer: "flatten", inputShape: s, reason: "needs a batch axis") }
        return [s[0], s.dropFirst().reduce(1, *)]
    }
}
