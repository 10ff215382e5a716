import LatticeRL

/// Drawing: every cell is a small vector picture sampled at pixel centres (MiniGrid's shapes and
/// colours), used both for 8-pixel observation sprites and for `render()` frames of any scale.
extension GridEngine {
    /// RGB of a colour index (MiniGrid's `COLORS`).
    static func rgb(_ color: UInt8) -> (Float, Float, Float) {
        switch color {
        case GridCell.red: return (255, 0, 0)
        case GridCell.green: return (0, 255, 0)
        case GridCell.blue: return (0, 0, 255)
        case GridCell.purple: return (112, 39, 195)
        case GridCell.yellow: return (255, 255, 0)
        default: return (100, 100, 100)
        }
    }

    /// The sprite slot of a cell: `object·18 + colour·3 + state`.
    @inline(__always) static func spriteIndex(_ c: GridCell) -> Int {
        Int(c.object) &* 18 &+ Int(c.color) &* 3 &+ Int(c.state)
    }

    /// The colour of cell `c` at tile position (u, v) ∈ [0, 1)², or `nil` for the black background.
    static func shade(_ c: GridCell, u: Float, v: Float) -> (Float, Float, Float)? {
        func rect(_ x0: Float, _ x1: Float, _ y0: Float, _ y1: Float) -> Bool { u >= x0 && u <= x1 && v >= y0 && v <= y1 }
        func circle(_ cx: Float, _ cy: Float, _ r: Float) -> Bool { (u - cx) * (u - cx) + (v - cy) * (v - cy) <= r * r }
        let col = rgb(c.color)
        let black: (Float, Float, Float) = (0, 0, 0)
        switch c.object {
        case GridCell.wallObject, GridCell.goalObject:
            return col
        case GridCell.floorObject:
            return rect(0.031, 1, 0.031, 1) ? (col.0 / 2, col.1 / 2, col.2 / 2) : nil
        case GridCell.lavaObject:
            // Orange with three black zigzag waves.
            for k in 0..<3 where u >= 0.1 && u <= 0.9 {
                let top = 0.3 + 0.2 * Float(k)
                let phase = (u - 0.1) / 0.2  // a zigzag of period 0.4
                let t = phase - 2 * (phase / 2).rounded(.down)
                let wave = top + 0.1 * (t <= 1 ? t : 2 - t)
                if abs(v - wave) <= 0.04 { return black }
            }
            return (255, 128, 0)
        case GridCell.doorObject:
            if c.state == GridCell.open {
                if rect(0.92, 0.96, 0.04, 0.96) { return black }
                return rect(0.88, 1, 0, 1) ? col : nil
            }
            if c.state == GridCell.locked {
                if rect(0.52, 0.75, 0.50, 0.56) { return col }
                if rect(0.06, 0.94, 0.06, 0.94) { return (col.0 * 0.45, col.1 * 0.45, col.2 * 0.45) }
                return col
            }
            if circle(0.75, 0.5, 0.08) { return col }
            if rect(0.12, 0.88, 0.12, 0.88) { return black }
            if rect(0.08, 0.92, 0.08, 0.92) { return col }
            if rect(0.04, 0.96, 0.04, 0.96) { return black }
            return col
        case GridCell.keyObject:
            if circle(0.56, 0.28, 0.064) { return black }
            if rect(0.50, 0.63, 0.31, 0.88) || rect(0.38, 0.50, 0.59, 0.66) || rect(0.38, 0.50, 0.81, 0.88)
                || circle(0.56, 0.28, 0.19) { return col }
            return nil
        case GridCell.ballObject:
            return circle(0.5, 0.5, 0.31) ? col : nil
        case GridCell.boxObject:
            if rect(0.16, 0.84, 0.47, 0.53) { return col }
            if rect(0.18, 0.82, 0.18, 0.82) { return black }
            return rect(0.12, 0.88, 0.12, 0.88) ? col : nil
        default:
            return nil
        }
    }

    /// Whether (u, v) is inside the agent's triangle for `direction` (MiniGrid's triangle
    /// (0.12, 0.19)–(0.87, 0.5)–(0.12, 0.81) pointing right, turned a quarter per direction).
    static func inAgent(direction: Int, u: Float, v: Float) -> Bool {
        var a = u - 0.5, b = v - 0.5
        for _ in 0..<direction { (a, b) = (b, -a) }  // undo a clockwise quarter turn
        let px = a + 0.5, py = b + 0.5
        // Inside the triangle with a vertical left edge at x = 0.12 and its tip at (0.87, 0.5).
        guard px >= 0.12 && px <= 0.87 else { return false }
        let half = 0.31 * (0.87 - px) / 0.75
        return abs(py - 0.5) <= half
    }

    /// Pre-draws the 8×8 sprite of every cell code and the four agent masks (pixel mode).
    func buildSprites() {
        let count = GridCell.objectCount * 18
        let s = UnsafeMutablePointer<Float>.allocate(capacity: count * 192)
        for object in 0..<GridCell.objectCount {
            for color in 0..<GridCell.colorCount {
                for state in 0..<GridCell.stateCount {
                    let c = GridCell(object: UInt8(object), color: UInt8(color), state: UInt8(state))
                    let base = s + GridEngine.spriteIndex(c) * 192
                    for py in 0..<8 {
                        for px in 0..<8 {
                            let rgb = GridEngine.shade(c, u: (Float(px) + 0.5) / 8, v: (Float(py) + 0.5) / 8) ?? (0, 0, 0)
                            base[py * 8 + px] = rgb.0 / 255
                            base[64 + py * 8 + px] = rgb.1 / 255
                            base[128 + py * 8 + px] = rgb.2 / 255
                        }
                    }
                }
            }
        }
        sprites = s
        let m = UnsafeMutablePointer<Bool>.allocate(capacity: 4 * 64)
        for d in 0..<4 {
            for py in 0..<8 {
                for px in 0..<8 {
                    m[d * 64 + py * 8 + px] = GridEngine.inAgent(direction: d, u: (Float(px) + 0.5) / 8, v: (Float(py) + 0.5) / 8)
                }
            }
        }
        agentMasks = m
    }

    /// An RGB frame of the whole grid, `renderScale` pixels a cell, with grey grid lines on the
    /// background and the agent as a red triangle pointing its way.
    func renderFrame() -> Frame {
        let s = renderScale
        let w = width * s, h = height * s
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<height {
            for x in 0..<width {
                let c = cells[y * width + x]
                let isAgent = x == agentX && y == agentY
                for py in 0..<s {
                    for px in 0..<s {
                        let u = (Float(px) + 0.5) / Float(s), v = (Float(py) + 0.5) / Float(s)
                        var rgb: (Float, Float, Float)
                        if isAgent && GridEngine.inAgent(direction: agentDirection, u: u, v: v) {
                            rgb = (255, 0, 0)
                        } else if let shaded = GridEngine.shade(c, u: u, v: v) {
                            rgb = shaded
                        } else {
                            rgb = (px == 0 || py == 0) && s >= 8 ? (100, 100, 100) : (0, 0, 0)
                        }
                        let o = ((y * s + py) * w + x * s + px) * 3
                        pixels[o] = UInt8(rgb.0); pixels[o + 1] = UInt8(rgb.1); pixels[o + 2] = UInt8(rgb.2)
                    }
                }
            }
        }
        return Frame(width: w, height: h, pixels: pixels)
    }
}
