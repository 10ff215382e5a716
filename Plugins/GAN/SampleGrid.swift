import Foundation
import LatticeRuntime
import LatticeTensor

/// Tiles a batch of images in [−1, 1] (`[N, 1, H, W]` or `[N, 3, H, W]`) into one 8-bit picture,
/// row by row, `columns` images wide, with a `gap`-pixel mid-grey border between and around them.
public struct SampleGrid: Sendable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// 1 (grey) or 3 (RGB).
    public let channels: Int
    /// `width × height × channels` bytes, rows top to bottom.
    public let pixels: [UInt8]

    /// The grid of `images`, `columns` per row (the last row may be short).
    public init(images: Tensor, columns: Int, gap: Int = 1) {
        precondition(images.rank == 4 && (images.shape[1] == 1 || images.shape[1] == 3) && columns >= 1,
                     "SampleGrid: images must be [N, 1|3, H, W], got \(images.shape)")
        let n = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3]
        let cols = Swift.min(columns, Swift.max(n, 1)), rows = (n + cols - 1) / cols
        let fullWidth = cols * (w + gap) + gap, fullHeight = Swift.max(rows, 1) * (h + gap) + gap
        width = fullWidth
        height = fullHeight
        channels = c
        var out = [UInt8](repeating: 128, count: fullWidth * fullHeight * c)
        let plane = h * w
        images.withUnsafeBufferPointer { src in
            for i in 0..<n {
                let top = gap + (i / cols) * (h + gap), left = gap + (i % cols) * (w + gap)
                for y in 0..<h {
                    for x in 0..<w {
                        for k in 0..<c {
                            let v = src[i * c * plane + k * plane + y * w + x]
                            out[((top + y) * fullWidth + left + x) * c + k] = SampleGrid.byte(v)
                        }
                    }
                }
            }
        }
        pixels = out
    }

    /// [−1, 1] → 0…255 (clamped, rounded).
    public static func byte(_ v: Float) -> UInt8 {
        UInt8(Swift.max(0, Swift.min(255, ((v + 1) * 127.5).rounded())))
    }

    /// The PNG encoding.
    public func png() throws -> Data {
        try PNGEncoder.encode(width: width, height: height, channels: channels, pixels: pixels)
    }
}
