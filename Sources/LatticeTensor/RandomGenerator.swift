import Foundation

/// Lattice's seeded pseudo-random generator: xoshiro256** (Blackman & Vigna, 2018) with its state
/// filled from the seed by SplitMix64, as its authors recommend.
///
/// Every random draw in Lattice comes from one of these, created from a config's seed; nothing uses an
/// unseeded global generator. Floats take the top 24 bits of a draw (uniform on [0, 1) with spacing
/// 2⁻²⁴); normals use the Box–Muller transform in Double and keep the spare.
public struct RandomGenerator: RandomNumberGenerator, Sendable {
    @usableFromInline var s0, s1, s2, s3: UInt64
    @usableFromInline var spareNormal: Double?

    /// A generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) {
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
        spareNormal = nil
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// The whole state (four xoshiro words, then the spare normal's bit pattern or 0 with a flag), for
    /// checkpoints: `RandomGenerator(state:)` continues the stream exactly.
    public var state: [UInt64] {
        [s0, s1, s2, s3, spareNormal == nil ? 0 : 1, spareNormal?.bitPattern ?? 0]
    }

    /// A generator continuing a saved `state`; `nil` if it is not six words.
    public init?(state: [UInt64]) {
        guard state.count == 6 else { return nil }
        (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3])
        spareNormal = state[4] == 0 ? nil : Double(bitPattern: state[5])
    }

    /// A new generator for an independent stream (for a sub-component such as one environment copy),
    /// derived from this one's next draw.
    public mutating func split() -> RandomGenerator { RandomGenerator(seed: next()) }

    /// Uniform on [0, 1).
    @inlinable
    public mutating func nextUniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform on [low, high).
    @inlinable
    public mutating func nextUniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * nextUniform() }

    /// Uniform on [0, 1) in double precision (53 bits).
    @inlinable
    public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform integer in 0..<bound (Lemire's unbiased method).
    @inlinable
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "nextInt(below:) needs a positive bound, got \(bound)")
        return Int(truncatingIfNeeded: next(upperBound: UInt64(bound)))
    }

    /// Standard normal N(0, 1) by Box–Muller.
    public mutating func nextNormal() -> Float {
        if let s = spareNormal { spareNormal = nil; return Float(s) }
        var u1 = nextDouble()
        while u1 <= .leastNormalMagnitude { u1 = nextDouble() }
        let u2 = nextDouble()
        let r = (-2 * Foundation.log(u1)).squareRoot()
        spareNormal = r * Foundation.sin(2 * .pi * u2)
        return Float(r * Foundation.cos(2 * .pi * u2))
    }

    /// `true` with probability `p`.
    @inlinable
    public mutating func nextBernoulli(_ p: Float) -> Bool { nextUniform() < p }

    /// An index drawn with probability proportional to `weights` (non-negative, not all zero).
    public mutating func nextCategorical<C: Collection>(weights: C) -> Int where C.Element == Float {
        var total: Float = 0
        for w in weights { total += w }
        precondition(total > 0, "nextCategorical: weights sum to \(total)")
        let u = nextUniform() * total
        var acc: Float = 0
        var last = 0
        for (i, w) in weights.enumerated() {
            acc += w
            if w > 0 { last = i }
            if u < acc { return i }
        }
        return last
    }
}

extension Tensor {
    /// Scalars uniform on [low, high).
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, using rng: inout RandomGenerator) -> Tensor {
        Tensor(shape: shape) { p in for i in p.indices { p[i] = rng.nextUniform(low, high) } }
    }

    /// Scalars from N(mean, std²).
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, using rng: inout RandomGenerator) -> Tensor {
        Tensor(shape: shape) { p in for i in p.indices { p[i] = mean + std * rng.nextNormal() } }
    }

    /// Scalars that are 1 with probability `p`, else 0.
    public static func bernoulli(_ shape: [Int], probability p: Float, using rng: inout RandomGenerator) -> Tensor {
        Tensor(shape: shape) { b in for i in b.indices { b[i] = rng.nextBernoulli(p) ? 1 : 0 } }
    }
}
