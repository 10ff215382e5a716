import Foundation
import LatticeRL

/// Colours for drawing MinAtar boards: one colour per channel from the cubehelix colour map, as
/// MinAtar's display does (black background, later channels painted over earlier ones).
public enum MinAtarPalette {
    /// Green's cubehelix map (D. A. Green, "A colour scheme for the display of astronomical intensity
    /// images", 2011) with matplotlib's defaults (start 0.5, rotations −1.5, hue 1, γ 1), at λ ∈ [0, 1]:
    /// φ = 2π(s/3 + rλ), a = hλ(1−λ)/2,
    /// R = λ + a(−0.14861 cos φ + 1.78277 sin φ), G = λ + a(−0.29227 cos φ − 0.90649 sin φ), B = λ + 1.97294 a cos φ.
    public static func cubehelix(_ lambda: Double) -> (UInt8, UInt8, UInt8) {
        let phi = 2 * Double.pi * (0.5 / 3 + (-1.5) * lambda)
        let amplitude = lambda * (1 - lambda) / 2
        let c = cos(phi), s = sin(phi)
        func byte(_ v: Double) -> UInt8 { UInt8((min(max(v, 0), 1) * 255).rounded()) }
        return (byte(lambda + amplitude * (-0.14861 * c + 1.78277 * s)),
                byte(lambda + amplitude * (-0.29227 * c - 0.90649 * s)),
                byte(lambda + amplitude * (1.97294 * c)))
    }

    /// The colours of `channels` channels: cubehelix sampled at λ = (i+1)/(channels+1), i = 0..<channels
    /// (the interior points of an even grid, as seaborn samples a continuous map).
    public static func colors(channels: Int) -> [(UInt8, UInt8, UInt8)] {
        (0..<channels).map { cubehelix(Double($0 + 1) / Double(channels + 1)) }
    }

    /// Draws a `[channels, 10, 10]` observation as a `10·scale` square RGB frame.
    static func frame(observation: [Float], channels: Int, scale: Int) -> Frame {
        let side = MinAtarBoard.size * scale
        var pixels = [UInt8](repeating: 0, count: side * side * 3)
        let palette = colors(channels: channels)
        for row in 0..<MinAtarBoard.size {
            for column in 0..<MinAtarBoard.size {
                var color: (UInt8, UInt8, UInt8)? = nil
                for channel in 0..<channels where observation[MinAtarBoard.index(channel, row, column)] != 0 {
                    color = palette[channel]
                }
                guard let color else { continue }
                for y in (row * scale)..<((row + 1) * scale) {
                    for x in (column * scale)..<((column + 1) * scale) {
                        let i = (y * side + x) * 3
                        pixels[i] = color.0; pixels[i + 1] = color.1; pixels[i + 2] = color.2
                    }
                }
            }
        }
        return Frame(width: side, height: side, pixels: pixels)
    }

    /// Draws the current state of `game`.
    static func frame<Game: MinAtarGame>(of game: Game, scale: Int) -> Frame {
        let count = Game.channelCount * MinAtarBoard.cellsPerChannel
        var observation = [Float](repeating: 0, count: count)
        observation.withUnsafeMutableBufferPointer { game.write(into: $0.baseAddress!) }
        return frame(observation: observation, channels: Game.channelCount, scale: scale)
    }
}
