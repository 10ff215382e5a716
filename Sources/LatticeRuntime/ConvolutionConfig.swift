import LatticeTensor

/// The config keys every convolution layer shares (`filters`, `kernel`, `stride`, `padding`,
/// `dilation`, `bias`), read once for conv2d, convTranspose2d and the CoordConv layers.
public struct ConvolutionConfig: Sendable, Equatable {
    public var filters: Int
    public var kernel: Int
    public var bias: Bool
    public var options: ConvolutionOptions

    /// The keys, for `lattice list`.
    public static let parameters: [ParameterInfo] = [
        ParameterInfo("filters", "int", "output channels"), ParameterInfo("kernel", "int", "square kernel size"),
        ParameterInfo("stride", "int", default: "1", ""), ParameterInfo("padding", "int", default: "0", ""),
        ParameterInfo("dilation", "int", default: "1", ""), ParameterInfo("bias", "bool", default: "true", ""),
    ]

    /// Reads the keys from a section.
    public init(reading r: inout ConfigSectionReader) throws {
        filters = try r.read("filters")
        kernel = try r.read("kernel")
        let stride = try r.read("stride", default: 1)
        let padding = try r.read("padding", default: 0)
        let dilation = try r.read("dilation", default: 1)
        bias = try r.read("bias", default: true)
        for (key, value, minimum) in [("filters", filters, 1), ("kernel", kernel, 1), ("stride", stride, 1),
                                      ("padding", padding, 0), ("dilation", dilation, 1)] where value < minimum {
            let node = r.section[key]
            throw ConfigError(.invalidValue, at: node?.location, path: node?.pathText ?? key,
                              "\(key) must be at least \(minimum), got \(value)")
        }
        options = ConvolutionOptions(stride: stride, padding: padding, dilation: dilation)
    }
}
