import LatticeTensor

/// A layer that can compute `activation(self(x))` in one fused op for some activations. `Sequential`
/// offers it the `Activation` that directly follows it and skips that activation when the layer takes
/// it; the values, gradients and parameter names are those of the two layers run one after the other.
public protocol ActivationFusable: Layer {
    /// `activation(self(x))` as one fused op, or nil when the layer has none for this activation (or this
    /// input or mode); `Sequential` then runs the two layers one after the other.
    func applied(_ x: Tensor, followedBy activation: Activation.Kind) -> Tensor?
}

/// A layer that can compute `relu(self(x))` in one fused op (`Sequential` calls `appliedWithReLU` when
/// a ReLU follows it).
public protocol ReLUFusable: ActivationFusable {
    /// `relu(self(x))`, fused where the layer has a fused kernel for this input.
    func appliedWithReLU(_ x: Tensor) -> Tensor
}

extension ReLUFusable {
    public func applied(_ x: Tensor, followedBy activation: Activation.Kind) -> Tensor? {
        activation == .relu ? appliedWithReLU(x) : nil
    }
}

extension BatchNorm2D: ActivationFusable {
    /// In training mode, a following ReLU or leaky ReLU runs inside `batchNormalized` (the output and the
    /// gate of the gradient in the same passes as the normalisation); nil otherwise.
    public func applied(_ x: Tensor, followedBy activation: Activation.Kind) -> Tensor? {
        guard isTraining, x.rank == 4 || x.rank == 2, x.shape[1] == channels else { return nil }
        switch activation {
        case .relu: return normalizedWithBatchStatistics(x, activationSlope: 0)
        case .leakyReLU(let slope): return normalizedWithBatchStatistics(x, activationSlope: slope)
        default: return nil
        }
    }
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
