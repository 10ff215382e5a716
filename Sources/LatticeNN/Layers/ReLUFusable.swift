import LatticeTensor

/// A layer that can compute `relu(self(x))` in one fused op. `Sequential` calls `appliedWithReLU`
/// when such a layer is directly followed by a ReLU `Activation`, and skips that activation; the
/// values, gradients and parameter names are those of the two layers run one after the other.
public protocol ReLUFusable: Layer {
    /// `relu(self(x))`, fused where the layer has a fused kernel for this input.
    func appliedWithReLU(_ x: Tensor) -> Tensor
}

extension Conv2D: ReLUFusable {
    /// Pointwise convolutions over large images run as `pointwiseConv2d(…, relu: true)`; any other
    /// convolution is followed by an ordinary `relu`.
    public func appliedWithReLU(_ x: Tensor) -> Tensor {
        if isFusablePointwise(x, filter: filter.value, options: options) {
            return pointwiseConv2d(x, filter: filter.value, bias: bias?.value, relu: true)
        }
        return relu(self(x))
    }
}

extension CoordConv2D: ReLUFusable {
    /// AddCoords, then the convolution fused with the ReLU (`tiledPointwiseConv2d` in tile mode with a
    /// 1×1 kernel, else `Conv2D.appliedWithReLU`).
    public func appliedWithReLU(_ x: Tensor) -> Tensor { apply(x, relu: true) }
}

extension Activation {
    /// Whether this is the plain ReLU.
    var isReLU: Bool { kind == .relu }
}
