import LatticeNN
import LatticeTensor

/// An actor-critic network with a shared trunk: h = trunk(x), logits = policyHead(h) `[N, A]`,
/// values = valueHead(h) `[N, 1]` read as `[N]` (the shared-trunk layout of CleanRL's Atari PPO).
///
/// Parameter names are `trunk.…`, `policyHead.…`, `valueHead.…` (`trunk.0.weight`), stable for optimizers
/// and checkpoints. As a `Layer` its single output is `[N, A + 1]`: the logits followed by the value.
/// Calls that want the two parts use `let (logits, values) = model(observations)` or `evaluate(_:)`;
/// the joined tensor needs its type spelled (`let y: Tensor = model(x)`), or a call through `any Layer`.
public final class ActorCritic: Layer {
    /// The shared feature extractor (e.g. conv → relu → flatten → dense → relu).
    public let trunk: any Layer
    /// Features → action logits `[N, A]`.
    public let policyHead: any Layer
    /// Features → state value `[N, 1]`.
    public let valueHead: any Layer

    /// A model from its three parts.
    public init(trunk: any Layer, policyHead: any Layer, valueHead: any Layer) {
        self.trunk = trunk
        self.policyHead = policyHead
        self.valueHead = valueHead
    }

    /// The action logits `[N, A]` and state values `[N]` of a batch of observations `[N, ...]`.
    public func evaluate(_ observations: Tensor) -> (logits: Tensor, values: Tensor) {
        let h = trunk(observations)
        let logits = policyHead(h)
        let v = valueHead(h)
        precondition(v.rank == 2 && v.shape[1] == 1, "ActorCritic: valueHead must give [N, 1], got \(v.shape); end it with a dense layer of 1 output")
        return (logits, v.reshaped([v.shape[0]]))
    }

    /// The action logits `[N, A]` and state values `[N]` (the same as `evaluate(_:)`).
    public func callAsFunction(_ observations: Tensor) -> (logits: Tensor, values: Tensor) {
        evaluate(observations)
    }

    /// The state values `[N]` only (skips the policy head; used for bootstrapping).
    public func values(_ observations: Tensor) -> Tensor {
        let v = valueHead(trunk(observations))
        return v.reshaped([v.shape[0]])
    }

    /// `Layer` conformance: the logits and the value side by side, `[N, A + 1]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let (logits, values) = evaluate(x)
        return Tensor.concat([logits, values.reshaped([values.shape[0], 1])], alongAxis: 1)
    }

    /// The parameters of the trunk, then the policy head, then the value head, prefixed with the part's name.
    public func namedParameters() -> [(String, Parameter)] {
        trunk.namedParameters().map { ("trunk.\($0.0)", $0.1) }
            + policyHead.namedParameters().map { ("policyHead.\($0.0)", $0.1) }
            + valueHead.namedParameters().map { ("valueHead.\($0.0)", $0.1) }
    }

    /// The non-trainable buffers, prefixed like `namedParameters()`.
    public func namedBuffers() -> [(String, Parameter)] {
        trunk.namedBuffers().map { ("trunk.\($0.0)", $0.1) }
            + policyHead.namedBuffers().map { ("policyHead.\($0.0)", $0.1) }
            + valueHead.namedBuffers().map { ("valueHead.\($0.0)", $0.1) }
    }

    /// Switches training behaviour in all three parts.
    public func setTraining(_ training: Bool) {
        trunk.setTraining(training)
        policyHead.setTraining(training)
        valueHead.setTraining(training)
    }

    /// `[N, A + 1]` for observations of `inputShape`; checks that both heads fit the trunk's features.
    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let (policy, _) = try headShapes(for: inputShape)
        return [policy[0], policy[1] + 1]
    }

    /// The shapes of the logits and of the value head's output for observations of `inputShape`.
    public func headShapes(for inputShape: [Int]) throws -> (logits: [Int], value: [Int]) {
        let features = try trunk.outputShape(for: inputShape)
        let policy = try policyHead.outputShape(for: features)
        let value = try valueHead.outputShape(for: features)
        guard policy.count == 2 else {
            throw ShapeError(layer: "actorCritic.policyHead", inputShape: features, reason: "gives \(policy); it must give [N, actions]")
        }
        guard value.count == 2, value[1] == 1 else {
            throw ShapeError(layer: "actorCritic.valueHead", inputShape: features, reason: "gives \(value); it must give [N, 1]")
        }
        return (policy, value)
    }
}
