import LatticeNN
import LatticeRL
import LatticeTensor

/// Builds an `ActorCritic` from a config's `model` section through the layer registry, for the A2C and
/// PPO trainers, `lattice eval` and `lattice watch`.
///
/// ```yaml
/// model:
///   trunk:                       # any registered layers; must end in [N, features]
///     - coordconv2d: {filters: 16, kernel: 3}
///     - relu
///     - flatten
///     - dense: {units: 128}
///     - relu
///   policyHead: []               # optional hidden layers; a dense layer to the action count is appended
///   valueHead: []                # optional hidden layers; a dense layer to 1 output is appended
/// ```
///
/// The output layers are appended so one config fits every environment (the action count comes from
/// the environment). With `ppoInitialization` (the default of both trainers), every weight is
/// orthogonal with gain √2 in the trunk and hidden head layers, 0.01 on the policy output and 1 on the
/// value output, and biases are zero (Huang et al. 2022, detail 2; SB3 does the same for A2C).
public enum ActorCriticBuilder {
    /// The network names an actor-critic model section may use.
    public static let networkNames = ["trunk", "policyHead", "valueHead"]

    /// The model for observations of `observationShape` (no batch axis) and `actionCount` actions;
    /// weights are drawn from `rng`. Errors name the network and layer (`model.trunk.2 (conv2d): …`).
    public static func build(_ model: ModelSpec, observationShape: [Int], actionCount: Int, registries: Registries,
                             ppoInitialization: Bool = true, rng: inout RandomGenerator) throws -> ActorCritic {
        for network in model.networks where !networkNames.contains(network.name) {
            let node = network.layers.first?.node
            throw ConfigError(.invalidValue, at: node?.location, path: "model.\(network.name)",
                              "an actor-critic model has the networks \(networkNames.joined(separator: ", ")); '\(network.name)' is not one of them")
        }
        guard let trunkSpecs = model["trunk"] else {
            throw ConfigError(.missingKey("trunk"), at: nil, path: "model",
                              "an actor-critic model needs 'model.trunk' (a list of layers ending in [N, features], e.g. … flatten, dense: {units: 128}, relu)")
        }
        let batchShape = [1] + observationShape
        let trunk = try ModelBuilder.build(trunkSpecs, inputShape: batchShape, registries: registries, rng: &rng)
        guard trunk.outputShape.count == 2 else {
            throw ConfigError(.invalidValue, at: trunkSpecs.last?.node.location, path: "model.trunk",
                              "the trunk gives \(trunk.outputShape) for observations \(batchShape); it must give [N, features] — end it with 'flatten' (and a dense layer)")
        }
        func head(_ name: String, outputs: Int) throws -> any Layer {
            let hidden = try ModelBuilder.build(model[name] ?? [], inputShape: trunk.outputShape, registries: registries, rng: &rng)
            guard hidden.outputShape.count == 2 else {
                throw ConfigError(.invalidValue, at: model[name]?.last?.node.location, path: "model.\(name)",
                                  "the \(name) gives \(hidden.outputShape); it must give [N, features]")
            }
            let output = Dense(inputs: hidden.outputShape[1], outputs: outputs, rng: &rng)
            return Sequential(hidden.layers + [output])
        }
        let policy = try head("policyHead", outputs: actionCount)
        let value = try head("valueHead", outputs: 1)
        let model = ActorCritic(trunk: Sequential(trunk.layers), policyHead: policy, valueHead: value)
        if ppoInitialization { model.initializeForPPO(rng: &rng) }
        return model
    }
}

extension ActorCritic {
    /// The PPO initialisation with the heads' hidden layers at gain √2 and only their output (last)
    /// layers at the policy (0.01) and value (1) gains, all orthogonal (`Initializer.orthogonalMatrix`).
    public func initializeForPPO(rng: inout RandomGenerator) {
        func orthogonal(_ shape: [Int], _ gain: Float, _ rng: inout RandomGenerator) -> Tensor {
            Initializer.orthogonalMatrix(shape, gain: gain, using: &rng)
        }
        ActorCritic(trunk: trunk, policyHead: Self.hiddenPart(policyHead), valueHead: Self.hiddenPart(valueHead))
            .initializeForPPO(using: orthogonal, rng: &rng, policyGain: ActorCritic.hiddenGain, valueGain: ActorCritic.hiddenGain)
        ActorCritic(trunk: Sequential([]), policyHead: Self.outputPart(policyHead), valueHead: Self.outputPart(valueHead))
            .initializeForPPO(using: orthogonal, rng: &rng)
    }

    /// All layers of a head but its last (the whole head when it is not a `Sequential`: nothing).
    private static func hiddenPart(_ head: any Layer) -> any Layer {
        guard let s = head as? Sequential, !s.layers.isEmpty else { return Sequential([]) }
        return Sequential(Array(s.layers.dropLast()))
    }

    /// The last layer of a head (the head itself when it is not a `Sequential`).
    private static func outputPart(_ head: any Layer) -> any Layer {
        guard let s = head as? Sequential, let last = s.layers.last else { return head }
        return last
    }
}
