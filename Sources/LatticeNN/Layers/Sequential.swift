import LatticeTensor

/// Layers applied in order; parameter names are prefixed with the layer's index (`0.weight`).
public final class Sequential: Layer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) { self.layers = layers }

    /// Runs the layers in order; an `ActivationFusable` layer directly followed by an activation it fuses
    /// (a convolution and a ReLU, BatchNorm and a ReLU or leaky ReLU) runs as one fused op, and two or more
    /// pointwise convolutions in a row (each with its ReLU) run as one `pointwiseStack` where the machine
    /// has its kernels.
    public func callAsFunction(_ x: Tensor) -> Tensor { callAsFunction(x, capturing: nil).output }

    /// The output, and the output of layer `capturing` (0-based) when given — that layer is then not
    /// fused with a following activation, so the captured value is its own output.
    public func callAsFunction(_ x: Tensor, capturing captured: Int?) -> (output: Tensor, captured: Tensor?) {
        var h = x
        var kept: Tensor? = nil
        var i = 0
        while i < layers.count {
            let run = pointwiseRun(from: i, input: h.shape, capturing: captured)
            if run.stages.count >= 2 {
                h = pointwiseStack(h, run.stages)
                if run.end - 1 == captured { kept = h }
                i = run.end
                continue
            }
            if i != captured, i + 1 < layers.count, let fusable = layers[i] as? any ActivationFusable,
               let next = layers[i + 1] as? Activation, let fused = fusable.applied(h, followedBy: next.kind) {
                h = fused
                if i + 1 == captured { kept = h }
                i += 2
            } else {
                h = layers[i](h)
                if i == captured { kept = h }
                i += 1
            }
        }
        return (h, kept)
    }

    /// The run of pointwise `Conv2D` layers (each with the ReLU that follows it, if any) starting at layer
    /// `start`, for an input of shape `shape`, as `pointwiseStack` stages; `end` is the index after the run.
    /// Empty without the stack kernels. The run ends at the captured layer, which then keeps its own output.
    func pointwiseRun(from start: Int, input shape: [Int], capturing captured: Int?) -> (stages: [PointwiseStage], end: Int) {
        guard pointwiseStacksAvailable else { return ([], start) }
        var stages: [PointwiseStage] = []
        var i = start, s = shape
        while i < layers.count, let conv = layers[i] as? Conv2D,
              isFusablePointwise(shape: s, filter: conv.filter.value, options: conv.options) {
            let relu = i != captured && i + 1 < layers.count && (layers[i + 1] as? Activation)?.kind == .relu
            stages.append(PointwiseStage(filter: conv.filter.value, bias: conv.bias?.value, relu: relu))
            s[1] = conv.filter.value.shape[0]
            i += relu ? 2 : 1
            if i - 1 == captured { break }
        }
        return (stages, i)
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
