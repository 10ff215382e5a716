import LatticeTensor

/// Reshapes each example: `[N, …] → [N] + shape` (one extent may be −1).
public final class Reshape: Layer {
    /// The per-example shape.
    public let shape: [Int]
    public init(_ shape: [Int]) { self.shape = shape }
    public func callAsFunction(_ x: Tensor) -> Tensor { x.reshaped([x.shape[0]] + shape) }
    public func namedParameters() -> [(String, Parameter)] { [] }
    public func outputShape(for s: [Int]) throws -> [Int] {
        let count = s.dropFirst().reduce(1, *)
        var out = shape
        let known = shape.filter { $0 != -1 }.reduce(1, *)
        if let i = shape.firstIndex(of: -1), known > 0, count % known == 0 { out[i] = count / known }
        guard !s.isEmpty, out.reduce(1, *) == count, out.allSatisfy({ $0 > 0 }) else {
            throw ShapeError(layer: "reshape", inputShape: s, reason: "\(count) scalars per example cannot take shape \(shape)")
        }
        return [s[0]] + out
    }
}
