import LatticeTensor

/// CoordConv (Liu et al., NeurIPS 2018): `AddCoords` then an ordinary `Conv2D` over `C + 2` (or `C + 3`
/// with the radius) input channels. Kernel, stride, padding, dilation and bias are Conv2D's.
///
/// The filter is `[filters, C + k, kh, kw]`: input channels first, then x, y (and r). With zero weights
/// on the coordinate channels it is exactly a `Conv2D` over the input. Parameter names are Conv2D's
/// (`weight`, `bias`), so a checkpoint of one lines up with the other's names.
public final class CoordConv2D: Layer {
    /// The coordinate layer (radius and tile mode live here).
    public let addCoords: AddCoords
    /// The convolution over input plus coordinate channels.
    public let conv: Conv2D

    /// A layer from an `AddCoords` and a `Conv2D` whose filter has the input channels plus
    /// `addCoords.coordinateChannels`.
    public init(addCoords: AddCoords, conv: Conv2D) {
        self.addCoords = addCoords
        self.conv = conv
    }

    /// A layer from an explicit filter `[filters, C + k, kh, kw]` (k = 2, or 3 with the radius) and bias.
    public convenience init(filter: Tensor, bias: Tensor?, options: ConvolutionOptions = .init(),
                            withRadius: Bool = false, tile: (height: Int, width: Int)? = nil) {
        self.init(addCoords: AddCoords(withRadius: withRadius, tile: tile),
                  conv: Conv2D(filter: filter, bias: bias, options: options))
    }

    /// A layer over `channels` input channels with Conv2D's default initialisation (uniform ±1/√fanIn,
    /// fanIn = (channels + k)·kh·kw, counting the coordinate channels).
    public convenience init(channels: Int, filters: Int, kernel: (Int, Int), options: ConvolutionOptions = .init(),
                            withRadius: Bool = false, tile: (height: Int, width: Int)? = nil,
                            useBias: Bool = true, rng: inout RandomGenerator) {
        let add = AddCoords(withRadius: withRadius, tile: tile)
        let conv = Conv2D(channels: channels + add.coordinateChannels, filters: filters, kernel: kernel,
                          options: options, useBias: useBias, rng: &rng)
        self.init(addCoords: add, conv: conv)
    }

    /// The filter parameter `[filters, C + k, kh, kw]`.
    public var filter: Parameter { conv.filter }
    /// The bias parameter `[filters]`, if any.
    public var bias: Parameter? { conv.bias }
    /// The convolution options.
    public var options: ConvolutionOptions { conv.options }

    /// The coordinate planes `[k, H, W]` of the tile size, built once.
    private var planes: Tensor?

    /// The planes when the tiled fast path applies — tile mode with a vector input and a 1×1, stride-1,
    /// unpadded convolution — else nil.
    func tiledPlanes(for x: Tensor) -> Tensor? {
        guard let t = addCoords.tile, x.rank == 2 || (x.rank == 4 && x.shape[2] == 1 && x.shape[3] == 1) else { return nil }
        let w = conv.filter.value, o = conv.options
        guard w.shape[2] == 1, w.shape[3] == 1, o.strideY == 1, o.strideX == 1, o.paddingY == 0, o.paddingX == 0 else { return nil }
        if let planes { return planes }
        let built = AddCoords.coordinatePlanes(height: t.height, width: t.width, withRadius: addCoords.withRadius)
            .reshaped([addCoords.coordinateChannels, t.height, t.width])
        planes = built
        return built
    }

    /// AddCoords then the convolution (then a ReLU when `relu`); tile mode with a 1×1 convolution runs as
    /// `tiledPointwiseConv2d`, which never builds the tiled input, and an image batch with a larger kernel as
    /// `coordinateConv2d`, which never builds the batch with coordinates (1×1 kernels keep the fused
    /// pointwise path of `Conv2D`).
    func apply(_ x: Tensor, relu useReLU: Bool) -> Tensor {
        if let planes = tiledPlanes(for: x) {
            return tiledPointwiseConv2d(x.reshaped([x.shape[0], x.shape[1]]), planes: planes, filter: conv.filter.value,
                                        bias: conv.bias?.value, relu: useReLU)
        }
        let w = conv.filter.value
        if w.shape[2] &* w.shape[3] > 1, let planes = addCoords.imagePlanes(for: x) {
            let y = coordinateConv2d(x, planes: planes, filter: w, bias: conv.bias?.value, options: conv.options)
            return useReLU ? relu(y) : y
        }
        return useReLU ? conv.appliedWithReLU(addCoords(x)) : conv(addCoords(x))
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { apply(x, relu: false) }

    public func namedParameters() -> [(String, Parameter)] { conv.namedParameters() }

    public func outputShape(for s: [Int]) throws -> [Int] {
        let withCoords = try addCoords.outputShape(for: s)
        do {
            return try conv.outputShape(for: withCoords)
        } catch let e as ShapeError {
            let k = addCoords.coordinateChannels
            throw ShapeError(layer: "coordConv2d", inputShape: s,
                             reason: "after adding \(k) coordinate channels (\(withCoords)): \(e.reason)")
        }
    }
}
