import XCTest
import Foundation
@testable import LatticeRuntime

final class PNGEncoderTests: XCTestCase {
    func testHeaderAndChunksOfATwoByTwoImage() throws {
        let pixels: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]
        let png = try PNGEncoder.encode(width: 2, height: 2, pixels: pixels)
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: length 13, "IHDR", width 2, height 2, depth 8, colour type 2.
        XCTAssertEqual(Array(png[8..<33].prefix(16)), [0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 2, 0, 0, 0, 2])
        XCTAssertEqual(png[24], 8)
        XCTAssertEqual(png[25], 2)
        // The IHDR CRC of a 2×2 RGB 8-bit image is fixed: CRC-32 of "IHDR" + 00000002 00000002 08 02 00 00 00.
        XCTAssertEqual(Array(png[29..<33]), [0xFD, 0xD4, 0x9A, 0x73])
        XCTAssertEqual(Array(png.suffix(12)), [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
    }

    func testPythonDecodesPixelsExactly() throws {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import PIL"]
        check.standardError = FileHandle.nullDevice
        guard (try? check.run()) != nil else { throw XCTSkip("python3 not available") }
        check.waitUntilExit()
        guard check.terminationStatus == 0 else { throw XCTSkip("Pillow not installed") }
        var pixels = [UInt8]()
        for y in 0..<5 { for x in 0..<7 { pixels += [UInt8(x * 30), UInt8(y * 50), UInt8((x + y) * 10), 200] } }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lattice-\(UUID().uuidString).png")
        try PNGEncoder.encode(width: 7, height: 5, channels: 4, pixels: pixels).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let p = Process()
        let out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import sys; from PIL import Image; im = Image.open(sys.argv[1]); print(im.mode, im.size, list(im.tobytes()))", url.path]
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(text.trimmingCharacters(in: .whitespacesAndNewlines), "RGBA (7, 5) \(pixels.map(Int.init))")
    }
}
