import LatticeTensor

/// Not-so-Clevr, the supervised CoordConv dataset (Liu et al., NeurIPS 2018, §3): a black 64×64 canvas
/// with one filled 9×9 square (half-size 4, value 1.0) whose centre (x, y) takes every integer in 4…59
/// on both axes — 56 × 56 = 3136 examples, generated on demand (no files).
///
/// Example `i` has centre `x = 4 + i % 56`, `y = 4 + i / 56` (row-major over centres). Per example:
/// - the integer centre, and the normalised centre `2·c/63 − 1` in [−1, 1] — the same scale as the
///   x and y channels of `AddCoords` on a 64×64 map, so the value at pixel column x is the normalised x
///   (the paper's code divides by 64 instead; the choice only rescales regression targets);
/// - a 64×64 one-hot map with a single 1 at (row y, column x); its flat label is `y·64 + x`;
/// - the 64×64 image: 1.0 on rows y−4…y+4 and columns x−4…x+4, 0 elsewhere (the paper's intent;
///   the code's 128/255 is an artefact).
///
/// Splits (`split(_:seed:)`): `uniform` — a seeded random permutation, test = the first ⌊3136/5⌋ = 627,
/// train = the other 2509 (the reference code's own split is 2368/768); `quadrant` — test = every centre
/// with x ≥ 33 and y ≥ 33 (27 × 27 = 729, the bottom-right quadrant in image coordinates), train = the
/// other 2407. Index lists are returned in increasing order.
public struct NotSoClevr: Sendable {
    /// Canvas side in pixels.
    public static let size = 64
    /// Half the side of the square: it covers centre ± 4, i.e. 9×9 pixels.
    public static let halfSize = 4
    /// The smallest centre coordinate (so the square fits): 4.
    public static let minCentre = 4
    /// The largest centre coordinate: 59.
    public static let maxCentre = 59
    /// Centres per axis: 56.
    public static let centresPerAxis = maxCentre - minCentre + 1
    /// The smallest coordinate on both axes of a quadrant-split test centre: 33.
    public static let quadrantStart = 33
    /// The known split names.
    public static let splitNames = ["uniform", "quadrant"]

    /// A dataset of all 3136 centres.
    public init() {}

    /// The number of examples: 3136.
    public var count: Int { NotSoClevr.centresPerAxis * NotSoClevr.centresPerAxis }

    /// The integer centre of example `index`: x = 4 + index % 56, y = 4 + index / 56.
    public func centre(_ index: Int) -> PixelCentre {
        precondition(index >= 0 && index < count, "NotSoClevr: index \(index) out of range 0..<\(count)")
        return PixelCentre(x: NotSoClevr.minCentre + index % NotSoClevr.centresPerAxis,
                           y: NotSoClevr.minCentre + index / NotSoClevr.centresPerAxis)
    }

    /// The index of the example centred at (x, y), both in 4…59.
    public func index(of c: PixelCentre) -> Int {
        let r = NotSoClevr.minCentre...NotSoClevr.maxCentre
        precondition(r.contains(c.x) && r.contains(c.y), "NotSoClevr: centre \(c) outside 4…59")
        return (c.y - NotSoClevr.minCentre) * NotSoClevr.centresPerAxis + (c.x - NotSoClevr.minCentre)
    }

    /// A pixel coordinate scaled to [−1, 1]: `2·c/63 − 1` (AddCoords's scale on a 64-pixel axis).
    public static func normalise(_ c: Int) -> Float { 2 * Float(c) / Float(size - 1) - 1 }

    /// The inverse of `normalise`: `(v + 1)·63/2`, not rounded.
    public static func denormalise(_ v: Float) -> Float { (v + 1) * Float(size - 1) / 2 }

    /// Normalised centres `[N, 2]`, each row `(x, y)` scaled by `normalise`.
    public func coordinates(_ indices: [Int]) -> Tensor {
        Tensor(shape: [indices.count, 2]) { d in
            for (n, i) in indices.enumerated() {
                let c = centre(i)
                d[2 * n] = NotSoClevr.normalise(c.x)
                d[2 * n + 1] = NotSoClevr.normalise(c.y)
            }
        }
    }

    /// Integer centres `[N, 2]` as floats, each row `(x, y)` in pixels.
    public func pixelCoordinates(_ indices: [Int]) -> Tensor {
        Tensor(shape: [indices.count, 2]) { d in
            for (n, i) in indices.enumerated() {
                let c = centre(i)
                d[2 * n] = Float(c.x)
                d[2 * n + 1] = Float(c.y)
            }
        }
    }

    /// Flat pixel labels `y·64 + x` of the centres (the class in coordinate classification).
    public func labels(_ indices: [Int]) -> [Int] {
        indices.map { let c = centre($0); return c.y * NotSoClevr.size + c.x }
    }

    /// One-hot maps `[N, 1, 64, 64]`: a single 1 at (row y, column x), 0 elsewhere.
    public func oneHotMaps(_ indices: [Int]) -> Tensor {
        let plane = NotSoClevr.size * NotSoClevr.size
        let labels = labels(indices)
        return Tensor(shape: [indices.count, 1, NotSoClevr.size, NotSoClevr.size]) { d in
            d.initialize(repeating: 0)
            for (n, l) in labels.enumerated() { d[n &* plane &+ l] = 1 }
        }
    }

    /// Rendered images `[N, 1, 64, 64]`: 1.0 on the 9×9 square around each centre, 0 elsewhere.
    public func images(_ indices: [Int]) -> Tensor {
        let s = NotSoClevr.size, h = NotSoClevr.halfSize
        return Tensor(shape: [indices.count, 1, s, s]) { d in
            d.initialize(repeating: 0)
            let p = d.baseAddress!
            for (n, i) in indices.enumerated() {
                let c = centre(i)
                let base = n &* s &* s
                for row in (c.y - h)...(c.y + h) {
                    let start: Int = base &+ row &* s &+ c.x &- h
                    (p + start).update(repeating: 1, count: 2 &* h &+ 1)
                }
            }
        }
    }

    /// The named split as sorted index lists. `uniform`: a seeded random 80/20 split (test ⌊N/5⌋ = 627,
    /// train 2509); `quadrant`: test = centres with x ≥ 33 and y ≥ 33 (729), train = the rest (2407).
    /// The quadrant split ignores `seed`. An unknown name is an error listing the known ones.
    public func split(_ name: String, seed: UInt64 = 0) throws -> (train: [Int], test: [Int]) {
        switch name {
        case "uniform":
            var rng = RandomGenerator(seed: seed)
            let permutation = seededPermutation(count, rng: &rng)
            let testCount = count / 5
            return (Array(permutation[testCount...]).sorted(), Array(permutation[..<testCount]).sorted())
        case "quadrant":
            var train: [Int] = [], test: [Int] = []
            for i in 0..<count {
                let c = centre(i)
                if c.x >= NotSoClevr.quadrantStart && c.y >= NotSoClevr.quadrantStart { test.append(i) } else { train.append(i) }
            }
            return (train, test)
        default:
            throw DatasetError("NotSoClevr: unknown split '\(name)'; known: \(NotSoClevr.splitNames.joined(separator: ", "))")
        }
    }
}

/// A Fisher–Yates permutation of `0..<count` drawn from `rng`.
private func seededPermutation(_ count: Int, rng: inout RandomGenerator) -> [Int] {
    var p = Array(0..<count)
    if count < 2 { return p }
    for i in stride(from: count - 1, to: 0, by: -1) {
        p.swapAt(i, rng.nextInt(below: i + 1))
    }
    return p
}
