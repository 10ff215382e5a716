import LatticeTensor

/// RMSprop with optional momentum and centring, with PyTorch's `torch.optim.RMSprop` semantics.
///
/// For gradient g and parameter p:
/// ```
/// g ← g + λ·p                           (weightDecay λ ≠ 0)
/// v ← α·v + (1 − α)·g²
/// ḡ ← α·ḡ + (1 − α)·g                  (centred only)
/// s ← √(v − ḡ²) + ε  (centred)   or   √v + ε
/// b ← μ·b + g/s;  p ← p − lr·b          (momentum μ > 0)
/// p ← p − lr·g/s                         (μ = 0)
/// ```
/// Note ε is added outside the square root (PyTorch), unlike TensorFlow's RMSprop. All state starts at 0.
/// Hinton, Neural Networks for Machine Learning, lecture 6e; Graves (2013) for the centred form.
public final class RMSprop: Optimizer {
    /// The step size lr.
    public var learningRate: Float
    /// The smoothing constant α of the squared-gradient average.
    public let alpha: Float
    /// The ε added to the denominator (outside the square root).
    public let epsilon: Float
    /// The momentum factor μ (0 disables momentum).
    public let momentum: Float
    /// Whether to normalise by the estimated variance v − ḡ² instead of v.
    public let centered: Bool
    /// The L2 penalty λ added to the gradient.
    public let weightDecay: Float

    private let store = OptimizerStateStore()

    /// An RMSprop optimizer with PyTorch's defaults (lr 0.01, α 0.99, ε 1e-8, no momentum, not centred).
    public init(learningRate: Float = 0.01, alpha: Float = 0.99, epsilon: Float = 1e-8, momentum: Float = 0,
                centered: Bool = false, weightDecay: Float = 0) {
        precondition(learningRate >= 0, "RMSprop: learningRate must be ≥ 0, got \(learningRate)")
        precondition(alpha >= 0, "RMSprop: alpha must be ≥ 0, got \(alpha)")
        precondition(epsilon >= 0, "RMSprop: epsilon must be ≥ 0, got \(epsilon)")
        precondition(momentum >= 0, "RMSprop: momentum must be ≥ 0, got \(momentum)")
        precondition(weightDecay >= 0, "RMSprop: weightDecay must be ≥ 0, got \(weightDecay)")
        self.learningRate = learningRate
        self.alpha = alpha
        self.epsilon = epsilon
        self.momentum = momentum
        self.centered = centered
        self.weightDecay = weightDecay
        slotNames = ["square_avg"] + (centered ? ["grad_avg"] : []) + (momentum > 0 ? ["momentum_buffer"] : [])
    }

    /// Slots in buffer order: square_avg, then grad_avg (centred), then momentum_buffer (μ > 0).
    private let slotNames: [String]

    /// One RMSprop step on every parameter, in place.
    public func update(_ parameters: [Parameter], along gradients: [Tensor]) {
        requireValidGradients(gradients, for: parameters, optimizer: "RMSprop")
        let lr = learningRate, a = alpha, eps = epsilon, mu = momentum, wd = weightDecay
        let centered = self.centered, useMomentum = momentum > 0
        let slotCount = slotNames.count
        for (parameter, gradient) in zip(parameters, gradients) {
            let n = gradient.scalarCount
            let state = store.slots(for: parameter, count: slotCount)
            state.step &+= 1
            let v = state.buffers[0].base
            let mean = centered ? state.buffers[1].base : v
            let b = useMomentum ? state.buffers[slotCount - 1].base : v
            let c = 1 - a
            gradient.withUnsafeBufferPointer { gb in
                parameter.update { pb in
                    let g = gb.baseAddress!, p = pb.baseAddress!
                    // Eight lanes at a time (the compiler does not vectorise √ and ÷ by itself), then the
                    // tail one by one; both paths do the same operations in the same order, so cutting a
                    // large tensor into one range per core gives the same bits.
                    typealias V = SIMD8<Float>
                    let vWD = V(repeating: wd), vA = V(repeating: a), vC = V(repeating: c), vEps = V(repeating: eps)
                    let vMu = V(repeating: mu), vLR = V(repeating: lr)
                    DataParallel.forEachRange(count: n) { range in
                        var i = range.lowerBound
                        while i &+ 8 <= range.upperBound {
                            let gi = load8(g + i) + vWD * load8(p + i)
                            let vi = vA * load8(v + i) + vC * gi * gi
                            store8(vi, v + i)
                            var s: V
                            if centered {
                                let mi = vA * load8(mean + i) + vC * gi
                                store8(mi, mean + i)
                                let variance = vi - mi * mi
                                s = variance.replacing(with: 0, where: variance .< 0).squareRoot()
                            } else {
                                s = vi.squareRoot()
                            }
                            s += vEps
                            if useMomentum {
                                let bi = vMu * load8(b + i) + gi / s
                                store8(bi, b + i)
                                store8(load8(p + i) - vLR * bi, p + i)
                            } else {
                                store8(load8(p + i) - vLR * (gi / s), p + i)
                            }
                            i &+= 8
                        }
                        while i < range.upperBound {
                            let gi = g[i] + wd * p[i]
                            let vi = a * v[i] + c * gi * gi
                            v[i] = vi
                            var s: Float
                            if centered {
                                let mi = a * mean[i] + c * gi
                                mean[i] = mi
                                // v − ḡ² ≥ 0 in exact arithmetic; clamp rounding noise instead of taking √ of < 0.
                                let variance = vi - mi * mi
                                s = (variance < 0 ? 0 : variance).squareRoot()
                            } else {
                                s = vi.squareRoot()
                            }
                            s += eps
                            if useMomentum {
                                let bi = mu * b[i] + gi / s
                                b[i] = bi
                                p[i] -= lr * bi
                            } else {
                                p[i] -= lr * (gi / s)
                            }
                            i &+= 1
                        }
                    }
                }
            }
        }
    }

    /// `"<name>.step"` and the slots `square_avg`, `grad_avg` (centred), `momentum_buffer` (μ > 0).
    public func stateTensors(for parameters: [(String, Parameter)]) -> [(String, Tensor)] {
        store.export(parameters, slotNames: slotNames, exportsStep: true)
    }

    /// Loads the tensors written by `stateTensors(for:)`.
    public func loadState(_ tensors: [String: Tensor], for parameters: [(String, Parameter)]) throws {
        try store.load(tensors, parameters, slotNames: slotNames, exportsStep: true)
    }

    /// Forgets the averages, momentum buffers and step counts.
    public func resetState() { store.removeAll() }
}
