import LatticeTensor

/// Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay, with
/// PyTorch's `torch.optim.SGD` semantics.
///
/// For gradient g and parameter p at step t:
/// ```
/// g ← g + λ·p                          (weightDecay λ ≠ 0)
/// b ← g                                 (t = 1, momentum μ ≠ 0)
/// b ← μ·b + (1 − dampening)·g           (t > 1)
/// d ← g + μ·b   (nesterov)   or   b   (otherwise);   d = g when μ = 0
/// p ← p − lr·d
/// ```
/// Sutskever et al., "On the importance of initialization and momentum in deep learning" (2013).
public final class SGD: Optimizer {
    /// The step size lr.
    public var learningRate: Float
    /// The momentum factor μ (0 disables momentum and its state).
    public let momentum: Float
    /// The dampening applied to the gradient in the momentum average (PyTorch default 0).
    public let dampening: Float
    /// The L2 penalty λ added to the gradient as λ·p.
    public let weightDecay: Float
    /// Whether to use Nesterov momentum (needs μ > 0 and dampening 0).
    public let nesterov: Bool

    private let store = OptimizerStateStore()

    /// An SGD optimizer; PyTorch's defaults apart from the learning rate (which it requires).
    public init(learningRate: Float, momentum: Float = 0, dampening: Float = 0, weightDecay: Float = 0,
                nesterov: Bool = false) {
        precondition(learningRate >= 0, "SGD: learningRate must be ≥ 0, got \(learningRate)")
        precondition(momentum >= 0, "SGD: momentum must be ≥ 0, got \(momentum)")
        precondition(weightDecay >= 0, "SGD: weightDecay must be ≥ 0, got \(weightDecay)")
        precondition(!nesterov || (momentum > 0 && dampening == 0),
                     "SGD: nesterov needs momentum > 0 and dampening 0 (got momentum \(momentum), dampening \(dampening))")
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        slotNames = momentum != 0 ? ["momentum_buffer"] : []
    }

    /// `momentum_buffer` when μ ≠ 0, else no state.
    private let slotNames: [String]

    /// One SGD step on every parameter, in place, each gradient multiplied by `scale` first.
    public func update(_ parameters: [Parameter], along gradients: [Tensor], scaledBy scale: Float) {
        requireValidGradients(gradients, for: parameters, optimizer: "SGD")
        let lr = learningRate, mu = momentum, wd = weightDecay, keep = 1 - dampening, nest = nesterov
        for (parameter, gradient) in zip(parameters, gradients) {
            let n = gradient.scalarCount
            let state: OptimizerSlots? = mu != 0 ? store.slots(for: parameter, count: 1) : nil
            gradient.withUnsafeBufferPointer { gb in
                parameter.update { pb in
                    let g = gb.baseAddress!, p = pb.baseAddress!
                    guard let state else {
                        var i = 0
                        while i < n { p[i] -= lr * (g[i] * scale + wd * p[i]); i &+= 1 }
                        return
                    }
                    state.step &+= 1
                    let b = state.buffers[0].base
                    if state.step == 1 {
                        var i = 0
                        while i < n {
                            let gi = g[i] * scale + wd * p[i]
                            b[i] = gi
                            p[i] -= lr * (nest ? gi + mu * gi : gi)
                            i &+= 1
                        }
                    } else {
                        var i = 0
                        while i < n {
                            let gi = g[i] * scale + wd * p[i]
                            let bi = mu * b[i] + keep * gi
                            b[i] = bi
                            p[i] -= lr * (nest ? gi + mu * bi : bi)
                            i &+= 1
                        }
                    }
                }
            }
        }
    }

    /// `"<name>.momentum_buffer"` per updated parameter (nothing without momentum).
    public func stateTensors(for parameters: [(String, Parameter)]) -> [(String, Tensor)] {
        store.export(parameters, slotNames: slotNames, exportsStep: false)
    }

    /// Loads `"<name>.momentum_buffer"` tensors written by `stateTensors(for:)`.
    public func loadState(_ tensors: [String: Tensor], for parameters: [(String, Parameter)]) throws {
        try store.load(tensors, parameters, slotNames: slotNames, exportsStep: false)
    }

    /// Forgets the momentum buffers.
    public func resetState() { store.removeAll() }
}
