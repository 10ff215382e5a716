import LatticeTensor

/// A transposed 2-D convolution layer: filter `[channels, filters, kh, kw]` (PyTorch's layout), bias
/// `[filters]`; output extent (H − 1)·s − 2p + d·(k − 1) + outputPadding + 1.
public final class ConvTranspose2D: Layer {
    public let filter: Parameter
    public let bias: Parameter?
    public let options: ConvolutionOptions
    public let outputPadding: (Int, Int)

    /// A layer from explicit parameters.
    public init(filter: Tensor, bias: Tensor?, options: ConvolutionOptions = .init(), outputPadding: (Int, Int) = (0, 0)) {
        precondition(filter.rank == 4, "ConvTranspose2D: filter must be [C, F, kh, kw], got \(filter.shape)")
        self.filter = Parameter(filter)
        self.bias = bias.map { Parameter($0) }
        self.options = options
        self.outputPadding = outputPadding
    }

    /// A layer with PyTorch's default initialisation (uniform ±1/√(F·kh·kw)).
    public convenience init(channels: Int, filters: Int, kernel: (Int, Int), options: ConvolutionOptions = .init(),
                            outputPadding: (Int, Int) = (0, 0), useBias: Bool = true, rng: inout RandomGenerator) {
        let fanIn = filters * kernel.0 * kernel.1
        let bound = 1 / Float(fanIn).squareRoot()
        let w = Tensor.uniform([channels, filters, kernel.0, kernel.1], low: -bound, high: bound, using: &rng)
        let b = useBias ? Tensor.uniform([filters], low: -bound, high: bound, using: &rng) : nil
        self.init(filter: w, bias: b, options: options, outputPadding: outputPadding)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        convTranspose2d(x, filter: filter.value, bias: bias?.value, options: options, outputPadding: outputPadding)
    }

    public func namedParameters() -> [(String, Parameter)] {
        [("weight", filter)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func outputShape(for s: [Int]) throws -> [Int] {
        let f = filter.shape
        guard s.count == 4 else { throw ShapeError(layer: "convTranspose2d", inputShape: s, reason: "needs [N, C, H, W]") }
        guard s[1] == f[0] else {
            throw ShapeError(layer: "convTranspose2d", inputShape: s, reason: "has \(s[1]) channels but the filter \(f) expects \(f[0])")
        }
        let o = options
        let ho = (s[2] - 1) * o.strideY - 2 * o.paddingY + o.dilationY * (f[2] - 1) + outputPadding.0 + 1
        let wo = (s[3] - 1) * o.strideX - 2 * o.paddingX + o.dilationX * (f[3] - 1) + outputPadding.1 + 1
        guard ho > 0, wo > 0 else {
            throw ShapeError(layer: "convTranspose2d", inputShape: s, reason: "gives an empty output (padding too large)")
        }
        return [s[0], f[1], ho, wo]
    }
}
