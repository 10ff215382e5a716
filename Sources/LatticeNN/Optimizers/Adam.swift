import Foundation
import LatticeTensor

/// Adam with bias correction, and optionally AdamW's decoupled weight decay, with PyTorch's
/// `torch.optim.Adam` / `torch.optim.AdamW` semantics (no amsgrad).
///
/// For gradient g and parameter p at step t (counted per parameter from 1):
/// ```
/// p ← p·(1 − lr·λ)                      (decoupled: AdamW, Loshchilov & Hutter 2019)
/// g ← g + λ·p                           (not decoupled: L2 penalty, as torch.optim.Adam)
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·g²
/// p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// ```
/// Kingma & Ba, "Adam: A Method for Stochastic Optimization" (2015).
public final class Adam: Optimizer {
    /// The step size lr.
    public var learningRate: Float
    /// Decay rate β₁ of the first-moment average.
    public let beta1: Float
    /// Decay rate β₂ of the second-moment average.
    public let beta2: Float
    /// The ε added to the denominator.
    public let epsilon: Float
    /// The weight-decay factor λ (0 disables it).
    public let weightDecay: Float
    /// `true`: AdamW's decoupled decay p ← p·(1 − lr·λ); `false`: L2 penalty g ← g + λ·p.
    public let decoupledWeightDecay: Bool

    private let store = OptimizerStateStore()
    private static let slotNames = ["exp_avg", "exp_avg_sq"]

    /// An Adam optimizer with PyTorch's defaults (lr 1e-3, β = (0.9, 0.999), ε = 1e-8, no decay).
    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0, decoupledWeightDecay: Bool = false) {
        precondition(learningRate >= 0, "Adam: learningRate must be ≥ 0, got \(learningRate)")
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2),
                     "Adam: betas must be in [0, 1), got (\(beta1), \(beta2))")
        precondition(epsilon >= 0, "Adam: epsilon must be ≥ 0, got \(epsilon)")
        precondition(weightDecay >= 0, "Adam: weightDecay must be ≥ 0, got \(weightDecay)")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// One Adam step on every parameter, in place, each gradient multiplied by `scale` first.
    public func update(_ parameters: [Parameter], along gradients: [Tensor], scaledBy scale: Float) {
        requireValidGradients(gradients, for: parameters, optimizer: "Adam")
        let lr = learningRate
        for (parameter, gradient) in zip(parameters, gradients) {
            let state = store.slots(for: parameter, count: 2)
            state.step &+= 1
            // As PyTorch: the bias corrections in double precision, then used as Float scalars.
            let t = Double(state.step)
            let correction1 = 1 - Foundation.pow(Double(beta1), t)
            let correction2 = 1 - Foundation.pow(Double(beta2), t)
            let coefficients = Backend.AdamCoefficients(
                gradientScale: scale, shrink: decoupledWeightDecay ? 1 - lr * weightDecay : 1,
                l2: decoupledWeightDecay ? 0 : weightDecay, beta1: beta1, beta2: beta2,
                stepSize: Float(Double(lr) / correction1), correction2Root: Float(correction2.squareRoot()), epsilon: epsilon)
            let m = state.buffers[0].base, v = state.buffers[1].base
            gradient.withUnsafeBufferPointer { gb in
                parameter.update { pb in
                    Backend.adamStep(pb.baseAddress!, gradients: gb.baseAddress!, firstMoments: m, secondMoments: v,
                                     count: pb.count, coefficients)
                }
            }
        }
    }

    /// `"<name>.step"` (scalar), `"<name>.exp_avg"` and `"<name>.exp_avg_sq"` per updated parameter.
    public func stateTensors(for parameters: [(String, Parameter)]) -> [(String, Tensor)] {
        store.export(parameters, slotNames: Adam.slotNames, exportsStep: true)
    }

    /// Loads the tensors written by `stateTensors(for:)`.
    public func loadState(_ tensors: [String: Tensor], for parameters: [(String, Parameter)]) throws {
        try store.load(tensors, parameters, slotNames: Adam.slotNames, exportsStep: true)
    }

    /// Forgets the moment estimates and step counts.
    public func resetState() { store.removeAll() }
}
