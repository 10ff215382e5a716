import LatticeTensor

extension SafetensorsFile {
    /// The prefix under which `init(model:optimizer:metadata:)` stores optimizer state.
    public static let optimizerPrefix = "optimizer."

    /// A file holding the values of named parameters (copies of the current values).
    public init(parameters: [(String, Parameter)], metadata: [String: String] = [:]) throws {
        try self.init(tensors: parameters.map { ($0.0, $0.1.value.detached) }, metadata: metadata)
    }

    /// A checkpoint of `model` — its parameters and buffers by dotted name — and, if given, the
    /// optimizer's state under `"optimizer.<parameter name>.<slot>"`.
    public init(model: Layer, optimizer: Optimizer? = nil, metadata: [String: String] = [:]) throws {
        let named = model.namedParameters()
        var tensors = (named + model.namedBuffers()).map { ($0.0, $0.1.value.detached) }
        if let optimizer {
            tensors += optimizer.stateTensors(for: named).map { (SafetensorsFile.optimizerPrefix + $0.0, $0.1) }
        }
        try self.init(tensors: tensors, metadata: metadata)
    }

    /// Assigns the tensor of each parameter's name to it. Every name must be present with the
    /// parameter's shape; otherwise nothing is assigned and the error names the missing tensor (and
    /// the available ones) or both shapes. Tensors that match no parameter are ignored.
    public func assign(to parameters: [(String, Parameter)]) throws {
        var plan: [(Parameter, Tensor)] = []
        plan.reserveCapacity(parameters.count)
        for (name, parameter) in parameters {
            guard let tensor = self[name] else {
                throw CheckpointError.missingTensor(name: name, available: names.sorted())
            }
            guard tensor.shape == parameter.shape else {
                throw CheckpointError.shapeMismatch(name: name, parameterShape: parameter.shape, checkpointShape: tensor.shape)
            }
            plan.append((parameter, tensor))
        }
        for (parameter, tensor) in plan { parameter.assign(tensor) }
    }

    /// Restores `model`'s parameters and buffers (as `assign(to:)`) and, if given, the optimizer's state
    /// from the `"optimizer."` tensors. Everything is checked before anything changes.
    public func restore(model: Layer, optimizer: Optimizer? = nil) throws {
        let named = model.namedParameters()
        let all = named + model.namedBuffers()
        // Check the model part first so a bad file changes nothing.
        for (name, parameter) in all {
            guard let tensor = self[name] else { throw CheckpointError.missingTensor(name: name, available: names.sorted()) }
            guard tensor.shape == parameter.shape else {
                throw CheckpointError.shapeMismatch(name: name, parameterShape: parameter.shape, checkpointShape: tensor.shape)
            }
        }
        if let optimizer { try optimizer.loadState(optimizerState(), for: named) }
        try assign(to: all)
    }

    /// The tensors stored under `"optimizer."`, with that prefix removed (for `Optimizer.loadState`).
    public func optimizerState() -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (name, tensor) in tensors where name.hasPrefix(SafetensorsFile.optimizerPrefix) {
            out[String(name.dropFirst(SafetensorsFile.optimizerPrefix.count))] = tensor
        }
        return out
    }
}
