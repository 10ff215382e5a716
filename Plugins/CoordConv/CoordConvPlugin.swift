import LatticeNN
import LatticeRuntime
import LatticeTensor

/// Registers the CoordConv layers (Liu et al., 2018): `addCoords`, `coordconv2d`, `coordconvTranspose2d`.
///
/// `coordconv2d` takes every key of `conv2d` plus `withRadius` and `tile` (`[height, width]`, to tile a
/// vector input `[N, C]` into a map first), so swapping `conv2d` ↔ `coordconv2d` in a config is a
/// one-word edit.
public enum CoordConvPlugin: PluginModule {
    static let coordinateParameters = [
        ParameterInfo("withRadius", "bool", default: "false", "add r = sqrt(x² + y²) as a third channel"),
        ParameterInfo("tile", "[int, int]", default: "none", "tile a vector input [N, C] to [N, C, height, width] first"),
    ]

    /// Reads `withRadius` and `tile`.
    static func readCoordinates(_ r: inout ConfigSectionReader) throws -> (Bool, (height: Int, width: Int)?) {
        let withRadius = try r.read("withRadius", default: false)
        let tile: [Int]? = try r.readIfPresent("tile")
        if let tile, tile.count != 2 || tile.contains(where: { $0 < 1 }) {
            let node = r.section["tile"]
            throw ConfigError(.invalidValue, at: node?.location, path: node?.pathText ?? "tile",
                              "tile must be [height, width] with positive extents, got \(tile)")
        }
        return (withRadius, tile.map { (height: $0[0], width: $0[1]) })
    }

    /// The channel count of an input shape (`[N, C, H, W]`, or `[N, C]` when tiling).
    static func channels(_ shape: [Int], tiling: Bool, layer: String) throws -> Int {
        guard shape.count == 4 || (tiling && shape.count == 2) else {
            throw ShapeError(layer: layer, inputShape: shape,
                             reason: tiling ? "needs [N, C] or [N, C, 1, 1]" : "needs [N, C, H, W] (set tile for a vector input)")
        }
        return shape[1]
    }

    public static func register(into registries: inout Registries) throws {
        try registries.layers.register(
            "addCoords", summary: "append x, y (and r) coordinate channels in [−1, 1]", parameters: coordinateParameters
        ) { config, _ in
            var r = try ConfigSectionReader(config)
            let (withRadius, tile) = try readCoordinates(&r)
            try r.finish()
            return { _, _ in AddCoords(withRadius: withRadius, tile: tile) }
        }
        try registries.layers.register(
            "coordconv2d", summary: "AddCoords then Conv2D (CoordConv)",
            parameters: ConvolutionConfig.parameters + coordinateParameters + StandardInitialization.parameters
        ) { config, _ in
            var r = try ConfigSectionReader(config)
            let conv = try ConvolutionConfig(reading: &r)
            let (withRadius, tile) = try readCoordinates(&r)
            let initializer = try r.readWeightInitializer()
            try r.finish()
            return { shape, rng in
                let c = try channels(shape, tiling: tile != nil, layer: "coordconv2d")
                let layer = CoordConv2D(channels: c, filters: conv.filters, kernel: (conv.kernel, conv.kernel),
                                        options: conv.options, withRadius: withRadius, tile: tile, useBias: conv.bias, rng: &rng)
                initializer?.apply(to: layer, using: &rng)
                return layer
            }
        }
        try registries.layers.register(
            "coordconvTranspose2d", summary: "AddCoords then a transposed Conv2D",
            parameters: ConvolutionConfig.parameters + [ParameterInfo("outputPadding", "int", default: "0", "")]
                + coordinateParameters + StandardInitialization.parameters
        ) { config, _ in
            var r = try ConfigSectionReader(config)
            let conv = try ConvolutionConfig(reading: &r)
            let outputPadding = try r.read("outputPadding", default: 0)
            let (withRadius, tile) = try readCoordinates(&r)
            let initializer = try r.readWeightInitializer()
            try r.finish()
            return { shape, rng in
                let c = try channels(shape, tiling: tile != nil, layer: "coordconvTranspose2d")
                let layer = CoordConvTranspose2D(channels: c, filters: conv.filters, kernel: (conv.kernel, conv.kernel),
                                                 options: conv.options, outputPadding: (outputPadding, outputPadding),
                                                 withRadius: withRadius, tile: tile, useBias: conv.bias, rng: &rng)
                initializer?.apply(to: layer, using: &rng)
                return layer
            }
        }
    }
}
