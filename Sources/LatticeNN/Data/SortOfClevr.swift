import LatticeTensor

/// Sort-of-Clevr pairs for the CoordConv GAN experiments (Liu et al., NeurIPS 2018, §5): 64×64 RGB on a
/// white background with one red and one blue object, each a 21×21 square (centre ± 10) or a disc of
/// radius 10 (pixels with (i − cy)² + (j − cx)² ≤ 100), the shape chosen by a fair coin.
///
/// Centres are integers with x, y in [10, 54) (so every object lies inside the canvas), and the two
/// centres are at least 20 apart in Euclidean distance (the blue centre is redrawn until it is). Objects
/// 20 apart may touch or overlap by a pixel; red is drawn first and blue on top. Pixels are in [−1, 1]:
/// white (1, 1, 1), red (1, −1, −1), blue (−1, −1, 1).
///
/// Image `i` is generated on demand from `RandomGenerator(seed: mix(seed, i))`, so it depends only on
/// the seed and `i` — any subset, in any order, gives the same images.
public struct SortOfClevr: Sendable {
    /// An object's colour.
    public enum Colour: String, Sendable, CaseIterable {
        case red, blue

        /// RGB in [−1, 1].
        public var rgb: (Float, Float, Float) {
            switch self {
            case .red: return (1, -1, -1)
            case .blue: return (-1, -1, 1)
            }
        }
    }

    /// An object's shape.
    public enum Shape: String, Sendable, CaseIterable {
        /// A 21×21 square, centre ± 10.
        case square
        /// A disc of radius 10.
        case circle
    }

    /// One object of an image.
    public struct Object: Sendable, Equatable {
        /// Its colour.
        public var colour: Colour
        /// Its shape.
        public var shape: Shape
        /// Its centre, x and y in [10, 54).
        public var centre: PixelCentre
    }

    /// Canvas side in pixels: 64.
    public static let size = 64
    /// Half the side of a square and the radius of a disc: 10.
    public static let objectRadius = 10
    /// Centres lie in `centreRange` on both axes: [10, 54).
    public static let centreRange = 10..<54
    /// The least Euclidean distance between the two centres: 20.
    public static let minimumDistance = 20

    /// The seed every image is derived from.
    public let seed: UInt64
    /// The number of images (default 50,000).
    public let count: Int

    /// A dataset of `count` images derived from `seed`.
    public init(seed: UInt64 = 0, count: Int = 50_000) {
        precondition(count >= 0, "SortOfClevr: count must be non-negative, got \(count)")
        self.seed = seed
        self.count = count
    }

    /// The generator for image `index`: seeded with a SplitMix64 mix of `seed` and `index`.
    func generator(for index: Int) -> RandomGenerator {
        var z = seed &+ (UInt64(truncatingIfNeeded: index) &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return RandomGenerator(seed: z ^ (z >> 31))
    }

    /// The two objects of image `index`, red first then blue.
    public func objects(_ index: Int) -> [Object] {
        precondition(index >= 0 && index < count, "SortOfClevr: index \(index) out of range 0..<\(count)")
        var rng = generator(for: index)
        let lo = SortOfClevr.centreRange.lowerBound, span = SortOfClevr.centreRange.count
        func draw() -> PixelCentre {
            let x = lo + rng.nextInt(below: span)
            let y = lo + rng.nextInt(below: span)
            return PixelCentre(x: x, y: y)
        }
        let red = draw()
        var blue = draw()
        let d2 = SortOfClevr.minimumDistance * SortOfClevr.minimumDistance
        while (blue.x - red.x) * (blue.x - red.x) + (blue.y - red.y) * (blue.y - red.y) < d2 { blue = draw() }
        let redShape: Shape = rng.nextBernoulli(0.5) ? .square : .circle
        let blueShape: Shape = rng.nextBernoulli(0.5) ? .square : .circle
        return [Object(colour: .red, shape: redShape, centre: red),
                Object(colour: .blue, shape: blueShape, centre: blue)]
    }

    /// Images `[N, 3, 64, 64]` in [−1, 1] for `indices`.
    public func images(_ indices: [Int]) -> Tensor {
        let s = SortOfClevr.size, plane = s * s
        return Tensor(shape: [indices.count, 3, s, s]) { d in
            d.initialize(repeating: 1)
            let p = d.baseAddress!
            for (n, i) in indices.enumerated() {
                let base = n &* 3 &* plane
                for object in objects(i) { SortOfClevr.draw(object, into: p + base) }
            }
        }
    }

    /// Paints one object into a `[3, 64, 64]` image at `image`.
    static func draw(_ object: Object, into image: UnsafeMutablePointer<Float>) {
        let s = size, plane = s * s, r = objectRadius
        let (cr, cg, cb) = object.colour.rgb
        let c = object.centre
        for i in (c.y - r)...(c.y + r) {
            for j in (c.x - r)...(c.x + r) {
                if object.shape == .circle {
                    let dy = i - c.y, dx = j - c.x
                    if dx * dx + dy * dy > r * r { continue }
                }
                let o = i &* s &+ j
                image[o] = cr
                image[plane &+ o] = cg
                image[2 &* plane &+ o] = cb
            }
        }
    }
}
