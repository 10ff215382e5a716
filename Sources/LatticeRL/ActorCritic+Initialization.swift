import LatticeNN
import LatticeTensor

extension ActorCritic {
    /// Makes a weight tensor of `shape` with the given gain: for the PPO initialisation, an orthogonal
    /// matrix (PyTorch's `orthogonal_`: the shape read as `[shape[0], product of the rest]`) times `gain`.
    public typealias WeightInitializer = (_ shape: [Int], _ gain: Float, _ rng: inout RandomGenerator) -> Tensor

    /// The gain √2 that PPO gives hidden layers followed by ReLU.
    public static let hiddenGain: Float = Float(2).squareRoot()

    /// The PPO initialisation (Huang et al., "The 37 Implementation Details of PPO", 2022, detail 2):
    /// every weight (a parameter of rank ≥ 2) of the trunk gets `initializer(shape, hiddenGain)`, of the
    /// policy head `initializer(shape, policyGain)`, of the value head `initializer(shape, valueGain)`;
    /// every parameter named `…bias` becomes zeros. Other rank-1 parameters (normalisation scales) are kept.
    /// Parts are initialised in the order trunk, policy head, value head, each in `namedParameters()`
    /// order, all from `rng`, so the result is a pure function of the seed.
    ///
    /// - Parameters:
    ///   - initializer: the orthogonal initializer (passed in so any implementation can be used).
    ///   - hiddenGain: √2 by default (ReLU).
    ///   - policyGain: 0.01 by default, so the first policy is near uniform.
    ///   - valueGain: 1 by default.
    public func initializeForPPO(using initializer: WeightInitializer, rng: inout RandomGenerator,
                                 hiddenGain: Float = ActorCritic.hiddenGain, policyGain: Float = 0.01,
                                 valueGain: Float = 1) {
        for (part, gain) in [(trunk, hiddenGain), (policyHead, policyGain), (valueHead, valueGain)] as [(any Layer, Float)] {
            for (name, parameter) in part.namedParameters() {
                if parameter.value.rank >= 2 {
                    let w = initializer(parameter.shape, gain, &rng)
                    precondition(w.shape == parameter.shape,
                                 "initializeForPPO: the initializer gave \(w.shape) for parameter '\(name)' of shape \(parameter.shape)")
                    parameter.assign(w)
                } else if name == "bias" || name.hasSuffix(".bias") {
                    parameter.assign(Tensor(zeros: parameter.shape))
                }
            }
        }
    }
}
