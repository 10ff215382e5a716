import LatticeTensor

/// A position in pixel coordinates: `x` the column, `y` the row (origin top-left), fractional.
public struct CentrePoint: Equatable, Sendable {
    /// Column.
    public var x: Double
    /// Row.
    public var y: Double

    /// The point at column `x`, row `y`.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// Finds the objects of generated or real GAN images by thresholding at the midpoint of the pixel
/// range and taking the centroid of the pixels above it.
///
/// - One channel (Squares): the object is every pixel with value > 0 (the midpoint of −1 background
///   and +1 square).
/// - Three channels (Sort-of-Clevr): one object per colour. A pixel is red when R > 0, G < 0, B < 0
///   (red is (1, −1, −1), white (1, 1, 1)), blue when B > 0, R < 0, G < 0.
///
/// An object with fewer than `minimumPixels` or more than `maximumPixels` pixels counts as not detected
/// (`nil`): a 9×9 square has 81 pixels, so a few stray pixels are noise, and half the canvas above the
/// midpoint (an untrained generator's output) is not an object either. `forImages(channels:)` allows
/// up to four times the real object's area (Squares 81 px, Sort-of-Clevr 441 px).
public struct ObjectDetector: Sendable {
    /// The least number of pixels an object needs to be detected.
    public var minimumPixels: Int
    /// The most pixels a detected object may have.
    public var maximumPixels: Int

    /// A detector that ignores objects smaller than `minimumPixels` or larger than `maximumPixels` pixels.
    public init(minimumPixels: Int = 4, maximumPixels: Int = Int.max) {
        precondition(minimumPixels >= 1 && maximumPixels >= minimumPixels,
                     "ObjectDetector: need 1 ≤ minimumPixels ≤ maximumPixels")
        self.minimumPixels = minimumPixels
        self.maximumPixels = maximumPixels
    }

    /// The detector for the GAN datasets: 4 pixels up to four times the real object's area (one channel:
    /// a 9×9 square; three: a 21×21 square).
    public static func forImages(channels: Int) -> ObjectDetector {
        ObjectDetector(minimumPixels: 4, maximumPixels: 4 * (channels == 3 ? 21 * 21 : 9 * 9))
    }

    /// The number of objects per image for a channel count: 1 (grey) or 2 (red, blue for RGB).
    public static func objectsPerImage(channels: Int) -> Int { channels == 3 ? 2 : 1 }

    /// The centre of each object of each image of `images` (`[N, 1, H, W]` or `[N, 3, H, W]`), in the
    /// order of `objectsPerImage` (red then blue); `nil` where the object is not found.
    public func centres(of images: Tensor) -> [[CentrePoint?]] {
        precondition(images.rank == 4 && (images.shape[1] == 1 || images.shape[1] == 3),
                     "ObjectDetector: images must be [N, 1, H, W] or [N, 3, H, W], got \(images.shape)")
        let n = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3]
        let plane = h &* w
        return images.withUnsafeBufferPointer { buffer in
            let p = buffer.baseAddress!
            return (0..<n).map { i -> [CentrePoint?] in
                let base = p + i &* c &* plane
                if c == 1 { return [centroid(height: h, width: w) { base[$0] > 0 }] }
                let r = base, g = base + plane, b = base + 2 &* plane
                return [centroid(height: h, width: w) { r[$0] > 0 && g[$0] < 0 && b[$0] < 0 },
                        centroid(height: h, width: w) { b[$0] > 0 && r[$0] < 0 && g[$0] < 0 }]
            }
        }
    }

    /// The centroid of the pixels (flat index `row·width + column`) where `inside` holds, or `nil` when
    /// fewer than `minimumPixels` or more than `maximumPixels` do.
    func centroid(height: Int, width: Int, _ inside: (Int) -> Bool) -> CentrePoint? {
        var count = 0, sumX = 0, sumY = 0
        for row in 0..<height {
            let start = row &* width
            for column in 0..<width where inside(start &+ column) {
                count &+= 1
                sumX &+= column
                sumY &+= row
            }
        }
        guard count >= minimumPixels && count <= maximumPixels else { return nil }
        return CentrePoint(x: Double(sumX) / Double(count), y: Double(sumY) / Double(count))
    }
}
