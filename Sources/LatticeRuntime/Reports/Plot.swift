import Foundation

/// A 2-D chart — learning curves (lines) or point clouds (scatter) — drawn as SVG text or rasterised
/// into an `RGBAImage` for a PNG copy. Used by `lattice compare` and the `reproduce` reports.
///
/// Axes span the data (or the fixed `xRange`/`yRange`), padded by 4% when computed; ticks are 5 evenly
/// spaced values per axis. Series colours cycle through `Plot.palette`.
public struct Plot: Sendable {
    /// How the points of every series are drawn.
    public enum Kind: Sendable { case line, scatter }

    /// One named set of points.
    public struct Series: Sendable {
        /// The legend label.
        public var name: String
        /// The points, in drawing order (lines join them in this order).
        public var points: [(x: Double, y: Double)]
        /// An optional band around a line (e.g. a 95% confidence interval): (x, lower, upper) triples.
        public var band: [(x: Double, lower: Double, upper: Double)]

        /// A series; `band` is optional.
        public init(name: String, points: [(x: Double, y: Double)], band: [(x: Double, lower: Double, upper: Double)] = []) {
            self.name = name
            self.points = points
            self.band = band
        }
    }

    /// The title above the chart.
    public var title: String
    /// The label under the x axis.
    public var xLabel: String
    /// The label beside the y axis.
    public var yLabel: String
    /// Lines or points.
    public var kind: Kind
    /// The series, drawn in order.
    public var series: [Series]
    /// Fixed axis ranges, or `nil` to fit the data.
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    /// The canvas size in pixels (SVG user units and PNG pixels alike).
    public var width = 640
    public var height = 420

    /// Series colours (RGB), cycled.
    public static let palette: [(UInt8, UInt8, UInt8)] = [
        (31, 119, 180), (214, 39, 40), (44, 160, 44), (255, 127, 14), (148, 103, 189), (140, 86, 75),
    ]

    /// A chart.
    public init(title: String, xLabel: String, yLabel: String, kind: Kind = .line, series: [Series],
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.kind = kind
        self.series = series
        self.xRange = xRange
        self.yRange = yRange
    }

    // MARK: Geometry

    /// The plotting area inside the canvas (left, top, right, bottom margins for labels and legend).
    var area: (x0: Double, y0: Double, x1: Double, y1: Double) {
        (70, 36, Double(width) - 20, Double(height) - 50)
    }

    /// The x and y ranges drawn: the fixed ones, or the points with both coordinates finite (and the bands)
    /// padded by 4% (a unit span when flat).
    var ranges: (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        func fit(_ values: [Double], fixed: ClosedRange<Double>?) -> ClosedRange<Double> {
            if let fixed { return fixed }
            let finite = values.filter(\.isFinite)
            guard var lo = finite.min(), var hi = finite.max() else { return 0...1 }
            if hi - lo < 1e-12 { lo -= 0.5; hi += 0.5 }
            let pad = (hi - lo) * 0.04
            return (lo - pad)...(hi + pad)
        }
        let drawn = series.flatMap { $0.points.filter { $0.x.isFinite && $0.y.isFinite } }
        let xs = drawn.map(\.x) + series.flatMap { $0.band.map(\.x) }
        let ys = drawn.map(\.y) + series.flatMap { $0.band.flatMap { [$0.lower, $0.upper] } }
        return (fit(xs, fixed: xRange), fit(ys, fixed: yRange))
    }

    /// Maps a data point to canvas coordinates (y grows downwards).
    func position(_ x: Double, _ y: Double, _ r: (x: ClosedRange<Double>, y: ClosedRange<Double>)) -> (Double, Double) {
        let a = area
        let px = a.x0 + (x - r.x.lowerBound) / (r.x.upperBound - r.x.lowerBound) * (a.x1 - a.x0)
        let py = a.y1 - (y - r.y.lowerBound) / (r.y.upperBound - r.y.lowerBound) * (a.y1 - a.y0)
        return (px, py)
    }

    /// Five evenly spaced tick values over `range`.
    static func ticks(_ range: ClosedRange<Double>) -> [Double] {
        (0...4).map { range.lowerBound + Double($0) / 4 * (range.upperBound - range.lowerBound) }
    }

    /// A short label for a tick value (`1.5k`, `2M`, `0.25`).
    static func tickLabel(_ v: Double) -> String {
        let a = abs(v)
        if a >= 1e6 { return String(format: "%.3gM", v / 1e6) }
        if a >= 1e4 { return String(format: "%.3gk", v / 1e3) }
        if a >= 100 || a == 0 { return String(format: "%.0f", v) }
        return String(format: "%.3g", v)
    }

    // MARK: SVG

    /// The chart as a standalone SVG document.
    public func svg() -> String {
        let r = ranges, a = area
        func hex(_ c: (UInt8, UInt8, UInt8)) -> String { String(format: "#%02x%02x%02x", c.0, c.1, c.2) }
        func f(_ v: Double) -> String { String(format: "%.2f", v) }
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(Double(width) / 2))" y="20" text-anchor="middle" font-size="14">\(Self.escape(title))</text>
        <rect x="\(f(a.x0))" y="\(f(a.y0))" width="\(f(a.x1 - a.x0))" height="\(f(a.y1 - a.y0))" fill="none" stroke="#444"/>

        """
        for t in Self.ticks(r.x) {
            let (px, _) = position(t, r.y.lowerBound, r)
            s += "<line x1=\"\(f(px))\" y1=\"\(f(a.y1))\" x2=\"\(f(px))\" y2=\"\(f(a.y1 + 4))\" stroke=\"#444\"/>"
            s += "<text x=\"\(f(px))\" y=\"\(f(a.y1 + 16))\" text-anchor=\"middle\">\(Self.tickLabel(t))</text>\n"
        }
        for t in Self.ticks(r.y) {
            let (_, py) = position(r.x.lowerBound, t, r)
            s += "<line x1=\"\(f(a.x0 - 4))\" y1=\"\(f(py))\" x2=\"\(f(a.x0))\" y2=\"\(f(py))\" stroke=\"#444\"/>"
            s += "<text x=\"\(f(a.x0 - 6))\" y=\"\(f(py + 4))\" text-anchor=\"end\">\(Self.tickLabel(t))</text>\n"
        }
        s += "<text x=\"\(f((a.x0 + a.x1) / 2))\" y=\"\(f(Double(height) - 22))\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>\n"
        s += "<text x=\"16\" y=\"\(f((a.y0 + a.y1) / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(f((a.y0 + a.y1) / 2)))\">\(Self.escape(yLabel))</text>\n"
        // Every band first, then every line, so no band hides another series' line.
        for (k, series) in series.enumerated() where !series.band.isEmpty {
            let color = hex(Self.palette[k % Self.palette.count])
            let upper = series.band.map { position($0.x, $0.upper, r) }
            let lower = series.band.reversed().map { position($0.x, $0.lower, r) }
            let points = (upper + lower).map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
            s += "<polygon points=\"\(points)\" fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"none\"/>\n"
        }
        for (k, series) in series.enumerated() {
            let color = hex(Self.palette[k % Self.palette.count])
            let finite = series.points.filter { $0.x.isFinite && $0.y.isFinite }
            switch kind {
            case .line:
                let points = finite.map { position($0.x, $0.y, r) }.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
                s += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\"/>\n"
            case .scatter:
                for p in finite {
                    let (px, py) = position(p.x, p.y, r)
                    s += "<circle cx=\"\(f(px))\" cy=\"\(f(py))\" r=\"1.8\" fill=\"\(color)\" fill-opacity=\"0.6\"/>"
                }
                s += "\n"
            }
            let ly = a.y0 + 14 + Double(k) * 16
            s += "<rect x=\"\(f(a.x0 + 10))\" y=\"\(f(ly - 9))\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            s += "<text x=\"\(f(a.x0 + 26))\" y=\"\(f(ly))\">\(Self.escape(series.name))</text>\n"
        }
        return s + "</svg>\n"
    }

    /// `text` with XML's special characters escaped.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
