import LatticeTensor

/// A first-order optimizer: moves parameters along (minus) their gradients, keeping per-parameter
/// state (momentum, moment estimates) keyed by the parameter's identity.
///
/// State is created on a parameter's first update and lives as long as the optimizer. For
/// checkpoints it is exported and imported as named tensors `"<parameter name>.<slot>"`, with the
/// slot names PyTorch uses in its `state_dict` (`momentum_buffer`, `exp_avg`, `exp_avg_sq`,
/// `square_avg`, `grad_avg`, `step`).
public protocol Optimizer: AnyObject {
    /// The step size used by the next `update` (schedules set it before each step).
    var learningRate: Float { get set }

    /// One optimization step: updates each parameter in place along its gradient (same order, same
    /// shapes) multiplied by `scale` (the factor of global-norm clipping, `clipFactor(norm:maxNorm:)`: the
    /// same numbers as stepping along `clipGradients(byGlobalNorm:)`'s copies, without making them). Stops
    /// with a message naming both shapes when a gradient does not fit its parameter; call
    /// `validateGradients(_:for:)` first to get that as a thrown `OptimizerError`.
    func update(_ parameters: [Parameter], along gradients: [Tensor], scaledBy scale: Float)

    /// The state of the named parameters as named tensors `"<name>.<slot>"` (copies), in
    /// parameter order; parameters never updated have no state and contribute nothing.
    func stateTensors(for parameters: [(String, Parameter)]) -> [(String, Tensor)]

    /// Replaces the state of the named parameters with tensors named as `stateTensors(for:)` names them.
    /// A parameter with none of its slots keeps fresh state; a partial set, an unknown name or a
    /// wrong shape is an `OptimizerError` (and nothing is changed).
    func loadState(_ tensors: [String: Tensor], for parameters: [(String, Parameter)]) throws

    /// Forgets all per-parameter state (as if freshly created).
    func resetState()
}

extension Optimizer {
    /// One optimization step along the gradients as they are (`scaledBy: 1`).
    public func update(_ parameters: [Parameter], along gradients: [Tensor]) {
        update(parameters, along: gradients, scaledBy: 1)
    }
}

/// Checks that `gradients` has one tensor per parameter with the parameter's shape.
public func validateGradients(_ gradients: [Tensor], for parameters: [Parameter]) throws {
    guard parameters.count == gradients.count else {
        throw OptimizerError.countMismatch(parameters: parameters.count, gradients: gradients.count)
    }
    for i in parameters.indices where parameters[i].shape != gradients[i].shape {
        throw OptimizerError.shapeMismatch(index: i, parameterShape: parameters[i].shape,
                                           gradientShape: gradients[i].shape)
    }
}

/// `validateGradients`, stopping with the error's message (a mismatch is a programming error).
func requireValidGradients(_ gradients: [Tensor], for parameters: [Parameter], optimizer: String) {
    do { try validateGradients(gradients, for: parameters) } catch {
        fatalError("\(optimizer).update: \(error)")
    }
}
