import Foundation
import LatticeRuntime

/// How `ViewerLoop` runs: speed, scale, and the scripting switches for CI.
public struct ViewerOptions: Sendable {
    /// Environment steps per second (real-time play and watching); `+`/`-` double or halve it.
    public var speed: Double
    /// Canvas scale (frame pixels → screen pixels); 0 picks `ViewerCanvas.defaultScale`.
    public var scale: Int
    /// End after this many frames (states shown, see `ViewerSession`), or run until closed.
    public var maxFrames: Int?
    /// Write the last window frame (read back from the window) here as PNG when the loop ends.
    public var screenshot: URL?
    /// Write the last window frame here as raw RGBA bytes (`width × height × 4`) when the loop ends.
    public var screenshotRaw: URL?
    /// Where `s` saves screenshots (`lattice-<n>.png` inside).
    public var screenshotDirectory: URL
    /// The window title.
    public var title: String
    /// Keys pressed (and released) by a script, one per loop turn before the real ones, for CI and tests.
    public var scriptedKeys: [ViewerKey]

    /// Options with the given speed and defaults elsewhere.
    public init(speed: Double = 10, scale: Int = 0, maxFrames: Int? = nil, screenshot: URL? = nil,
                screenshotRaw: URL? = nil,
                screenshotDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                title: String = "lattice", scriptedKeys: [ViewerKey] = []) {
        self.speed = speed
        self.scale = scale
        self.maxFrames = maxFrames
        self.screenshot = screenshot
        self.screenshotRaw = screenshotRaw
        self.screenshotDirectory = screenshotDirectory
        self.title = title
        self.scriptedKeys = scriptedKeys
    }

    /// The slowest and fastest speeds `+`/`-` reach.
    public static let speedRange: ClosedRange<Double> = 0.25...1000

    /// The status line for the panel: `PAUSED` or `SPEED <n>/S` (`n` with up to two decimals).
    public static func status(speed: Double, paused: Bool) -> String {
        if paused { return "PAUSED" }
        let text = speed >= 10 || speed == speed.rounded() ? String(format: "%.0f", speed) : String(format: "%.2f", speed)
        return "SPEED \(text)/S"
    }

    /// The window-key help for watching a policy.
    public static let watchHelp = ["SPACE PAUSE → STEP", "+/- SPEED R RESET", "S SHOT Q/ESC QUIT"]
    /// The window-key help for playing (space and arrows are game keys there).
    public static let playHelp = ["ENTER PAUSE +/- SPEED", "R RESET S SHOT Q QUIT"]
}
