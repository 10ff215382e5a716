import LatticeNN
import LatticeRuntime
import LatticeTensor

/// The GAN image datasets of the CoordConv paper (Liu et al., NeurIPS 2018, §5) as `Dataset`s:
/// `GAN/Squares-v0` (one 9×9 square at a uniformly random centre on a 64×64 one-channel canvas) and
/// `GAN/SortOfClevr-v0` (a red and a blue object on a white 64×64 RGB canvas). Pixels are in [−1, 1].
///
/// Nothing is stored: example `i` of a split is generated when asked for, from a generator seeded by a
/// SplitMix64 mix of the dataset seed, the split and `i`, so any subset in any order gives the same
/// images. Targets are the object centres in pixels: `[x, y]` for Squares, `[redX, redY, blueX, blueY]`
/// for Sort-of-Clevr.
///
/// Splits: `train` (`count` images) and `test` (`count / 10`, at least 1), drawn from disjoint seeds.
public final class GANImageDataset: Dataset {
    /// Which picture the dataset draws.
    public enum Kind: Sendable {
        /// Not-so-Clevr squares: one channel, one 9×9 square (+1) on −1, centre uniform over 4…59².
        case squares
        /// Sort-of-Clevr pairs: RGB, white background, one red and one blue square or disc.
        case sortOfClevr
    }

    public let id: String
    public let splitNames = ["train", "test"]
    /// The picture kind.
    public let kind: Kind
    private let train: Split
    private let test: Split

    /// One split: `count` images generated on demand from `seed`.
    final class Split: DatasetSplit {
        let kind: Kind
        let seed: UInt64
        let count: Int

        init(kind: Kind, seed: UInt64, count: Int) {
            self.kind = kind
            self.seed = seed
            self.count = count
        }

        var inputShape: [Int] { kind == .squares ? [1, 64, 64] : [3, 64, 64] }
        var targetShape: [Int] { kind == .squares ? [2] : [4] }

        /// The centre of the square of image `index` (Squares).
        func squareCentre(_ index: Int) -> PixelCentre {
            var rng = RandomGenerator(seed: GANImageDataset.mix(seed, index))
            return Squares().randomCentre(rng: &rng)
        }

        var clevr: SortOfClevr { SortOfClevr(seed: seed, count: count) }

        func example(at index: Int) -> (input: Tensor, target: Tensor) {
            let (x, y) = batch([index])
            return (x.reshaped(inputShape), y.reshaped(targetShape))
        }

        func batch(_ indices: [Int]) -> (inputs: Tensor, targets: Tensor) {
            for i in indices {
                precondition(i >= 0 && i < count, "\(kind) split: index \(i) out of range 0..<\(count)")
            }
            switch kind {
            case .squares:
                let centres = indices.map(squareCentre)
                let targets = centres.flatMap { [Float($0.x), Float($0.y)] }
                return (Squares().render(centres), Tensor(shape: [indices.count, 2], scalars: targets))
            case .sortOfClevr:
                let source = clevr
                let targets = indices.flatMap { i in source.objects(i).flatMap { [Float($0.centre.x), Float($0.centre.y)] } }
                return (source.images(indices), Tensor(shape: [indices.count, 4], scalars: targets))
            }
        }
    }

    /// A dataset of `kind` with `count` training images derived from `seed`.
    public init(kind: Kind, count: Int, seed: UInt64) {
        precondition(count >= 1, "GANImageDataset: count must be at least 1, got \(count)")
        self.kind = kind
        id = kind == .squares ? "GAN/Squares-v0" : "GAN/SortOfClevr-v0"
        train = Split(kind: kind, seed: seed, count: count)
        test = Split(kind: kind, seed: GANImageDataset.mix(seed ^ 0x7E57_7E57, 0), count: max(1, count / 10))
    }

    public func split(_ name: String) throws -> any DatasetSplit {
        switch name {
        case "train": return train
        case "test": return test
        default: throw DatasetError.unknownSplit(dataset: id, split: name, known: splitNames)
        }
    }

    /// SplitMix64 of `seed` and `index`: the per-image generator seed.
    static func mix(_ seed: UInt64, _ index: Int) -> UInt64 {
        var z = seed &+ (UInt64(truncatingIfNeeded: index) &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
