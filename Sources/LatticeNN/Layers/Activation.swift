import LatticeTensor

/// An elementwise activation as a parameterless layer.
public final class Activation: Layer {
    /// The function applied.
    public enum Kind: Sendable, Equatable {
        case relu
        case leakyReLU(slope: Float)
        case tanh
        case sigmoid
        case softplus
    }

    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch kind {
        case .relu: return relu(x)
        case .leakyReLU(let slope): return leakyReLU(x, slope: slope)
        case .tanh: return LatticeTensor.tanh(x)
        case .sigmoid: return sigmoid(x)
        case .softplus: return softplus(x)
        }
    }

    public func namedParameters() -> [(String, Parameter)] { [] }
    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }
}
