import LatticeTensor

/// The GAN data of the CoordConv paper's 2-D square distribution (Liu et al., NeurIPS 2018, §5): a 64×64,
/// one-channel image with one filled 9×9 square at a uniformly random integer centre in 4…59 on both axes
/// (Not-so-Clevr's positions), pixels scaled to [−1, 1] (background −1, square +1, ready for a tanh
/// generator). Generated on the fly from a `RandomGenerator`, so a stream is reproducible from its seed.
public struct Squares: Sendable {
    /// One generated batch: images `[N, 1, 64, 64]` and the centre of each square.
    public struct Batch: Sendable {
        /// Images `[N, 1, 64, 64]`, −1 background and +1 square.
        public var images: Tensor
        /// The square's centre in each image.
        public var centres: [PixelCentre]

        /// A batch of `images` whose squares are centred at `centres`.
        public init(images: Tensor, centres: [PixelCentre]) {
            self.images = images
            self.centres = centres
        }
    }

    /// Canvas side in pixels: 64.
    public static let size = NotSoClevr.size
    /// Background value: −1.
    public static let background: Float = -1
    /// Square value: +1.
    public static let foreground: Float = 1

    /// The square-image source.
    public init() {}

    /// A uniformly random centre: x and y each uniform over the integers 4…59 (x drawn first).
    public func randomCentre(rng: inout RandomGenerator) -> PixelCentre {
        let n = NotSoClevr.centresPerAxis
        let x = NotSoClevr.minCentre + rng.nextInt(below: n)
        let y = NotSoClevr.minCentre + rng.nextInt(below: n)
        return PixelCentre(x: x, y: y)
    }

    /// `count` images with independent uniform centres drawn from `rng`.
    public func batch(count: Int, rng: inout RandomGenerator) -> Batch {
        var centres: [PixelCentre] = []
        centres.reserveCapacity(count)
        for _ in 0..<count { centres.append(randomCentre(rng: &rng)) }
        return Batch(images: render(centres), centres: centres)
    }

    /// Images `[N, 1, 64, 64]` of 9×9 squares (+1) at `centres` on a −1 background.
    public func render(_ centres: [PixelCentre]) -> Tensor {
        let s = Squares.size, h = NotSoClevr.halfSize
        return Tensor(shape: [centres.count, 1, s, s]) { d in
            d.initialize(repeating: Squares.background)
            let p = d.baseAddress!
            for (n, c) in centres.enumerated() {
                precondition(c.x - h >= 0 && c.x + h < s && c.y - h >= 0 && c.y + h < s,
                             "Squares: centre \(c) puts the square outside the 64×64 canvas (use 4…59)")
                let base = n &* s &* s
                for row in (c.y - h)...(c.y + h) {
                    let start: Int = base &+ row &* s &+ c.x &- h
                    (p + start).update(repeating: Squares.foreground, count: 2 &* h &+ 1)
                }
            }
        }
    }
}
