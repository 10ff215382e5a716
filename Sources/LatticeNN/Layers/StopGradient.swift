import LatticeTensor

/// The identity on values that passes no gradient back: the layers before it learn only from losses read
/// before it (an auxiliary loss), the layers after it learn from the output's loss.
///
/// Not-so-Clevr's CoordConv renderer uses it between the centre stack and the painter, so that the painter's
/// per-pixel loss does not pull the centre logits away from the centre (see
/// `Examples/notsoclevr/rendering-quadrant-coordconv.yaml`).
public final class StopGradient: Layer {
    /// A parameterless layer.
    public init() {}
    public func callAsFunction(_ x: Tensor) -> Tensor { stopGradient(x) }
    public func namedParameters() -> [(String, Parameter)] { [] }
    public func outputShape(for s: [Int]) throws -> [Int] { s }
}
