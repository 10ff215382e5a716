import LatticeTensor

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
                let value = t.withUnsafeBufferPointer { $0[0] }
                guard value >= 0, value < 0x1p53, value == value.rounded() else {
                    throw OptimizerError.invalidStep(name: "\(name).step", value: value)
                }
                step = Int(value)
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
