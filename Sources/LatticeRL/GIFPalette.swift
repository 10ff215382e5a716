/// The global colour table of an animated GIF and the map from RGB colours to its indices.
///
/// **Exact** when all frames together use at most 256 distinct colours (MinAtar boards and grid-worlds use
/// a handful): the palette lists them in order of first appearance and every pixel keeps its colour.
/// Otherwise a fixed **6×7×6 colour cube** (252 colours; green gets 7 levels because the eye is most
/// sensitive to it): each channel is rounded to the nearest level, `r′ = round(r·5/255)·255/5` (and
/// `g′ = round(g·6/255)·255/6`), index `42·r₆ + 6·g₇ + b₆`. No dithering.
public struct GIFPalette: Sendable, Equatable {
    /// How the palette was chosen.
    public enum Method: Sendable, Equatable {
        /// Every colour of the frames, in order of first appearance.
        case exact
        /// The fixed 6×7×6 colour cube.
        case colorCube
    }

    /// How the palette was chosen.
    public let method: Method
    /// `count` RGB triples, flattened (`3·count` bytes).
    public let colors: [UInt8]
    /// Exact palette: packed `0xRRGGBB` → index.
    private let lookup: [UInt32: UInt8]

    /// The number of colours in use.
    public var count: Int { colors.count / 3 }

    /// The exponent `s` such that the colour table holds `2^(s+1)` entries (`2^(s+1) ≥ count`, s ∈ 0...7).
    public var tableSizeField: Int {
        var s = 0
        while (1 << (s + 1)) < count { s += 1 }
        return s
    }

    /// The exact palette of `frames` if they use ≤ 256 colours, else the 6×7×6 cube.
    public init(for frames: [Frame]) {
        var lookup: [UInt32: UInt8] = [:]
        var colors: [UInt8] = []
        var overflow = false
        scan: for frame in frames {
            let p = frame.pixels
            var i = 0
            while i < p.count {
                let key = UInt32(p[i]) << 16 | UInt32(p[i + 1]) << 8 | UInt32(p[i + 2])
                if lookup[key] == nil {
                    if lookup.count == 256 { overflow = true; break scan }
                    lookup[key] = UInt8(lookup.count)
                    colors += [p[i], p[i + 1], p[i + 2]]
                }
                i += 3
            }
        }
        if overflow {
            self = GIFPalette.colorCube
        } else {
            self.method = .exact
            self.colors = colors.isEmpty ? [0, 0, 0] : colors
            self.lookup = lookup
        }
    }

    private init(method: Method, colors: [UInt8], lookup: [UInt32: UInt8]) {
        self.method = method
        self.colors = colors
        self.lookup = lookup
    }

    /// The 6×7×6 colour cube: index `42·r₆ + 6·g₇ + b₆` has colour `(r₆·51, round(g₇·255/6), b₆·51)`.
    public static let colorCube: GIFPalette = {
        var colors: [UInt8] = []
        for r in 0..<6 { for g in 0..<7 { for b in 0..<6 {
            colors += [UInt8(r * 51), UInt8((g * 255 + 3) / 6), UInt8(b * 51)]
        } } }
        return GIFPalette(method: .colorCube, colors: colors, lookup: [:])
    }()

    /// The palette index for a colour (its own entry when exact, the nearest cube level per channel else).
    @inline(__always)
    public func index(red r: UInt8, green g: UInt8, blue b: UInt8) -> UInt8 {
        switch method {
        case .exact:
            return lookup[UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)] ?? 0
        case .colorCube:
            let r6 = (Int(r) &* 5 &+ 127) / 255, g7 = (Int(g) &* 6 &+ 127) / 255, b6 = (Int(b) &* 5 &+ 127) / 255
            return UInt8(r6 &* 42 &+ g7 &* 6 &+ b6)
        }
    }

    /// The indices of every pixel of `frame`, row-major.
    public func indices(of frame: Frame) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: frame.width * frame.height)
        frame.pixels.withUnsafeBufferPointer { p in
            for i in 0..<out.count {
                out[i] = index(red: p[3 &* i], green: p[3 &* i &+ 1], blue: p[3 &* i &+ 2])
            }
        }
        return out
    }
}
