import XCTest
import LatticeRL
import LatticeTensor

final class GIFEncoderTests: XCTestCase {
    /// Worked by hand: indices 0,0,0,0 with minimum code size 2 give the codes
    /// clear 4 (3 bits), 0, 6 (= "00"), 0 (3 bits each; the table's next code is then 8 = 2³, so the width
    /// grows), end 5 (4 bits). Packed LSB first: 0b1000_0100, 0b0101_0001.
    func testLZWHandWorkedExample() {
        XCTAssertEqual(GIFEncoder.lzwCompress([0, 0, 0, 0], minCodeSize: 2), [0x84, 0x51])
    }

    func testLZWRoundTripsThroughCodeSizeGrowthAndTableResets() throws {
        var rng = RandomGenerator(seed: 3)
        let noisy = (0..<60_000).map { _ in UInt8(rng.nextInt(below: 256)) }
        XCTAssertEqual(try TestGIFDecoder.lzwDecode(GIFEncoder.lzwCompress(noisy, minCodeSize: 8), minCodeSize: 8), noisy)
        let fewColours = (0..<50_000).map { _ in UInt8(rng.nextInt(below: 3)) }
        XCTAssertEqual(try TestGIFDecoder.lzwDecode(GIFEncoder.lzwCompress(fewColours, minCodeSize: 2), minCodeSize: 2), fewColours)
        let runs = [UInt8](repeating: 1, count: 100_000) + [0, 1, 2, 3] + [UInt8](repeating: 3, count: 5000)
        XCTAssertEqual(try TestGIFDecoder.lzwDecode(GIFEncoder.lzwCompress(runs, minCodeSize: 2), minCodeSize: 2), runs)
        XCTAssertEqual(try TestGIFDecoder.lzwDecode(GIFEncoder.lzwCompress([2], minCodeSize: 2), minCodeSize: 2), [2])
        XCTAssertEqual(try TestGIFDecoder.lzwDecode(GIFEncoder.lzwCompress([], minCodeSize: 2), minCodeSize: 2), [])
    }

    /// Three 5×3 frames in 4 colours.
    func fewColourFrames() -> [Frame] {
        let colours: [[UInt8]] = [[0, 0, 0], [255, 0, 0], [12, 200, 99], [255, 255, 255]]
        return (0..<3).map { f in
            var pixels: [UInt8] = []
            for i in 0..<15 { pixels += colours[(i + f) % 4] }
            return Frame(width: 5, height: 3, pixels: pixels)
        }
    }

    /// 20×20 frames with 400 distinct colours (more than a palette holds).
    func manyColourFrames() -> [Frame] {
        (0..<2).map { f in
            var pixels: [UInt8] = []
            for i in 0..<400 { pixels += [UInt8(i % 20 * 13), UInt8(i / 20 * 13), UInt8(f * 100 + 7)] }
            return Frame(width: 20, height: 20, pixels: pixels)
        }
    }

    /// The 6×7×6 cube colour of a pixel, worked from the rule (nearest of 6 or 7 evenly spaced levels).
    func cubeColour(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> [UInt8] {
        func level(_ c: UInt8, _ steps: Double) -> UInt8 {
            UInt8((Double(c) / 255 * steps).rounded() * 255 / steps + 0.5)
        }
        return [level(r, 5), level(g, 6), level(b, 5)]
    }

    /// Every pixel of `f` replaced by its cube colour.
    func cubeQuantised(_ f: Frame) -> [UInt8] {
        var out: [UInt8] = []
        for i in stride(from: 0, to: f.pixels.count, by: 3) { out += cubeColour(f.pixels[i], f.pixels[i + 1], f.pixels[i + 2]) }
        return out
    }

    func testExactPaletteRoundTrip() throws {
        let frames = fewColourFrames()
        let bytes = try GIFEncoder.encode(frames: frames, delay: 12, loopCount: 0)
        let gif = try TestGIFDecoder.decode(bytes)
        XCTAssertEqual(gif.width, 5)
        XCTAssertEqual(gif.height, 3)
        XCTAssertEqual(gif.loopCount, 0)
        XCTAssertEqual(gif.delays, [12, 12, 12])
        XCTAssertEqual(gif.palette.count, 12, "4 colours → a 4-entry table")
        XCTAssertEqual(gif.frames, frames.map(\.pixels))
        XCTAssertEqual(GIFPalette(for: frames).method, .exact)
    }

    func testColourCubeQuantisation() throws {
        let frames = manyColourFrames()
        XCTAssertEqual(GIFPalette(for: frames).method, .colorCube)
        let gif = try TestGIFDecoder.decode(try GIFEncoder.encode(frames: frames))
        let expected = frames.map(cubeQuantised)
        XCTAssertEqual(gif.frames, expected)
        XCTAssertEqual(cubeColour(130, 130, 25), [153, 128, 0])  // the rule by hand: 130·5/255 = 2.55 → 3 → 153
    }

    func testErrors() {
        XCTAssertThrowsError(try GIFEncoder.encode(frames: [])) { XCTAssertEqual($0 as? GIFError, .noFrames) }
        XCTAssertThrowsError(try GIFEncoder.encode(frames: [Frame(width: 2, height: 2), Frame(width: 3, height: 2)])) {
            XCTAssertEqual($0 as? GIFError, .frameSizeMismatch(index: 1, width: 3, height: 2, expectedWidth: 2, expectedHeight: 2))
        }
    }

    func testSubBlocksAreAtMost255Bytes() throws {
        var rng = RandomGenerator(seed: 1)
        var pixels: [UInt8] = []
        for _ in 0..<(64 * 64) { pixels += [UInt8](repeating: UInt8(rng.nextInt(below: 200)), count: 3) }
        let frame = Frame(width: 64, height: 64, pixels: pixels)
        let bytes = try GIFEncoder.encode(frames: [frame])
        let gif = try TestGIFDecoder.decode(bytes)  // walks every sub-block by its length byte
        XCTAssertEqual(gif.frames, [frame.pixels])
        XCTAssertGreaterThan(bytes.count, 3 * 255, "several full sub-blocks were needed")
    }

    /// A 128×128 frame of random grey levels 0..<200: 16,384 pixels of noise fill the LZW table several
    /// times, so the 12-bit codes and the clear codes are exercised.
    func noisyFrame(seed: UInt64) -> Frame {
        var rng = RandomGenerator(seed: seed)
        var pixels: [UInt8] = []
        for _ in 0..<(128 * 128) { pixels += [UInt8](repeating: UInt8(rng.nextInt(below: 200)), count: 3) }
        return Frame(width: 128, height: 128, pixels: pixels)
    }

    /// Decodes with Pillow (a real, independent decoder) and compares every pixel.
    func testPillowDecodesFramesExactly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lattice-gif-\(UInt64.random(in: 0..<UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = """
        import sys
        from PIL import Image
        im = Image.open(sys.argv[1])
        out = open(sys.argv[2], 'wb')
        n = 0
        try:
            while True:
                im.seek(n)
                out.write(im.convert('RGB').tobytes())
                n += 1
        except EOFError:
            pass
        print(n, im.size[0], im.size[1], im.info.get('loop'), im.info.get('duration'))
        """
        let cases: [(String, [Frame], [[UInt8]])] = [
            ("few", fewColourFrames(), fewColourFrames().map(\.pixels)),
            ("many", manyColourFrames(), manyColourFrames().map(cubeQuantised)),
            ("noisy", [noisyFrame(seed: 1), noisyFrame(seed: 2)], [noisyFrame(seed: 1).pixels, noisyFrame(seed: 2).pixels]),
        ]
        for (name, frames, expected) in cases {
            let gifURL = dir.appendingPathComponent("\(name).gif"), rawURL = dir.appendingPathComponent("\(name).rgb")
            try Data(try GIFEncoder.encode(frames: frames, delay: 20)).write(to: gifURL)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script, gifURL.path, rawURL.path]
            let pipe = Pipe(), errors = Pipe()
            process.standardOutput = pipe
            process.standardError = errors
            do { try process.run() } catch { throw XCTSkip("python3 not runnable: \(error)") }
            process.waitUntilExit()
            let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            if err.contains("No module named") { throw XCTSkip("Pillow missing (pip install pillow)") }
            XCTAssertEqual(process.terminationStatus, 0, err)
            let summary = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            XCTAssertEqual(summary.trimmingCharacters(in: .whitespacesAndNewlines),
                           "\(frames.count) \(frames[0].width) \(frames[0].height) 0 200", "frames, size, loop, duration (ms)")
            XCTAssertEqual([UInt8](try Data(contentsOf: rawURL)), expected.flatMap { $0 }, name)
        }
    }
}
