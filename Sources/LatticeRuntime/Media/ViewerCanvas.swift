import Foundation
import LatticeRL

/// Composes what the viewer window shows: the environment's frame scaled up with crisp nearest-neighbour
/// pixels, and a side panel with the overlay's text, the action probabilities as bars, the value estimate
/// and the key help. Pure Swift, so the SDL window, `--record` and the tests draw the same pixels.
///
/// Layout (all in canvas pixels, `s = scale`, `W = frame.width·s`, `H = frame.height·s`):
/// - canvas `(W + panelWidth) × max(H, panel height)`, background `background`;
/// - the frame at (0, 0): canvas pixel (x, y) = frame pixel (⌊x/s⌋, ⌊y/s⌋) for x < W, y < H;
/// - the panel `[W, W + panelWidth) × [0, height)` in `panelColor`; text starts at
///   `x₀ = W + margin`, rows are `rowHeight` apart from `y = margin`: the title (without its namespace
///   when it does not fit; text is cut at the panel's edge), the overlay lines, then
///   (when an action is known or actions are named) `ACTION <name>` (`ACTION -` before the first step), then one bar row per action, then `VALUE <v>` (`VALUE -` when
///   probabilities are shown without a value);
/// - bar row `a` at top `y`: the label (the action's name) at `x₀`; the track `barLength × barThickness`
///   at `(x₀ + barOffset, y)` in `trackColor`, over it the bar of length `round(π(a)·barLength)` (clamped to
///   `0...barLength`) in `chosenColor` for the action taken, else `barColor`;
/// - the help lines bottom-aligned: line k of n at `y = height − margin − (n − k)·rowHeight`.
public struct ViewerCanvas: Sendable, Equatable {
    /// Width of the side panel.
    public static let panelWidth = 288
    /// Panel padding.
    public static let margin = 12
    /// Text scale (each font pixel a 2 × 2 block).
    public static let textScale = 2
    /// Distance between text rows (`BitmapFont.lineHeight · textScale`).
    public static let rowHeight = BitmapFont.lineHeight * textScale
    /// Offset of the bars from the text start (room for a 5-character label and a gap).
    public static let barOffset = 5 * BitmapFont.advance * textScale + 8
    /// Length of a full bar (probability 1).
    public static let barLength = panelWidth - 2 * margin - barOffset
    /// Thickness of a bar (the glyph height).
    public static let barThickness = BitmapFont.glyphHeight * textScale

    /// Canvas background (below a short frame).
    public static let background: (UInt8, UInt8, UInt8) = (16, 16, 20)
    /// Panel background.
    public static let panelColor: (UInt8, UInt8, UInt8) = (36, 38, 46)
    /// Body text.
    public static let textColor: (UInt8, UInt8, UInt8) = (225, 228, 235)
    /// The title and the value line.
    public static let titleColor: (UInt8, UInt8, UInt8) = (130, 200, 255)
    /// Key help.
    public static let helpColor: (UInt8, UInt8, UInt8) = (150, 155, 170)
    /// An empty bar track.
    public static let trackColor: (UInt8, UInt8, UInt8) = (64, 68, 80)
    /// A bar.
    public static let barColor: (UInt8, UInt8, UInt8) = (80, 150, 240)
    /// The bar of the action taken.
    public static let chosenColor: (UInt8, UInt8, UInt8) = (255, 196, 60)

    /// Each frame pixel becomes a `scale × scale` block.
    public let scale: Int
    /// The frame's size in frame pixels.
    public let frameWidth: Int, frameHeight: Int

    /// A canvas for frames of `frameWidth × frameHeight`, scaled by `scale` (≥ 1).
    public init(frameWidth: Int, frameHeight: Int, scale: Int) {
        precondition(scale >= 1 && frameWidth >= 1 && frameHeight >= 1, "ViewerCanvas: bad size or scale")
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        self.scale = scale
    }

    /// The largest scale at which a frame `height` pixels tall is at most `target` pixels (at least 1).
    public static func defaultScale(frameHeight: Int, target: Int = 512) -> Int { max(1, target / max(1, frameHeight)) }

    /// The number of text rows above the help for `overlay`.
    public static func contentRows(_ overlay: Overlay) -> Int {
        var rows = (overlay.title.isEmpty ? 0 : 1) + overlay.lines.count
        if showsActionRow(overlay) { rows += 1 }
        rows += overlay.actionProbabilities?.count ?? 0
        if overlay.value != nil || overlay.actionProbabilities != nil { rows += 1 }
        return rows
    }

    /// Whether the panel has the `ACTION` row: when an action is known or there are action names or
    /// probabilities (then it reads `ACTION -` until the first step, so the canvas keeps its height).
    public static func showsActionRow(_ overlay: Overlay) -> Bool {
        overlay.action != nil || overlay.actionProbabilities != nil || !overlay.actionNames.isEmpty
    }

    /// The canvas width, `frameWidth·scale + panelWidth`.
    public var width: Int { frameWidth * scale + ViewerCanvas.panelWidth }

    /// The canvas height for `overlay`: the scaled frame or the panel's rows plus help, whichever is taller.
    public func height(for overlay: Overlay) -> Int {
        let panel = 2 * ViewerCanvas.margin + (ViewerCanvas.contentRows(overlay) + overlay.help.count) * ViewerCanvas.rowHeight
            + (overlay.help.isEmpty ? 0 : ViewerCanvas.rowHeight)
        return max(frameHeight * scale, panel)
    }

    /// The composed canvas for `frame` (which must be `frameWidth × frameHeight`) and `overlay`.
    public func compose(_ frame: Frame, overlay: Overlay) -> RGBAImage {
        precondition(frame.width == frameWidth && frame.height == frameHeight,
                     "ViewerCanvas: frame is \(frame.width)×\(frame.height), canvas expects \(frameWidth)×\(frameHeight)")
        let height = height(for: overlay)
        var image = RGBAImage(width: width, height: height, fill: ViewerCanvas.background)
        image.blit(frame, x: 0, y: 0, scale: scale)
        drawPanel(overlay, into: &image)
        return image
    }

    /// Draws the side panel.
    private func drawPanel(_ overlay: Overlay, into image: inout RGBAImage) {
        typealias C = ViewerCanvas
        let panelX = frameWidth * scale
        image.fillRect(x: panelX, y: 0, width: C.panelWidth, height: image.height, color: C.panelColor)
        let x0 = panelX + C.margin
        let maxChars = (C.panelWidth - 2 * C.margin) / (BitmapFont.advance * C.textScale)
        var y = C.margin
        func text(_ s: String, _ color: (UInt8, UInt8, UInt8)) {
            BitmapFont.draw(String(s.prefix(maxChars)), into: &image, x: x0, y: y, scale: C.textScale, color: color)
            y += C.rowHeight
        }
        if !overlay.title.isEmpty {
            // A long id loses its namespace first (`MinAtar/SpaceInvaders-v1` → `SpaceInvaders-v1`).
            let short = overlay.title.count > maxChars ? String(overlay.title.split(separator: "/").last ?? "") : overlay.title
            text(short, C.titleColor)
        }
        for line in overlay.lines { text(line, C.textColor) }
        if C.showsActionRow(overlay) {
            text("ACTION \(overlay.action.map { overlay.name(ofAction: $0) } ?? "-")", C.textColor)
        }
        if let probabilities = overlay.actionProbabilities {
            for (a, p) in probabilities.enumerated() {
                BitmapFont.draw(String(overlay.name(ofAction: a).prefix(5)), into: &image, x: x0, y: y,
                                scale: C.textScale, color: C.textColor)
                let barX = x0 + C.barOffset
                image.fillRect(x: barX, y: y, width: C.barLength, height: C.barThickness, color: C.trackColor)
                let length = ViewerCanvas.barPixels(p)
                image.fillRect(x: barX, y: y, width: length, height: C.barThickness,
                               color: a == overlay.action ? C.chosenColor : C.barColor)
                y += C.rowHeight
            }
        }
        if let value = overlay.value {
            text(String(format: "VALUE %.3f", value), C.titleColor)
        } else if overlay.actionProbabilities != nil {
            text("VALUE -", C.titleColor)
        }
        y = image.height - C.margin - overlay.help.count * C.rowHeight
        for line in overlay.help { text(line, C.helpColor) }
    }

    /// The drawn length of a bar for probability `p`: `round(p·barLength)` clamped to `0...barLength`
    /// (NaN draws nothing).
    public static func barPixels(_ p: Float) -> Int {
        guard p.isFinite else { return 0 }
        return min(barLength, max(0, Int((p * Float(barLength)).rounded())))
    }
}
