import LatticeNN
import LatticeRuntime
import LatticeTensor

extension StandardLayersPlugin {
    /// Activations, reshaping and pooling: layers without weights.
    static func registerParameterless(into registries: inout Registries) throws {
        let activations: [(String, String, Activation.Kind)] = [
            ("relu", "max(x, 0)", .relu), ("tanh", "tanh(x)", .tanh), ("sigmoid", "1/(1 + e^−x)", .sigmoid),
            ("softplus", "log(1 + eˣ)", .softplus),
        ]
        for (id, summary, kind) in activations {
            try registries.layers.register(id, summary: summary) { config, _ in
                try ConfigSectionReader(config).finish()
                return { _, _ in Activation(kind) }
            }
        }
        try registries.layers.register("leakyRelu", summary: "x if x > 0 else slope·x",
                                       parameters: [ParameterInfo("slope", "float", default: "0.01", "")]) { config, _ in
            var r = try ConfigSectionReader(config)
            let slope = try r.read("slope", default: Float(0.01))
            try r.finish()
            return { _, _ in Activation(.leakyReLU(slope: slope)) }
        }
        try registries.layers.register("flatten", summary: "[N, …] → [N, features]") { config, _ in
            try ConfigSectionReader(config).finish()
            return { _, _ in Flatten() }
        }
        try registries.layers.register("spatialSoftmax", summary: "softmax over all of C·H·W per example") { config, _ in
            try ConfigSectionReader(config).finish()
            return { _, _ in SpatialSoftmax() }
        }
        try registries.layers.register("stopGradient", summary: "identity forward, no gradient back (layers before it learn from auxiliary losses only)") { config, _ in
            try ConfigSectionReader(config).finish()
            return { _, _ in StopGradient() }
        }
        try registries.layers.register("reshape", summary: "[N, …] → [N] + shape",
                                       parameters: [ParameterInfo("shape", "[int]", "per-example shape; one extent may be -1")]) { config, _ in
            var r = try ConfigSectionReader(config)
            let shape: [Int] = try r.read("shape")
            try r.finish()
            return { _, _ in Reshape(shape) }
        }
        for (id, summary, isMax) in [("maxPool2d", "max pooling with a square window", true),
                                     ("avgPool2d", "average pooling with a square window", false)] {
            try registries.layers.register(id, summary: summary, parameters: [
                ParameterInfo("kernel", "int", "window size"), ParameterInfo("stride", "int", default: "kernel", ""),
                ParameterInfo("padding", "int", default: "0", ""),
            ]) { config, _ in
                var r = try ConfigSectionReader(config)
                let kernel: Int = try r.read("kernel")
                let stride = try r.read("stride", default: kernel)
                let padding = try r.read("padding", default: 0)
                try r.finish()
                let kind: Pooling2D.Kind = isMax ? .max(kernel: kernel, stride: stride, padding: padding)
                                                 : .average(kernel: kernel, stride: stride, padding: padding)
                return { _, _ in Pooling2D(kind) }
            }
        }
        try registries.layers.register("globalAvgPool", summary: "mean over H, W: [N, C, H, W] → [N, C]") { config, _ in
            try ConfigSectionReader(config).finish()
            return { _, _ in Pooling2D(.globalAverage) }
        }
        try registries.layers.register("globalMaxPool", summary: "max over H, W: [N, C, H, W] → [N, C]") { config, _ in
            try ConfigSectionReader(config).finish()
            return { _, _ in Pooling2D(.globalMax) }
        }
    }
}
