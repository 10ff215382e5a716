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

    /// One RMSprop step on every parameter, in place, each gradient multiplied by `scale` first.
    public func update(_ parameters: [Parameter], along gradients: [Tensor], scaledBy scale: Float) {
        requireValidGradients(gradients, for: parameters, optimizer: "RMSprop")
        let coefficients = Backend.RMSpropCoefficients(gradientScale: scale, weightDecay: weightDecay, alpha: alpha,
                                                       epsilon: epsilon, momentum: momentum, learningRate: learningRate)
        let slotCount = slotNames.count
        for (parameter, gradient) in zip(parameters, gradients) {
            let state = store.slots(for: parameter, count: slotCount)
            state.step &+= 1
            let v = state.buffers[0].base
            let mean = centered ? state.buffers[1].base : nil
            let buffer = momentum > 0 ? state.buffers[slotCount - 1].base : nil
            gradient.withUnsafeBufferPointer { gb in
                parameter.update { pb in
                    Backend.rmspropStep(pb.baseAddress!, gradients: gb.baseAddress!, meanSquares: v, mean: mean,
                                        momentumBuffer: buffer, count: pb.count, coefficients)
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
