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

    public func callAsFunction(_ x: Tensor) -> Tensor { conv(addCoords(x)) }

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
