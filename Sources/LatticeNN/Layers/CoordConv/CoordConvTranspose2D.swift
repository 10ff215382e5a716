import LatticeTensor

/// `AddCoords` then a transposed convolution over `C + 2` (or `C + 3`) channels. The reference code has
/// none; Lattice adds it so a deconvolution stack can be swapped for a CoordConv one.
///
/// The filter is `[C + k, filters, kh, kw]` (PyTorch's layout, as `ConvTranspose2D`); output extent
/// (H − 1)·s − 2p + d·(k − 1) + outputPadding + 1. Parameter names are `weight` and `bias`.
public final class CoordConvTranspose2D: Layer {
    /// The coordinate layer (radius and tile mode live here).
    public let addCoords: AddCoords
    /// The transposed convolution over input plus coordinate channels.
    public let convTranspose: ConvTranspose2D

    /// A layer from an `AddCoords` and a `ConvTranspose2D` whose filter has the input channels plus
    /// `addCoords.coordinateChannels` on its first axis.
    public init(addCoords: AddCoords, convTranspose: ConvTranspose2D) {
        self.addCoords = addCoords
        self.convTranspose = convTranspose
    }

    /// A layer from an explicit filter `[C + k, filters, kh, kw]` and bias.
    public convenience init(filter: Tensor, bias: Tensor?, options: ConvolutionOptions = .init(),
                            outputPadding: (Int, Int) = (0, 0), withRadius: Bool = false,
                            tile: (height: Int, width: Int)? = nil) {
        self.init(addCoords: AddCoords(withRadius: withRadius, tile: tile),
                  convTranspose: ConvTranspose2D(filter: filter, bias: bias, options: options, outputPadding: outputPadding))
    }

    /// A layer over `channels` input channels with ConvTranspose2D's default initialisation.
    public convenience init(channels: Int, filters: Int, kernel: (Int, Int), options: ConvolutionOptions = .init(),
                            outputPadding: (Int, Int) = (0, 0), withRadius: Bool = false,
                            tile: (height: Int, width: Int)? = nil, useBias: Bool = true, rng: inout RandomGenerator) {
        let add = AddCoords(withRadius: withRadius, tile: tile)
        let deconv = ConvTranspose2D(channels: channels + add.coordinateChannels, filters: filters, kernel: kernel,
                                     options: options, outputPadding: outputPadding, useBias: useBias, rng: &rng)
        self.init(addCoords: add, convTranspose: deconv)
    }

    /// The filter parameter `[C + k, filters, kh, kw]`.
    public var filter: Parameter { convTranspose.filter }
    /// The bias parameter `[filters]`, if any.
    public var bias: Parameter? { convTranspose.bias }

    /// AddCoords then the transposed convolution; an image batch (not tile mode) runs as
    /// `coordinateConvTranspose2d`, which never builds the batch with coordinates.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard let planes = addCoords.imagePlanes(for: x) else { return convTranspose(addCoords(x)) }
        let t = convTranspose
        return coordinateConvTranspose2d(x, planes: planes, filter: t.filter.value, bias: t.bias?.value, options: t.options,
                                         outputPadding: t.outputPadding)
    }

    public func namedParameters() -> [(String, Parameter)] { convTranspose.namedParameters() }

    public func outputShape(for s: [Int]) throws -> [Int] {
        let withCoords = try addCoords.outputShape(for: s)
        do {
            return try convTranspose.outputShape(for: withCoords)
        } catch let e as ShapeError {
            let k = addCoords.coordinateChannels
            throw ShapeError(layer: "coordConvTranspose2d", inputShape: s,
                             reason: "after adding \(k) coordinate channels (\(withCoords)): \(e.reason)")
        }
    }
}
