import LatticeNN
import LatticeTensor

/// The adversarial losses, on discriminator logits l (D(x) = σ(l)), each a mean over the batch
/// (Goodfellow et al., 2014; hinge: Lim & Ye, 2017, and Miyato et al., 2018).
public enum GANLoss: String, Sendable, CaseIterable {
    /// D: −log σ(l_real) − log(1 − σ(l_fake)) = softplus(−l_real) + softplus(l_fake);
    /// G: −log σ(l_fake) = softplus(−l_fake) (strong gradients when D rejects the fakes).
    case nonSaturating
    /// D as `nonSaturating`; G minimises log(1 − σ(l_fake)) = −softplus(l_fake) (the original minimax game).
    case minimax
    /// D: max(0, 1 − l_real) + max(0, 1 + l_fake); G: −l_fake.
    case hinge

    /// The discriminator's loss from its logits on a real and a fake batch.
    public func discriminator(real: Tensor, fake: Tensor) -> Tensor {
        switch self {
        case .nonSaturating, .minimax: return softplus(-real).mean() + softplus(fake).mean()
        case .hinge: return relu(1 - real).mean() + relu(1 + fake).mean()
        }
    }

    /// The generator's loss from the discriminator's logits on a fake batch.
    public func generator(fake: Tensor) -> Tensor {
        switch self {
        case .nonSaturating: return softplus(-fake).mean()
        case .minimax: return -softplus(fake).mean()
        case .hinge: return -fake.mean()
        }
    }
}
