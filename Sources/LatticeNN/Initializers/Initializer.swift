import LatticeTensor

/// How a weight tensor's initial values are drawn, following PyTorch's `torch.nn.init`.
///
/// Fans are PyTorch's (`WeightFans`): a weight `[out, in, k…]` has fanIn = in·∏k and
/// fanOut = out·∏k, so a dense weight is `[out, in]` and a conv weight `[out, in, kh, kw]`.
/// All draws come from the `RandomGenerator` passed in, so the same seed gives the same weights.
public enum Initializer: Equatable, Sendable {
    /// All zeros.
    case zeros
    /// Every scalar equal to the value.
    case constant(Float)
    /// He/Kaiming normal: N(0, σ²) with σ = gain/√fan, gain = √(2/(1 + a²)) for leaky-ReLU slope a
    /// (√2 for ReLU, a = 0). He et al., "Delving Deep into Rectifiers" (2015).
    case heNormal(negativeSlope: Float = 0, mode: FanMode = .fanIn)
    /// He/Kaiming uniform: U(−b, b) with b = √3·gain/√fan, gain as `heNormal`.
    case heUniform(negativeSlope: Float = 0, mode: FanMode = .fanIn)
    /// Glorot/Xavier uniform: U(−b, b) with b = gain·√(6/(fanIn + fanOut)).
    /// Glorot & Bengio, "Understanding the difficulty of training deep feedforward networks" (2010).
    case glorotUniform(gain: Float = 1)
    /// Glorot/Xavier normal: N(0, σ²) with σ = gain·√(2/(fanIn + fanOut)).
    case glorotNormal(gain: Float = 1)
    /// A (semi-)orthogonal matrix times `gain`, uniformly distributed (Haar), from the QR factorisation of a
    /// normal matrix; see `orthogonalMatrix`. Saxe et al., "Exact solutions to the nonlinear dynamics of
    /// learning in deep linear neural networks" (2014).
    case orthogonal(gain: Float = 1)

    /// Which fan the He initialisers divide by: fanIn keeps the forward activations' variance,
    /// fanOut the backward gradients'.
    public enum FanMode: String, Equatable, Sendable, Codable {
        /// in·∏k (PyTorch's default `fan_in`).
        case fanIn
        /// out·∏k.
        case fanOut
    }

    /// The gain √(2/(1 + a²)) of a leaky ReLU with negative slope a (√2 for ReLU), PyTorch's
    /// `calculate_gain('leaky_relu', a)`.
    public static func leakyReLUGain(negativeSlope a: Float) -> Float { (2 / (1 + a * a)).squareRoot() }

    /// A tensor of `shape` initialised by this rule.
    public func make(_ shape: [Int], using rng: inout RandomGenerator) -> Tensor {
        switch self {
        case .zeros:
            return Tensor(zeros: shape)
        case let .constant(c):
            return Tensor(repeating: c, shape: shape)
        case let .heNormal(a, mode):
            let std = Initializer.leakyReLUGain(negativeSlope: a) / Float(WeightFans(shape, rule: "heNormal")[mode]).squareRoot()
            return Tensor.normal(shape, std: std, using: &rng)
        case let .heUniform(a, mode):
            let std = Initializer.leakyReLUGain(negativeSlope: a) / Float(WeightFans(shape, rule: "heUniform")[mode]).squareRoot()
            let bound = Float(3).squareRoot() * std
            return Tensor.uniform(shape, low: -bound, high: bound, using: &rng)
        case let .glorotUniform(gain):
            let fans = WeightFans(shape, rule: "glorotUniform")
            let bound = gain * (6 / Float(fans.fanIn + fans.fanOut)).squareRoot()
            return Tensor.uniform(shape, low: -bound, high: bound, using: &rng)
        case let .glorotNormal(gain):
            let fans = WeightFans(shape, rule: "glorotNormal")
            let std = gain * (2 / Float(fans.fanIn + fans.fanOut)).squareRoot()
            return Tensor.normal(shape, std: std, using: &rng)
        case let .orthogonal(gain):
            return Initializer.orthogonalMatrix(shape, gain: gain, using: &rng)
        }
    }

    /// Replaces `parameter`'s value with a fresh draw of its shape.
    public func initialize(_ parameter: Parameter, using rng: inout RandomGenerator) {
        parameter.assign(make(parameter.shape, using: &rng))
    }
}

/// The fan-in and fan-out of a weight shape, as PyTorch's `_calculate_fan_in_and_fan_out`:
/// for `[out, in, k₁, …]`, receptive field r = ∏kᵢ, fanIn = in·r, fanOut = out·r.
public struct WeightFans: Equatable, Sendable {
    /// Inputs feeding each output unit.
    public var fanIn: Int
    /// Outputs fed by each input unit.
    public var fanOut: Int

    /// Fans given directly (for layouts other than `[out, in, k…]`).
    public init(fanIn: Int, fanOut: Int) {
        self.fanIn = fanIn
        self.fanOut = fanOut
    }

    /// The fans of `shape` (rank ≥ 2); `rule` names the initialiser in the error for a smaller rank.
    public init(_ shape: [Int], rule: String = "initializer") {
        precondition(shape.count >= 2,
                     "\(rule): fans need a weight of rank ≥ 2 ([out, in, …]), got shape \(shape); use .zeros or .constant for biases")
        let receptive = shape.dropFirst(2).reduce(1, *)
        fanIn = shape[1] * receptive
        fanOut = shape[0] * receptive
        precondition(fanIn > 0 && fanOut > 0, "\(rule): shape \(shape) has an empty axis, so its fans are 0")
    }

    /// The fan selected by `mode`.
    public subscript(_ mode: Initializer.FanMode) -> Int { mode == .fanIn ? fanIn : fanOut }
}
