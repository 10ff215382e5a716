#if SDL
import CSDL2
import Foundation
import LatticeRL
import LatticeRuntime
import GridWorld
import MinAtar
import SDLViewer
import XCTest

/// The SDL window under SDL's `dummy` video driver (no display needed): what is shown reads back exactly.
final class SDLWindowTests: XCTestCase {
    override func setUp() {
        super.setUp()
        setenv("SDL_VIDEODRIVER", "dummy", 1)
    }

    /// A 37×23 image whose pixel (x, y) is (7x, 11y, x + y) — every pixel distinct in some channel.
    func patternImage() -> RGBAImage {
        var pixels: [UInt8] = []
        for y in 0..<23 { for x in 0..<37 { pixels += [UInt8(7 * x), UInt8(11 * y), UInt8(x + y), 255] } }
        return RGBAImage(width: 37, height: 23, pixels: pixels)
    }

    func testAShownImageReadsBackPixelForPixel() throws {
        let window = try SDLWindow(title: "test", width: 37, height: 23)
        defer { window.close() }
        XCTAssertEqual(window.videoDriver, "dummy")
        let image = patternImage()
        try window.show(image)
        let back = try window.readPixels()
        XCTAssertEqual(back.width, 37)
        XCTAssertEqual(back.height, 23)
        XCTAssertTrue(back.pixel(x: 5, y: 3) == (35, 33, 8))
        XCTAssertTrue(back.pixel(x: 36, y: 22) == (252, 242, 58))
        assertSamePixels(back.pixels, image.pixels, width: 37)
    }

    func testAResizedWindowKeepsTheAspectWithLetterboxBars() throws {
        let window = try SDLWindow(title: "test", width: 37, height: 23)
        defer { window.close() }
        let image = patternImage()
        try window.show(image)
        window.resize(width: 74, height: 69)
        _ = window.pollEvents()
        try window.show(image)
        let back = try window.readPixels()
        guard back.width == 74, back.height == 69 else {
            throw XCTSkip("this video driver did not resize the window (got \(back.width)×\(back.height))")
        }
        // Scale min(74/37, 69/23) = 2: the canvas fills 74 × 46 and black bars share the other 23 rows.
        let top = (0..<69).first { y in (0..<74).contains { back.pixel(x: $0, y: y) != (0, 0, 0) } } ?? -1
        XCTAssertTrue(top == 11 || top == 12, "letterbox bar of \(top) rows")
        for y in 0..<23 { for x in 0..<37 {
            XCTAssertTrue(back.pixel(x: 2 * x + 1, y: top + 2 * y + 1) == image.pixel(x: x, y: y), "pixel \(x), \(y)")
        } }
        XCTAssertTrue(back.pixel(x: 40, y: top + 46) == (0, 0, 0), "below the canvas: the bottom bar")
    }

    func testPlayingAGridWorldStepsOncePerKey() throws {
        let env = try EmptyGridWorld(size: 8)
        let keyMap = KeyMap.forEnvironment(env.id, actionCount: 7)
        let session = try ViewerSession(environment: env, policy: nil, seed: 0, actionNames: keyMap.actionNames)
        // Start (1, 1) facing right: forward → (2, 1), forward → (3, 1), turn right (down), forward → (3, 2); q quits.
        let summary = try ViewerLoop.run(session, keyMap: keyMap,
                                         options: ViewerOptions(speed: 1000, scriptedKeys: [.up, .up, .right, .up, .character("q"), .up]))
        XCTAssertEqual(summary.frames, 5)
        XCTAssertEqual(session.step, 4)
        XCTAssertEqual(session.lastAction, 2)
        XCTAssertEqual(env.snapshot.agentX, 3)
        XCTAssertEqual(env.snapshot.agentY, 2)
        XCTAssertEqual(env.snapshot.agentDirection, 1)
    }

    func testPlayingMinAtarUsesTheMinimalSetIndex() throws {
        let env = try SpaceInvaders()
        let keyMap = KeyMap.forEnvironment(env.id, actionCount: 4)
        let session = try ViewerSession(environment: env, policy: nil, seed: 0, actionNames: keyMap.actionNames)
        // The first turn is due at once: space = fire = index 3 of [n, l, r, f]; then quit.
        _ = try ViewerLoop.run(session, keyMap: keyMap, options: ViewerOptions(speed: 1, scriptedKeys: [.space, .character("q")]))
        XCTAssertEqual(session.step, 1)
        XCTAssertEqual(session.lastAction, 3)
    }

    func testWatchingPausesStepsSinglyAndResets() throws {
        let session = try ViewerSession(environment: try Breakout(), policy: RandomPolicy(actionCount: 3, seed: 1), seed: 2,
                                        actionNames: [])
        // Pause at once, two single steps, reset (a new episode), one more step, quit.
        let keys: [ViewerKey] = [.space, .right, .right, .character("r"), .right, .escape]
        let summary = try ViewerLoop.run(session, keyMap: nil, options: ViewerOptions(speed: 1, scriptedKeys: keys))
        XCTAssertEqual(session.episode, 2)
        XCTAssertEqual(session.step, 1)
        XCTAssertEqual(summary.frames, 5)   // reset, 2 steps, reset, 1 step
    }

    func testClosingTheWindowEndsTheLoopCleanly() throws {
        // A quit event (what closing the last window sends) queued before the loop starts.
        SDL_SetMainReady()
        XCTAssertEqual(SDL_Init(SDL_INIT_EVENTS), 0)
        defer { SDL_Quit() }
        var quit = SDL_Event()
        quit.type = SDL_QUIT.rawValue
        XCTAssertEqual(SDL_PushEvent(&quit), 1)
        let session = try ViewerSession(environment: try Breakout(), policy: RandomPolicy(actionCount: 3, seed: 1), seed: 0,
                                        actionNames: [])
        let summary = try ViewerLoop.run(session, keyMap: nil, options: ViewerOptions(speed: 1000, maxFrames: 500))
        XCTAssertEqual(summary.frames, 1, "the loop ended at the first poll, before any step")
    }

    func testAClosedWindowRefusesToShow() throws {
        let window = try SDLWindow(title: "test", width: 8, height: 8)
        window.close()
        XCTAssertThrowsError(try window.show(RGBAImage(width: 8, height: 8))) { error in
            XCTAssertEqual(error as? ViewerError, .windowClosed)
        }
    }

    func testTheLoopShowsTheSessionsCanvasForTheGivenFrameCount() throws {
        func session() throws -> ViewerSession {
            try ViewerSession(environment: try Breakout(), policy: RandomPolicy(actionCount: 3, seed: 11), seed: 4,
                              actionNames: KeyMap.actionNames("MinAtar/Breakout-v1", actionCount: 3))
        }
        let raw = FileManager.default.temporaryDirectory.appendingPathComponent("viewer-\(UUID().uuidString).rgba")
        defer { try? FileManager.default.removeItem(at: raw) }
        let summary = try ViewerLoop.run(try session(), keyMap: nil,
                                         options: ViewerOptions(speed: 1000, scale: 2, maxFrames: 7, screenshotRaw: raw))
        XCTAssertEqual(summary.frames, 7)
        XCTAssertEqual(summary.videoDriver, "dummy")

        // The same seed, 1 reset + 6 advances, composed by the library.
        let expectedSession = try session()
        for _ in 0..<7 { try expectedSession.advance() }
        let canvas = ViewerCanvas(frameWidth: 160, frameHeight: 160, scale: 2)
        let expected = canvas.compose(expectedSession.frame(),
                                      overlay: expectedSession.overlay(status: "SPEED 1000/S", help: ViewerOptions.watchHelp))
        let bytes = [UInt8](try Data(contentsOf: raw))
        XCTAssertEqual(bytes.count, expected.pixels.count)
        assertSamePixels(bytes, expected.pixels, width: expected.width)
        XCTAssertEqual(expected.width, 320 + 288)
    }
}
#endif
