#if SDL
import CSDL2
#endif
import Foundation
import LatticeRL
import LatticeRuntime

/// The interactive loop of `lattice watch` and `lattice play`: opens an `SDLWindow`, advances a
/// `ViewerSession` at the chosen speed (or one step per key when a person plays a turn-based
/// environment), draws each state through `ViewerCanvas`, and handles the window keys.
///
/// Watching: space pause, → single step (while paused), +/- speed ×2 / ÷2, r reset, s screenshot (PNG),
/// q/Esc quit. Playing: the key map's keys act; enter pauses; +/-, r, s, q/Esc as when watching.
/// A closed window ends the loop normally.
public enum ViewerLoop {
    /// What a finished loop did.
    public struct Summary: Sendable {
        /// States shown.
        public var frames: Int
        /// Returns of the episodes that ended.
        public var returns: [Double]
        /// The video driver used.
        public var videoDriver: String
        /// Screenshots written.
        public var screenshots: [URL]
    }

    /// Whether this build contains the SDL viewer.
    public static var isAvailable: Bool {
        #if SDL
        return true
        #else
        return false
        #endif
    }

    /// Runs `session` in a window until it is closed, `q`/Esc, or `options.maxFrames` states were shown.
    /// `keyMap` is used when the session has no policy (a person plays).
    public static func run(_ session: ViewerSession, keyMap: KeyMap?, options: ViewerOptions) throws -> Summary {
        #if SDL
        return try runSDL(session, keyMap: keyMap, options: options)
        #else
        throw ViewerError.sdlUnavailable
        #endif
    }

    #if SDL
    private static func runSDL(_ session: ViewerSession, keyMap: KeyMap?, options: ViewerOptions) throws -> Summary {
        let human = session.policy == nil
        let help = (human ? (keyMap?.help ?? []) : []) + (human ? ViewerOptions.playHelp : ViewerOptions.watchHelp)
        var speed = min(max(options.speed, ViewerOptions.speedRange.lowerBound), ViewerOptions.speedRange.upperBound)
        var paused = false
        var returns: [Double] = []
        var screenshots: [URL] = []

        if session.frameCount == 0 { session.reset() }
        let first = session.frame()
        let scale = options.scale > 0 ? options.scale : ViewerCanvas.defaultScale(frameHeight: first.height)
        let canvas = ViewerCanvas(frameWidth: first.width, frameHeight: first.height, scale: scale)
        func image() -> RGBAImage {
            canvas.compose(session.frame(),
                           overlay: session.overlay(status: ViewerOptions.status(speed: speed, paused: paused), help: help))
        }
        var current = image()
        let window = try SDLWindow(title: options.title, width: current.width, height: current.height)
        defer { window.close() }
        try window.show(current)

        var heldKeys: [ViewerKey] = []
        var pressedAction: Int?
        var nextStep = DispatchTime.now().uptimeNanoseconds
        var running = true
        var script = options.scriptedKeys[...]
        while running {
            if let maxFrames = options.maxFrames, session.frameCount >= maxFrames { break }
            var redraw = false, stepNow = false
            var events = window.pollEvents()
            if let key = script.popFirst() { events += [.keyDown(key, isRepeat: false), .keyUp(key)] }
            for event in events {
                switch event {
                case .closed:
                    running = false
                case .exposed:
                    redraw = true
                case .keyUp(let key):
                    heldKeys.removeAll { $0 == key }
                case .keyDown(let key, let isRepeat):
                    if human, let action = keyMap?.actions[key] {
                        if !isRepeat { pressedAction = action }
                        if !heldKeys.contains(key) { heldKeys.append(key) }
                        continue
                    }
                    switch key {
                    case .escape, .character("q"): running = false
                    case .space where !human, .enter: paused.toggle(); redraw = true
                    case .right where !human: if paused { stepNow = true }
                    case .plus: speed = min(speed * 2, ViewerOptions.speedRange.upperBound); redraw = true
                    case .minus: speed = max(speed / 2, ViewerOptions.speedRange.lowerBound); redraw = true
                    case .character("r"): session.reset(); redraw = true
                    case .character("s"):
                        let url = try saveScreenshot(window, in: options.screenshotDirectory, count: screenshots.count)
                        screenshots.append(url)
                        FileHandle.standardError.write(Data("screenshot: \(url.path)\n".utf8))
                    default: break
                    }
                }
            }
            if !running { break }

            let now = DispatchTime.now().uptimeNanoseconds
            let interval = UInt64(1e9 / speed)
            var action: Int?
            if human, let keyMap {
                if keyMap.isRealTime {
                    if !paused && now >= nextStep {
                        stepNow = true
                        action = pressedAction ?? heldKeys.lazy.compactMap { keyMap.actions[$0] }.last ?? keyMap.idleAction
                        pressedAction = nil
                    }
                } else if !paused, let pressed = pressedAction {
                    stepNow = true
                    action = pressed
                    pressedAction = nil
                }
                if session.episodeOver { action = nil }
            } else if !paused && now >= nextStep {
                stepNow = true
            }
            if stepNow {
                let wasOver = session.episodeOver
                try session.advance(action: action)
                if session.episodeOver && !wasOver, let r = session.lastReturn { returns.append(r) }
                nextStep = max(nextStep &+ interval, now &+ interval / 2)
                redraw = true
            }
            if redraw {
                current = image()
                try window.show(current)
            }
            if !stepNow {
                // Sleep until the next step is due (at most 10 ms, to stay responsive); 10 ms when nothing is due.
                let idle = paused || (human && keyMap?.isRealTime != true)
                let wait = idle ? 10 : (nextStep > now ? min((nextStep - now) / 1_000_000, 10) : 1)
                SDL_Delay(UInt32(max(1, wait)))
            }
        }
        if let url = options.screenshot {
            let shot = try window.readPixels()
            try PNGEncoder.encode(width: shot.width, height: shot.height, channels: 4, pixels: shot.pixels).write(to: url)
            screenshots.append(url)
        }
        if let url = options.screenshotRaw {
            try Data(try window.readPixels().pixels).write(to: url)
        }
        return Summary(frames: session.frameCount, returns: returns, videoDriver: window.videoDriver, screenshots: screenshots)
    }

    /// Saves the window as `lattice-<n>.png` in `directory` (the first free n from `count`).
    private static func saveScreenshot(_ window: SDLWindow, in directory: URL, count: Int) throws -> URL {
        var n = count
        var url = directory.appendingPathComponent("lattice-\(n).png")
        while FileManager.default.fileExists(atPath: url.path) { n += 1; url = directory.appendingPathComponent("lattice-\(n).png") }
        let shot = try window.readPixels()
        try PNGEncoder.encode(width: shot.width, height: shot.height, channels: 4, pixels: shot.pixels).write(to: url)
        return url
    }
    #endif
}
