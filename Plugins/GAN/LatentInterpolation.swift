import LatticeTensor

/// Straight-line walks in latent space, z(t) = (1 − t)·z₀ + t·z₁ for t = 0, 1/(frames − 1), …, 1 — the
/// CoordConv paper's probe (§5, Fig. 7): a CoordConv GAN's objects slide smoothly across the canvas as z
/// moves, a conv GAN's tend to fade out in one place and in at another.
public struct LatentInterpolation: Sendable {
    /// Latents `[rows · frames, latentSize]`, row by row.
    public let latents: Tensor
    /// Walks.
    public let rows: Int
    /// Points per walk.
    public let frames: Int

    /// `rows` walks of `frames` points between pairs of endpoints drawn by `draw`.
    public init(rows: Int, frames: Int, draw: (Int) -> Tensor) {
        precondition(rows >= 1 && frames >= 2, "LatentInterpolation: need rows ≥ 1 and frames ≥ 2")
        self.rows = rows
        self.frames = frames
        let ends = draw(2 * rows)
        let size = ends.shape[1]
        latents = Tensor(shape: [rows * frames, size]) { out in
            ends.withUnsafeBufferPointer { e in
                for r in 0..<rows {
                    for f in 0..<frames {
                        let t = Float(f) / Float(frames - 1)
                        for k in 0..<size {
                            out[(r * frames + f) * size + k] = (1 - t) * e[2 * r * size + k] + t * e[(2 * r + 1) * size + k]
                        }
                    }
                }
            }
        }
    }

    /// For one walk's detected centres (`nil` = no object), the summed distance between consecutive
    /// detections and the number of frames without an object.
    public static func path(_ centres: [CentrePoint?]) -> (length: Double, missing: Int) {
        var length = 0.0, previous: CentrePoint? = nil
        for c in centres {
            guard let c else { continue }
            if let p = previous { length += ((c.x - p.x) * (c.x - p.x) + (c.y - p.y) * (c.y - p.y)).squareRoot() }
            previous = c
        }
        return (length, centres.filter { $0 == nil }.count)
    }
}
