import LatticeNN
import LatticeTensor

extension ActorCritic {
    /// The standard MinAtar network (Young & Tian, 2019; the PPO/A2C agents built on it): for observations
    /// `[C, H, W]`, trunk = conv 16 filters 3×3 stride 1 no padding → relu → flatten → dense
    /// 16·(H−2)·(W−2) → 128 → relu; policy head dense 128 → `actionCount`; value head dense 128 → 1.
    /// Parameters start with PyTorch's default initialisation drawn from `rng` (call `initializeForPPO`
    /// for the PPO one). Names: `trunk.0.weight`, `trunk.0.bias`, `trunk.3.weight`, `trunk.3.bias`,
    /// `policyHead.weight`, `policyHead.bias`, `valueHead.weight`, `valueHead.bias`.
    public static func minAtar(observationShape: [Int], actionCount: Int, filters: Int = 16, hidden: Int = 128,
                               rng: inout RandomGenerator) -> ActorCritic {
        precondition(observationShape.count == 3 && observationShape[1] >= 3 && observationShape[2] >= 3,
                     "ActorCritic.minAtar: observations must be [C, H, W] with H, W ≥ 3, got \(observationShape)")
        precondition(actionCount > 0, "ActorCritic.minAtar: actionCount must be positive, got \(actionCount)")
        let (c, h, w) = (observationShape[0], observationShape[1], observationShape[2])
        let conv = Conv2D(channels: c, filters: filters, kernel: (3, 3), options: .init(stride: 1, padding: 0), rng: &rng)
        let features = filters * (h - 2) * (w - 2)
        let dense = Dense(inputs: features, outputs: hidden, rng: &rng)
        let trunk = Sequential([conv, Activation(.relu), Flatten(), dense, Activation(.relu)])
        let policy = Dense(inputs: hidden, outputs: actionCount, rng: &rng)
        let value = Dense(inputs: hidden, outputs: 1, rng: &rng)
        return ActorCritic(trunk: trunk, policyHead: policy, valueHead: value)
    }
}
