import LatticeRL
import LatticeRuntime
import XCTest

/// The canvas composition, checked against layout values worked out by hand from the documented rules.
final class ViewerCanvasTests: XCTestCase {
    typealias RGB = (UInt8, UInt8, UInt8)

    func assertPixel(_ image: RGBAImage, _ x: Int, _ y: Int, _ expected: RGB, file: StaticString = #filePath, line: UInt = #line) {
        let p = image.pixel(x: x, y: y)
        XCTAssertTrue(p == expected, "pixel (\(x), \(y)) is \(p), expected \(expected)", file: file, line: line)
    }

    /// A 2×2 frame: red, green / blue, white.
    let frame = Frame(width: 2, height: 2, pixels: [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255])

    func testFrameIsScaledWithNearestNeighbourBesideThePanel() {
        let canvas = ViewerCanvas(frameWidth: 2, frameHeight: 2, scale: 3)
        let image = canvas.compose(frame, overlay: .none)
        // Width 2·3 + 288; height max(6, 2·12 margins) = 24.
        XCTAssertEqual(image.width, 294)
        XCTAssertEqual(image.height, 24)
        for (x, y) in [(0, 0), (2, 2), (1, 2)] { assertPixel(image, x, y, (255, 0, 0)) }
        for (x, y) in [(3, 0), (5, 2)] { assertPixel(image, x, y, (0, 255, 0)) }
        for (x, y) in [(0, 3), (2, 5)] { assertPixel(image, x, y, (0, 0, 255)) }
        for (x, y) in [(3, 3), (5, 5)] { assertPixel(image, x, y, (255, 255, 255)) }
        assertPixel(image, 0, 6, (16, 16, 20))      // below the frame: background
        assertPixel(image, 6, 0, (36, 38, 46))      // the panel starts at x = 6
        assertPixel(image, 293, 23, (36, 38, 46))
        XCTAssertTrue(image.pixels.enumerated().allSatisfy { $0.offset % 4 != 3 || $0.element == 255 }, "opaque")
    }

    func testProbabilityBarsHaveTheirLengthAndColour() {
        let canvas = ViewerCanvas(frameWidth: 2, frameHeight: 2, scale: 1)
        let overlay = Overlay(actionNames: ["A", "B", "C"], action: 1, actionProbabilities: [0.25, 0.75, 0])
        let image = canvas.compose(frame, overlay: overlay)
        // Rows from y = 12, 18 apart: ACTION (12), bars at 30, 48, 66, VALUE - (84); height 12 + 5·18 + 12 = 114.
        XCTAssertEqual(image.height, 114)
        // Bars start at x = 2 + 12 + (5·6·2 + 8) = 82; full length 288 − 24 − 68 = 196; thickness 14.
        let x = 82, blue: RGB = (80, 150, 240), gold: RGB = (255, 196, 60), track: RGB = (64, 68, 80)
        // 0.25 · 196 = 49 pixels.
        assertPixel(image, x, 30, blue)
        assertPixel(image, x + 48, 30 + 13, blue)
        assertPixel(image, x + 49, 30, track)
        assertPixel(image, x + 195, 30, track)
        assertPixel(image, x + 196, 30, (36, 38, 46))   // past the track: panel
        assertPixel(image, x, 30 + 14, (36, 38, 46))    // below the bar: panel
        // 0.75 · 196 = 147 pixels, the chosen action in gold.
        assertPixel(image, x + 146, 48, gold)
        assertPixel(image, x + 147, 48, track)
        // 0: only the track.
        assertPixel(image, x, 66, track)
        XCTAssertEqual(ViewerCanvas.barPixels(1), 196)
        XCTAssertEqual(ViewerCanvas.barPixels(2), 196)
        XCTAssertEqual(ViewerCanvas.barPixels(-1), 0)
        XCTAssertEqual(ViewerCanvas.barPixels(.nan), 0)
    }

    func testTextIsDrawnFromTheFontAtTheDocumentedPlace() {
        let canvas = ViewerCanvas(frameWidth: 2, frameHeight: 2, scale: 1)
        let image = canvas.compose(frame, overlay: Overlay(lines: ["1"]))
        // "1" at (2 + 12, 12), scale 2. Row 0 of '1' is ..#.. → font column 2 → x 14 + 4, 5.
        let text: RGB = (225, 228, 235), panel: RGB = (36, 38, 46)
        assertPixel(image, 18, 12, text)
        assertPixel(image, 19, 13, text)
        assertPixel(image, 14, 12, panel)
        assertPixel(image, 16, 12, panel)
        // Row 6 of '1' is .###. → columns 1...3 → x 16...21 at y 24, 25.
        assertPixel(image, 16, 24, text)
        assertPixel(image, 21, 25, text)
        assertPixel(image, 22, 24, panel)
        assertPixel(image, 14, 24, panel)
    }

    func testHelpIsBottomAligned() {
        let canvas = ViewerCanvas(frameWidth: 10, frameHeight: 10, scale: 20)
        let image = canvas.compose(Frame(width: 10, height: 10), overlay: Overlay(help: ["-"]))
        XCTAssertEqual(image.height, 200)
        // Help line at y = 200 − 12 − 18 = 170; '-' is row 3 = ##### → y 176, 177, x 212...221.
        let help: RGB = (150, 155, 170)
        assertPixel(image, 212, 176, help)
        assertPixel(image, 221, 177, help)
        assertPixel(image, 222, 176, (36, 38, 46))
        assertPixel(image, 212, 175, (36, 38, 46))
    }

    func testLowerCaseUsesCapitalsAndUnknownCharactersABox() {
        XCTAssertEqual(BitmapFont.glyph("a"), BitmapFont.glyph("A"))
        XCTAssertEqual(BitmapFont.glyph("A"), [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11])
        XCTAssertEqual(BitmapFont.glyph("€"), [0x1F, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1F])
        XCTAssertEqual(BitmapFont.glyph("ß"), BitmapFont.glyph("€"))
        XCTAssertEqual(BitmapFont.width(of: "ABC", scale: 2), 36)
    }

    func testDefaultScaleFitsWholeMultiples() {
        XCTAssertEqual(ViewerCanvas.defaultScale(frameHeight: 160), 3)   // MinAtar 10·16 → 480 ≤ 512
        XCTAssertEqual(ViewerCanvas.defaultScale(frameHeight: 10), 51)
        XCTAssertEqual(ViewerCanvas.defaultScale(frameHeight: 1000), 1)
    }
}
