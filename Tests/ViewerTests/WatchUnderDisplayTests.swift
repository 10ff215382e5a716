#if SDL
import CZlib
import Foundation
import LatticeRL
import LatticeRuntime
import MinAtar
import SDLViewer
import XCTest

/// One real `lattice watch` in a real window (CI runs Xvfb and sets DISPLAY): its `--screenshot` PNG must
/// equal the canvas the library composes for the same seed and frame count.
final class WatchUnderDisplayTests: XCTestCase {
    /// The built `lattice` next to the test bundle, or in the package's `.build`.
    func latticeBinary() -> URL? {
        let fm = FileManager.default
        var candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lattice"),
            Bundle.main.bundleURL.appendingPathComponent("lattice"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("lattice"),
        ]
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates += [".build/release/lattice", ".build/debug/lattice"].map { root.appendingPathComponent($0) }
        return candidates.first { fm.isExecutableFile(atPath: $0.path) }
    }

    /// Runs the built `lattice` with `arguments` and `environment`; returns the exit status and standard error.
    func runLattice(_ binary: URL, _ arguments: [String], environment: [String: String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stderr)
    }

    func testWithoutADisplayWatchSaysSoAndRecordWorks() throws {
        guard let binary = latticeBinary() else { throw XCTSkip("the lattice binary is not built beside the tests") }
        var headless = ProcessInfo.processInfo.environment
        for key in ["DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"] { headless[key] = nil }
        let (status, stderr) = try runLattice(binary, ["watch", "GridWorld/Empty-5x5-v0", "--max-frames", "2"],
                                              environment: headless)
        XCTAssertEqual(status, 1, stderr)
        XCTAssertTrue(stderr.contains("no display"), stderr)
        XCTAssertTrue(stderr.contains("--record out.gif"), stderr)

        let gif = FileManager.default.temporaryDirectory.appendingPathComponent("watch-\(UUID().uuidString).gif")
        defer { try? FileManager.default.removeItem(at: gif) }
        let (recordStatus, recordErrors) = try runLattice(
            binary, ["watch", "GridWorld/Empty-5x5-v0", "--record", gif.path, "--max-frames", "4"], environment: headless)
        XCTAssertEqual(recordStatus, 0, recordErrors)
        let bytes = [UInt8](try Data(contentsOf: gif))
        XCTAssertEqual(Array(bytes.prefix(6)), Array("GIF89a".utf8))
        // Logical screen = the canvas: Empty-5x5 renders 5·32 = 160 px, record scale ⌊240/160⌋ = 1 → 160 + 288 wide.
        XCTAssertEqual(Int(bytes[6]) | Int(bytes[7]) << 8, 448)
        // Four frames: four image descriptors (0x2C after a graphic control extension 0x21 0xF9 … 0x00).
        var descriptors = 0
        for i in 0..<(bytes.count - 8) where bytes[i] == 0x21 && bytes[i + 1] == 0xF9 && bytes[i + 7] == 0 && bytes[i + 8] == 0x2C {
            descriptors += 1
        }
        XCTAssertEqual(descriptors, 4)
    }

    func testWatchUnderARealDisplayScreenshotsTheExpectedCanvas() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let display = environment["DISPLAY"], !display.isEmpty else {
            throw XCTSkip("no DISPLAY: run under Xvfb (`Xvfb :99 &`, DISPLAY=:99) to test a real window")
        }
        guard let binary = latticeBinary() else { throw XCTSkip("the lattice binary is not built beside the tests") }
        let png = FileManager.default.temporaryDirectory.appendingPathComponent("watch-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: png) }

        let process = Process()
        process.executableURL = binary
        process.arguments = ["watch", "MinAtar/SpaceInvaders-v1", "--seed", "4", "--speed", "200", "--max-frames", "9",
                             "--screenshot", png.path]
        var childEnvironment = environment
        childEnvironment["SDL_VIDEODRIVER"] = nil   // the dummy-driver tests set it in this process
        process.environment = childEnvironment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, stderr)

        let shot = try PNGDecoder.decodeRGBA(Data(contentsOf: png))
        // The expected canvas: the registry's Space Invaders (a random Breakout episode can end and restart
        // alike for different seeds), random policy seeded 4, 9 frames, default scale 3.
        let registries = try Registries(modules: [MinAtarPlugin.self])
        let env = try registries.environments.make("MinAtar/SpaceInvaders-v1", registries: registries)
        let session = try ViewerSession(environment: env, policy: RandomPolicy(actionCount: 4, seed: 4), seed: 4,
                                        actionNames: KeyMap.actionNames(env.id, actionCount: 4))
        for _ in 0..<9 { try session.advance() }
        let expected = ViewerCanvas(frameWidth: 160, frameHeight: 160, scale: 3)
            .compose(session.frame(), overlay: session.overlay(status: "SPEED 200/S", help: ViewerOptions.watchHelp))
        XCTAssertEqual(shot.width, expected.width)
        XCTAssertEqual(shot.height, expected.height)
        assertSamePixels(shot.pixels, expected.pixels, width: expected.width, "screenshot vs library canvas:")
    }
}

/// Reads the PNGs `PNGEncoder` writes (8-bit RGBA, filter 0 on every row) back into an image.
enum PNGDecoder {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func decodeRGBA(_ data: Data) throws -> RGBAImage {
        let bytes = [UInt8](data)
        guard bytes.count > 8, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw Failure(description: "not a PNG")
        }
        func u32(_ i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
        var i = 8, width = 0, height = 0, idat: [UInt8] = []
        while i + 8 <= bytes.count {
            let length = u32(i)
            let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            let body = Array(bytes[(i + 8)..<(i + 8 + length)])
            if type == "IHDR" {
                width = u32(i + 8); height = u32(i + 12)
                guard body[8] == 8, body[9] == 6 else { throw Failure(description: "expected 8-bit RGBA") }
            }
            if type == "IDAT" { idat += body }
            i += 12 + length
        }
        var rawLength = uLong((width * 4 + 1) * height)
        var raw = [UInt8](repeating: 0, count: Int(rawLength))
        guard uncompress(&raw, &rawLength, idat, uLong(idat.count)) == Z_OK else { throw Failure(description: "zlib") }
        var pixels: [UInt8] = []
        for row in 0..<height {
            let start = row * (width * 4 + 1)
            guard raw[start] == 0 else { throw Failure(description: "row \(row) uses filter \(raw[start])") }
            pixels += raw[(start + 1)..<(start + 1 + width * 4)]
        }
        return RGBAImage(width: width, height: height, pixels: pixels)
    }
}
#endif
