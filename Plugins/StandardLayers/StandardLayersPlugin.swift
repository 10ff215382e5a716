import LatticeNN
import LatticeRuntime
import LatticeTensor

/// Registers the core layers of LatticeNN by name, so configs can list them:
/// `- conv2d: {filters: 16, kernel: 3}`, `- relu`, `- dense: {units: 128}`.
///
/// Input sizes (features, channels) are inferred from the shape arriving at the layer.
public enum StandardLayersPlugin: PluginModule {
    public static func register(into registries: inout Registries) throws {
        try registerWeighted(into: &registries)
        try registerParameterless(into: &registries)
    }

    static let initParameters = StandardInitialization.parameters

    static func registerWeighted(into registries: inout Registries) throws {
        try registries.layers.register(
            "dense", summary: "fully connected layer y = x·Wᵀ + b on [N, features]",
            parameters: [ParameterInfo("units", "int", "output features"), ParameterInfo("bias", "bool", default: "true", "")]
                + initParameters
        ) { config, _ in
            var r = try ConfigSectionReader(config)
            let units: Int = try r.read("units")
            let useBias = try r.read("bias", default: true)
            let initializer = try r.readWeightInitializer()
            try r.finish()
            return { shape, rng in
                guard shape.count == 2 else {
                    throw ShapeError(layer: "dense", inputShape: shape, reason: "needs [N, features]; add a flatten before it")
                }
                let layer = Dense(inputs: shape[1], outputs: units, useBias: useBias, rng: &rng)
                initializer?.apply(to: layer, using: &rng)
                return layer
            }
        }
        try registries.layers.register(
            "conv2d", summary: "2-D convolution on [N, C, H, W]",
            parameters: ConvolutionConfig.parameters + initParameters
        ) { config, _ in
            var r = try ConfigSectionReader(config)
            let conv = try ConvolutionConfig(reading: &r)
            let initializer = try r.readWeightInitializer()
            try r.finish()
            return { shape, rng in
                guard shape.count == 4 else { throw ShapeError(layer: "conv2d", inputShape: shape, reason: "needs [N, C, H, W]") }
                let layer = Conv2D(channels: shape[1], filters: conv.filters, kernel: (conv.kernel, conv.kernel),
                                   options: conv.options, useBias: conv.bias, rng: &rng)
                initializer?.apply(to: layer, using: &rng)
                return layer
            }
        }
        try registries.layers.register(
            "convTranspose2d", summary: "transposed 2-D convolution on [N, C, H, W]",
            parameters: ConvolutionConfig.parameters + [ParameterInfo("outputPadding", "int", default: "0", "")] + initParameters
        ) { config, _ in
            var r = try ConfigSectionReader(config)
            let conv = try ConvolutionConfig(reading: &r)
            let outputPadding = try r.read("outputPadding", default: 0)
            let initializer = try r.readWeightInitializer()
            try r.finish()
            return { shape, rng in
                guard shape.count == 4 else {
                    throw ShapeError(layer: "convTranspose2d", inputShape: shape, reason: "needs [N, C, H, W]")
                }
                let layer = ConvTranspose2D(channels: shape[1], filters: conv.filters, kernel: (conv.kernel, conv.kernel),
                                            options: conv.options, outputPadding: (outputPadding, outputPadding),
                                            useBias: conv.bias, rng: &rng)
                initializer?.apply(to: layer, using: &rng)
                return layer
            }
        }
        try registries.layers.register(
            "batchNorm2d", summary: "batch normalisation over channels of [N, C, H, W] or [N, C]",
            parameters: [ParameterInfo("momentum", "float", default: "0.1", ""), ParameterInfo("epsilon", "float", default: "1e-5", "")]
        ) { config, _ in
            var r = try ConfigSectionReader(config)
            let momentum = try r.read("momentum", default: Float(0.1))
            let epsilon = try r.read("epsilon", default: Float(1e-5))
            try r.finish()
            return { shape, _ in
                guard shape.count == 4 || shape.count == 2 else {
                    throw ShapeError(layer: "batchNorm2d", inputShape: shape, reason: "needs [N, C, H, W] or [N, C]")
                }
                return BatchNorm2D(channels: shape[1], momentum: momentum, epsilon: epsilon)
            }
        }
    }
}
