import LatticeRL

/// An 8-bit RGBA image, rows top to bottom, `width × height × 4` bytes (byte order R, G, B, A, which is
/// SDL's `SDL_PIXELFORMAT_RGBA32`): the viewer's canvas.
public struct RGBAImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `width × height × 4` bytes.
    public var pixels: [UInt8]

    /// An image filled with one opaque colour.
    public init(width: Int, height: Int, fill: (UInt8, UInt8, UInt8) = (0, 0, 0)) {
        precondition(width > 0 && height > 0, "RGBAImage: sides must be positive, got \(width)×\(height)")
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 255, count: width * height * 4)
        fillRect(x: 0, y: 0, width: width, height: height, color: fill)
    }

    /// An image over existing bytes (`width × height × 4`).
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 4, "RGBAImage: \(pixels.count) bytes for \(width)×\(height) RGBA")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The colour (R, G, B) at column `x`, row `y`.
    public func pixel(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        let i = (y * width + x) * 4
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// Fills the rectangle `[x, x+width) × [y, y+height)`, clipped to the image, with an opaque colour.
    public mutating func fillRect(x: Int, y: Int, width w: Int, height h: Int, color: (UInt8, UInt8, UInt8)) {
        let x0 = max(0, x), x1 = min(width, x + w), y0 = max(0, y), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        let stride = width
        pixels.withUnsafeMutableBufferPointer { p in
            for row in y0..<y1 {
                var i = (row &* stride &+ x0) &* 4
                for _ in x0..<x1 {
                    p[i] = color.0; p[i &+ 1] = color.1; p[i &+ 2] = color.2; p[i &+ 3] = 255
                    i &+= 4
                }
            }
        }
    }

    /// Copies `frame` with every pixel drawn as a `scale × scale` block (nearest neighbour) with its top-left
    /// corner at (`x`, `y`): canvas pixel (x + i, y + j) = frame pixel (⌊i/scale⌋, ⌊j/scale⌋). Clipped.
    public mutating func blit(_ frame: Frame, x: Int, y: Int, scale: Int) {
        precondition(scale >= 1, "RGBAImage.blit: scale must be ≥ 1")
        let outW = frame.width * scale, outH = frame.height * scale
        let x0 = max(0, x), x1 = min(width, x + outW), y0 = max(0, y), y1 = min(height, y + outH)
        guard x0 < x1, y0 < y1 else { return }
        let stride = width, frameWidth = frame.width
        frame.pixels.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                for row in y0..<y1 {
                    let sourceRow = (row &- y) / scale
                    var i = (row &* stride &+ x0) &* 4
                    for column in x0..<x1 {
                        let s = (sourceRow &* frameWidth &+ (column &- x) / scale) &* 3
                        dst[i] = src[s]; dst[i &+ 1] = src[s &+ 1]; dst[i &+ 2] = src[s &+ 2]; dst[i &+ 3] = 255
                        i &+= 4
                    }
                }
            }
        }
    }

    /// The RGB bytes (alpha dropped), `width × height × 3`, e.g. for `PNGEncoder` with 3 channels.
    public var rgbBytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            out[3 * i] = pixels[4 * i]; out[3 * i + 1] = pixels[4 * i + 1]; out[3 * i + 2] = pixels[4 * i + 2]
        }
        return out
    }

    /// The image as an RGB `Frame` (alpha dropped), e.g. to record the canvas as a GIF.
    public var frame: Frame { Frame(width: width, height: height, pixels: rgbBytes) }
}
