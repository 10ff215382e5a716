import LatticeTensor

/// A fully connected layer: y = x·Wᵀ + b, with W of shape `[outputs, inputs]` (PyTorch's layout, so
/// checkpoints read naturally from PyTorch) and b of shape `[outputs]`.
public final class Dense: Layer {
    /// `[outputs, inputs]`.
    public let weight: Parameter
    /// `[outputs]`, or `nil` without a bias.
    public let bias: Parameter?

    /// A layer from explicit parameters.
    public init(weight: Tensor, bias: Tensor?) {
        precondition(weight.rank == 2, "Dense: weight must be [outputs, inputs], got \(weight.shape)")
        if let bias { precondition(bias.shape == [weight.shape[0]], "Dense: bias \(bias.shape) for weight \(weight.shape)") }
        self.weight = Parameter(weight)
        self.bias = bias.map { Parameter($0) }
    }

    /// A layer with PyTorch's default initialisation: W and b uniform in ±1/√inputs.
    public convenience init(inputs: Int, outputs: Int, useBias: Bool = true, rng: inout RandomGenerator) {
        let bound = 1 / Float(inputs).squareRoot()
        let w = Tensor.uniform([outputs, inputs], low: -bound, high: bound, using: &rng)
        let b = useBias ? Tensor.uniform([outputs], low: -bound, high: bound, using: &rng) : nil
        self.init(weight: w, bias: b)
    }

    public var inputCount: Int { weight.shape[1] }
    public var outputCount: Int { weight.shape[0] }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard x.rank == 2, x.shape[1] == inputCount else {
            fatalError("Dense(\(inputCount)→\(outputCount)): input shape \(x.shape) does not fit weight \(weight.shape)")
        }
        let y = matmul(x, weight.value, transposeB: true)
        return bias.map { y + $0.value } ?? y
    }

    public func namedParameters() -> [(String, Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 2 else {
            throw ShapeError(layer: "dense", inputShape: inputShape, reason: "needs [N, features]; add a flatten before it")
        }
        guard inputShape[1] == inputCount else {
            throw ShapeError(layer: "dense", inputShape: inputShape, reason: "expects \(inputCount) features, got \(inputShape[1])")
        }
        return [inputShape[0], outputCount]
    }
}
