import Foundation

extension Plot {
    /// The chart drawn into an RGB image of `width × height` (the PNG copy of `svg()`): axes, ticks and
    /// labels in the bitmap font, lines as 2-pixel polylines, scatter points as 3×3 dots, bands as a light
    /// fill. Labels are upper-cased by the font's glyph set where it lacks lower case.
    public func raster() -> RGBAImage {
        var image = RGBAImage(width: width, height: height, fill: (255, 255, 255))
        let r = ranges, a = area
        let ink: (UInt8, UInt8, UInt8) = (60, 60, 60)
        let (x0, y0, x1, y1) = (Int(a.x0), Int(a.y0), Int(a.x1), Int(a.y1))
        image.fillRect(x: x0, y: y0, width: x1 - x0 + 1, height: 1, color: ink)
        image.fillRect(x: x0, y: y1, width: x1 - x0 + 1, height: 1, color: ink)
        image.fillRect(x: x0, y: y0, width: 1, height: y1 - y0 + 1, color: ink)
        image.fillRect(x: x1, y: y0, width: 1, height: y1 - y0 + 1, color: ink)
        BitmapFont.draw(title, into: &image, x: (width - BitmapFont.width(of: title, scale: 2)) / 2, y: 8, scale: 2, color: (0, 0, 0))
        for t in Self.ticks(r.x) {
            let px = Int(position(t, r.y.lowerBound, r).0)
            image.fillRect(x: px, y: y1, width: 1, height: 5, color: ink)
            let label = Self.tickLabel(t)
            BitmapFont.draw(label, into: &image, x: px - BitmapFont.width(of: label) / 2, y: y1 + 8, color: ink)
        }
        for t in Self.ticks(r.y) {
            let py = Int(position(r.x.lowerBound, t, r).1)
            image.fillRect(x: x0 - 4, y: py, width: 4, height: 1, color: ink)
            let label = Self.tickLabel(t)
            BitmapFont.draw(label, into: &image, x: x0 - 6 - BitmapFont.width(of: label), y: py - 3, color: ink)
        }
        BitmapFont.draw(xLabel, into: &image, x: (x0 + x1 - BitmapFont.width(of: xLabel)) / 2, y: height - 26, color: ink)
        BitmapFont.draw(yLabel, into: &image, x: 4, y: y0 - 14, color: ink)
        // Every band first, then every line, so no band hides another series' line.
        for (k, series) in series.enumerated() {
            let color = Self.palette[k % Self.palette.count]
            let light = (Self.lighten(color.0), Self.lighten(color.1), Self.lighten(color.2))
            for (lo, hi) in zip(series.band, series.band.dropFirst()) {
                let (ax, _) = position(lo.x, 0, r), (bx, _) = position(hi.x, 0, r)
                let columns = max(1, Int(bx) - Int(ax))
                for c in 0..<columns {
                    let f = Double(c) / Double(columns)
                    let low = lo.lower + f * (hi.lower - lo.lower), up = lo.upper + f * (hi.upper - lo.upper)
                    let top = Int(position(0, up, r).1), bottom = Int(position(0, low, r).1)
                    image.fillRect(x: Int(ax) + c, y: max(top, y0), width: 1, height: min(bottom, y1) - max(top, y0) + 1, color: light)
                }
            }
        }
        for (k, series) in series.enumerated() {
            let color = Self.palette[k % Self.palette.count]
            let points = series.points.filter { $0.x.isFinite && $0.y.isFinite }.map { position($0.x, $0.y, r) }
            switch kind {
            case .line:
                for (p, q) in zip(points, points.dropFirst()) { Self.line(&image, p, q, color: color, clip: (x0, y0, x1, y1)) }
            case .scatter:
                for p in points where Int(p.0) >= x0 && Int(p.0) <= x1 && Int(p.1) >= y0 && Int(p.1) <= y1 {
                    image.fillRect(x: Int(p.0) - 1, y: Int(p.1) - 1, width: 3, height: 3, color: color)
                }
            }
            let ly = y0 + 8 + k * 14
            image.fillRect(x: x0 + 10, y: ly, width: 9, height: 9, color: color)
            BitmapFont.draw(series.name, into: &image, x: x0 + 24, y: ly + 1, color: (0, 0, 0))
        }
        return image
    }

    /// The chart as PNG bytes (`raster()` encoded with `PNGEncoder`).
    public func png() throws -> Data {
        let image = raster()
        return try PNGEncoder.encode(width: image.width, height: image.height, channels: 3, pixels: image.rgbBytes)
    }

    /// A colour mixed 75% towards white.
    static func lighten(_ c: UInt8) -> UInt8 { UInt8(255 - (255 - Int(c)) / 4) }

    /// A 2-pixel-wide line from `p` to `q` (DDA), clipped to the plotting area.
    static func line(_ image: inout RGBAImage, _ p: (Double, Double), _ q: (Double, Double),
                     color: (UInt8, UInt8, UInt8), clip: (Int, Int, Int, Int)) {
        let steps = max(1, Int(max(abs(q.0 - p.0), abs(q.1 - p.1)).rounded(.up)))
        for i in 0...steps {
            let t = Double(i) / Double(steps)
            let x = Int((p.0 + t * (q.0 - p.0)).rounded()), y = Int((p.1 + t * (q.1 - p.1)).rounded())
            guard x >= clip.0, x <= clip.2, y >= clip.1, y <= clip.3 else { continue }
            image.fillRect(x: x, y: y, width: 2, height: 2, color: color)
        }
    }
}
