import Foundation
import LatticeTensor

/// How well a set of object centres covers the valid centre region — the measurement of mode collapse
/// for the CoordConv paper's GAN experiment (Liu et al., NeurIPS 2018, §5: a conv GAN's squares fall on
/// a curve, a CoordConv GAN's cover the square).
///
/// The region `[low, high)²` (pixels) is cut into `grid × grid` equal cells; a centre outside the region
/// counts in the nearest edge cell. With `n` detected centres and `h_c` of them in cell `c`:
/// - `cellFraction` = |{c : h_c ≥ 1}| / grid² (1,000 uniform centres on 14×14 hit ≈ 99.4% of the cells);
/// - `uniformDistance` = ½ Σ_c |h_c/n − 1/grid²|, the total-variation distance to the uniform histogram
///   (0 for a perfectly even spread, → 1 − 1/grid² for a single point);
/// - `axisRatio` = √(λ_min/λ_max) of the 2×2 covariance of the centres: the ratio of the principal axes'
///   spreads, 1 for an isotropic 2-D cloud and 0 for centres on a line or a point;
/// - `missingFraction` = the share of expected objects that were not detected.
public struct CoverageMetrics: Equatable, Sendable {
    /// Share of grid cells holding at least one centre.
    public var cellFraction: Double
    /// Total-variation distance between the centre histogram and the uniform one.
    public var uniformDistance: Double
    /// Smaller over larger principal-axis spread, √(λ_min/λ_max); 0 when fewer than 2 centres or no spread.
    public var axisRatio: Double
    /// Share of expected objects not detected.
    public var missingFraction: Double
    /// Centres detected.
    public var detected: Int

    /// The metrics as `coverage/…` metric keys.
    public var metricValues: [String: Double] {
        ["coverage/cellFraction": cellFraction, "coverage/uniformDistance": uniformDistance,
         "coverage/axisRatio": axisRatio, "coverage/missingFraction": missingFraction]
    }
}

/// The grid over the valid centre region and the computation of `CoverageMetrics`.
public struct CoverageGrid: Equatable, Sendable {
    /// Lower edge of the region on both axes, in pixels.
    public var low: Double
    /// Upper edge (exclusive) on both axes.
    public var high: Double
    /// Cells per axis (14 by default: 196 cells).
    public var cells: Int

    /// A `cells × cells` grid over `[low, high)²`.
    public init(low: Double, high: Double, cells: Int = 14) {
        precondition(high > low && cells >= 1, "CoverageGrid: need high > low and cells ≥ 1")
        self.low = low
        self.high = high
        self.cells = cells
    }

    /// Squares: integer centres 4…59 on both axes, so the region is [3.5, 59.5) — 4 centres per cell.
    public static let squares = CoverageGrid(low: 3.5, high: 59.5)
    /// Sort-of-Clevr: integer centres in [10, 54), region [9.5, 53.5).
    public static let sortOfClevr = CoverageGrid(low: 9.5, high: 53.5)

    /// The grid for images with `channels` channels (1: Squares, 3: Sort-of-Clevr).
    public static func forImages(channels: Int) -> CoverageGrid { channels == 3 ? .sortOfClevr : .squares }

    /// The cell index along one axis of a coordinate, clamped into the grid.
    public func cellIndex(_ v: Double) -> Int {
        let i = Int(((v - low) / (high - low) * Double(cells)).rounded(.down))
        return Swift.min(cells - 1, Swift.max(0, i))
    }

    /// The count of centres in each cell, row-major (`row = y cell`, `column = x cell`).
    public func histogram(_ centres: [CentrePoint]) -> [Int] {
        var counts = [Int](repeating: 0, count: cells * cells)
        for c in centres { counts[cellIndex(c.y) * cells + cellIndex(c.x)] += 1 }
        return counts
    }

    /// The metrics of `centres` when `expected` objects were looked for (missing = expected − found).
    public func metrics(_ centres: [CentrePoint], expected: Int) -> CoverageMetrics {
        let total = cells * cells
        let counts = histogram(centres)
        let n = Double(centres.count)
        let hit = counts.filter { $0 > 0 }.count
        var distance = 1.0 - 1.0 / Double(total)
        if !centres.isEmpty {
            let uniform = 1.0 / Double(total)
            distance = 0.5 * counts.reduce(0.0) { $0 + Swift.abs(Double($1) / n - uniform) }
        }
        let missing = expected > 0 ? Double(Swift.max(0, expected - centres.count)) / Double(expected) : 0
        return CoverageMetrics(cellFraction: Double(hit) / Double(total), uniformDistance: distance,
                               axisRatio: CoverageGrid.axisRatio(centres), missingFraction: missing,
                               detected: centres.count)
    }

    /// √(λ_min/λ_max) of the covariance of `points`; 0 for fewer than two points or zero spread.
    public static func axisRatio(_ points: [CentrePoint]) -> Double {
        guard points.count >= 2 else { return 0 }
        let n = Double(points.count)
        let mx = points.reduce(0) { $0 + $1.x } / n, my = points.reduce(0) { $0 + $1.y } / n
        var a = 0.0, b = 0.0, c = 0.0
        for p in points {
            let dx = p.x - mx, dy = p.y - my
            a += dx * dx
            b += dx * dy
            c += dy * dy
        }
        a /= n; b /= n; c /= n
        let half = (a + c) / 2
        let root = (((a - c) / 2) * ((a - c) / 2) + b * b).squareRoot()
        let larger = half + root, smaller = Swift.max(0, half - root)
        guard larger > 1e-12 else { return 0 }
        return (smaller / larger).squareRoot()
    }
}

extension CoverageGrid {
    /// Detects the objects of `images` with `detector` (default `ObjectDetector.forImages`) and measures their centres' coverage (all
    /// objects of all images pooled; for Sort-of-Clevr both colours share the region).
    public func measure(images: Tensor, detector: ObjectDetector? = nil) -> (metrics: CoverageMetrics, centres: [CentrePoint]) {
        let found = (detector ?? ObjectDetector.forImages(channels: images.shape[1])).centres(of: images)
        let perImage = ObjectDetector.objectsPerImage(channels: images.shape[1])
        let centres = found.flatMap { $0.compactMap { $0 } }
        return (metrics(centres, expected: found.count * perImage), centres)
    }
}
