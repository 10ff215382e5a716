import LatticeTensor

/// A 2-D convolution layer over NCHW images: filter `[filters, channels, kh, kw]`, bias `[filters]`.
public final class Conv2D: Layer {
    public let filter: Parameter
    public let bias: Parameter?
    public let options: ConvolutionOptions

    /// A layer from explicit parameters.
    public init(filter: Tensor, bias: Tensor?, options: ConvolutionOptions = .init()) {
        precondition(filter.rank == 4, "Conv2D: filter must be [F, C, kh, kw], got \(filter.shape)")
        self.filter = Parameter(filter)
        self.bias = bias.map { Parameter($0) }
        self.options = options
    }

    /// A layer with PyTorch's default initialisation (uniform ±1/√(C·kh·kw)).
    public convenience init(channels: Int, filters: Int, kernel: (Int, Int), options: ConvolutionOptions = .init(),
                            useBias: Bool = true, rng: inout RandomGenerator) {
        let fanIn = channels * kernel.0 * kernel.1
        let bound = 1 / Float(fanIn).squareRoot()
        let w = Tensor.uniform([filters, channels, kernel.0, kernel.1], low: -bound, high: bound, using: &rng)
        let b = useBias ? Tensor.uniform([filters], low: -bound, high: bound, using: &rng) : nil
        self.init(filter: w, bias: b, options: options)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        conv2d(x, filter: filter.value, bias: bias?.value, options: options)
    }

    public func namedParameters() -> [(String, Parameter)] {
        [("weight", filter)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func outputShape(for s: [Int]) throws -> [Int] {
        let f = filter.shape
        guard s.count == 4 else {
            throw ShapeError(layer: "conv2d", inputShape: s, reason: "needs [N, C, H, W]")
        }
        guard s[1] == f[1] else {
            throw ShapeError(layer: "conv2d", inputShape: s, reason: "has \(s[1]) channels but the filter \(f) expects \(f[1])")
        }
        let (ho, wo) = options.outputSize(height: s[2], width: s[3], kernelHeight: f[2], kernelWidth: f[3])
        guard ho > 0, wo > 0 else {
            throw ShapeError(layer: "conv2d", inputShape: s, reason: "is smaller than the \(f[2])×\(f[3]) kernel")
        }
        return [s[0], f[0], ho, wo]
    }
}
