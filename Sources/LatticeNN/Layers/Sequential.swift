import LatticeTensor

/// Layers applied in order; parameter names are prefixed with the layer's index (`0.weight`).
public final class Sequential: Layer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) { self.layers = layers }

    /// Runs the layers in order; a `ReLUFusable` layer directly followed by a ReLU runs as one fused op.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        var h = x
        var i = 0
        while i < layers.count {
            if i + 1 < layers.count, let fusable = layers[i] as? any ReLUFusable,
               let next = layers[i + 1] as? Activation, next.isReLU {
                h = fusable.appliedWithReLU(h)
                i += 2
            } else {
                h = layers[i](h)
                i += 1
            }
        }
        return h
    }

    public func namedParameters() -> [(String, Parameter)] {
        layers.enumerated().flatMap { i, l in l.namedParameters().map { ("\(i).\($0.0)", $0.1) } }
    }

    public func namedBuffers() -> [(String, Parameter)] {
        layers.enumerated().flatMap { i, l in l.namedBuffers().map { ("\(i).\($0.0)", $0.1) } }
    }

    public func setTraining(_ training: Bool) { for l in layers { l.setTraining(training) } }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        var s = inputShape
        for l in layers { s = try l.outputShape(for: s) }
        return s
    }
}
