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

    /// One Adam step on every parameter, in place.
    public func update(_ parameters: [Parameter], along gradients: [Tensor]) {
        requireValidGradients(gradients, for: parameters, optimizer: "Adam")
        let lr = learningRate, b1 = beta1, b2 = beta2, eps = epsilon
        let l2: Float = decoupledWeightDecay ? 0 : weightDecay
        let shrink: Float = decoupledWeightDecay ? 1 - learningRate * weightDecay : 1
        for (parameter, gradient) in zip(parameters, gradients) {
            let n = gradient.scalarCount
            let state = store.slots(for: parameter, count: 2)
            state.step &+= 1
            // As PyTorch: the bias corrections in double precision, then used as Float scalars.
            let t = Double(state.step)
            let correction1 = 1 - Foundation.pow(Double(b1), t)
            let correction2 = 1 - Foundation.pow(Double(b2), t)
            let stepSize = Float(Double(lr) / correction1)
            let correction2Root = Float(correction2.squareRoot())
            let m = state.buffers[0].base, v = state.buffers[1].base
            let c1 = 1 - b1, c2 = 1 - b2
            gradient.withUnsafeBufferPointer { gb in
                parameter.update { pb in
                    let g = gb.baseAddress!, p = pb.baseAddress!
                    // Eight lanes at a time (the compiler does not vectorise √ and ÷ by itself), then the
                    // tail one by one; both paths do the same operations in the same order, so cutting a
                    // large tensor into one range per core gives the same bits.
                    typealias V = SIMD8<Float>
                    let vShrink = V(repeating: shrink), vL2 = V(repeating: l2), vB1 = V(repeating: b1)
                    let vC1 = V(repeating: c1), vB2 = V(repeating: b2), vC2 = V(repeating: c2)
                    let vStep = V(repeating: stepSize), vRoot = V(repeating: correction2Root), vEps = V(repeating: eps)
                    DataParallel.forEachRange(count: n) { range in
                        var i = range.lowerBound
                        while i &+ 8 <= range.upperBound {
                            let pi = load8(p + i) * vShrink
                            let gi = load8(g + i) + vL2 * pi
                            let mi = vB1 * load8(m + i) + vC1 * gi
                            let vi = vB2 * load8(v + i) + vC2 * gi * gi
                            store8(mi, m + i)
                            store8(vi, v + i)
                            store8(pi - vStep * (mi / (vi.squareRoot() / vRoot + vEps)), p + i)
                            i &+= 8
                        }
                        while i < range.upperBound {
                            let pi = p[i] * shrink   // shrink is exactly 1 unless decoupled, so this is exact then
                            let gi = g[i] + l2 * pi
                            let mi = b1 * m[i] + c1 * gi
                            let vi = b2 * v[i] + c2 * gi * gi
                            m[i] = mi
                            v[i] = vi
                            p[i] = pi - stepSize * (mi / (vi.squareRoot() / correction2Root + eps))
                            i &+= 1
                        }
                    }
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
