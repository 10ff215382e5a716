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
    /// shapes). Stops with a message naming both shapes when a gradient does not fit its parameter;
    /// call `validateGradients(_:for:)` first to get that as a thrown `OptimizerError`.
    func update(_ parameters: [Parameter], along gradients: [Tensor])

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

/// Why an optimizer refused its inputs or a saved state.
public enum OptimizerError: Error, Equatable, CustomStringConvertible {
    /// Different numbers of parameters and gradients.
    case countMismatch(parameters: Int, gradients: Int)
    /// The gradient at `index` does not have its parameter's shape.
    case shapeMismatch(index: Int, parameterShape: [Int], gradientShape: [Int])
    /// A state tensor whose name matches no parameter slot of this optimizer.
    case unknownStateTensor(name: String, known: [String])
    /// Some but not all slots of a parameter were given.
    case missingStateTensor(name: String)
    /// A state tensor whose shape differs from the slot's.
    case stateShapeMismatch(name: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case let .countMismatch(p, g):
            return "optimizer: \(p) parameters but \(g) gradients; pass one gradient per parameter, in the same order"
        case let .shapeMismatch(i, ps, gs):
            return "optimizer: gradient \(i) has shape \(gs) but its parameter has shape \(ps); "
                + "pass the gradients in the same order as the parameters"
        case let .unknownStateTensor(name, known):
            let shown = known.prefix(20).joined(separator: ", ")
            return "optimizer state: unknown tensor '\(name)'; known: \(shown)\(known.count > 20 ? ", …" : "")"
        case let .missingStateTensor(name):
            return "optimizer state: missing tensor '\(name)' (the other slots of its parameter are present); "
                + "save and load with the same optimizer settings"
        case let .stateShapeMismatch(name, expected, found):
            return "optimizer state: tensor '\(name)' has shape \(found) but the parameter needs \(expected)"
        }
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

/// The state of one parameter: a step count and a few buffers of the parameter's size.
final class OptimizerSlots {
    /// Held so the parameter's identity cannot be reused while its state lives.
    let parameter: Parameter
    /// Updates applied so far (PyTorch's `state['step']`).
    var step: Int = 0
    /// One zero-initialised buffer per slot, each with the parameter's scalar count.
    let buffers: [TensorStorage]

    init(parameter: Parameter, slotCount: Int) {
        self.parameter = parameter
        let n = parameter.value.scalarCount
        buffers = (0..<slotCount).map { _ in TensorStorage(count: n, repeating: 0) }
    }
}

/// Per-parameter optimizer state keyed by `ObjectIdentifier`, with export/import by dotted name.
final class OptimizerStateStore {
    private var slots: [ObjectIdentifier: OptimizerSlots] = [:]

    /// The state of `parameter`, created (zeroed) on first use.
    func slots(for parameter: Parameter, count: Int) -> OptimizerSlots {
        let id = ObjectIdentifier(parameter)
        if let s = slots[id], s.buffers.count == count { return s }
        let s = OptimizerSlots(parameter: parameter, slotCount: count)
        slots[id] = s
        return s
    }

    func removeAll() { slots.removeAll() }

    /// Exports `"<name>.<slot>"` for each buffer slot, plus `"<name>.step"` (a scalar) if `exportsStep`.
    func export(_ parameters: [(String, Parameter)], slotNames: [String], exportsStep: Bool) -> [(String, Tensor)] {
        var out: [(String, Tensor)] = []
        for (name, parameter) in parameters {
            guard let s = slots[ObjectIdentifier(parameter)], s.buffers.count == slotNames.count else { continue }
            if exportsStep { out.append(("\(name).step", Tensor(Float(s.step)))) }
            for (slot, storage) in zip(slotNames, s.buffers) {
                out.append(("\(name).\(slot)", Tensor(shape: parameter.shape, storage: storage.copy())))
            }
        }
        return out
    }

    /// Imports what `export` wrote; validates everything before changing anything.
    func load(_ tensors: [String: Tensor], _ parameters: [(String, Parameter)], slotNames: [String],
              exportsStep: Bool) throws {
        let allSlots = (exportsStep ? ["step"] : []) + slotNames
        var known: [String] = []
        for (name, _) in parameters { for slot in allSlots { known.append("\(name).\(slot)") } }
        let knownSet = Set(known)
        for key in tensors.keys.sorted() where !knownSet.contains(key) {
            throw OptimizerError.unknownStateTensor(name: key, known: known)
        }
        var plan: [(Parameter, Int, [Tensor])] = []
        for (name, parameter) in parameters {
            let present = allSlots.filter { tensors["\(name).\($0)"] != nil }
            if present.isEmpty { continue }
            if let missing = allSlots.first(where: { tensors["\(name).\($0)"] == nil }) {
                throw OptimizerError.missingStateTensor(name: "\(name).\(missing)")
            }
            var step = 1
            if exportsStep {
                let t = tensors["\(name).step"]!
                guard t.scalarCount == 1 else {
                    throw OptimizerError.stateShapeMismatch(name: "\(name).step", expected: [], found: t.shape)
                }
                step = Int(t.withUnsafeBufferPointer { $0[0] })
            }
            var buffers: [Tensor] = []
            for slot in slotNames {
                let t = tensors["\(name).\(slot)"]!
                guard t.shape == parameter.shape else {
                    throw OptimizerError.stateShapeMismatch(name: "\(name).\(slot)", expected: parameter.shape,
                                                            found: t.shape)
                }
                buffers.append(t)
            }
            plan.append((parameter, step, buffers))
        }
        for (parameter, step, buffers) in plan {
            let s = OptimizerSlots(parameter: parameter, slotCount: buffers.count)
            s.step = step
            for (storage, t) in zip(s.buffers, buffers) {
                t.withUnsafeBufferPointer { storage.base.update(from: $0.baseAddress!, count: storage.count) }
            }
            slots[ObjectIdentifier(parameter)] = s
        }
    }
}

/// Eight scalars from `p` (any alignment).
@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }

/// Eight scalars from `p` (any alignment).
@inline(__always)
func load8(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }

/// Writes eight scalars to `p` (any alignment).
@inline(__always)
func store8(_ x: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: x, as: SIMD8<Float>.self)
}
