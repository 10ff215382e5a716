import ArgumentParser
import Foundation
import LatticeRL
import LatticeRuntime
import SDLViewer

/// `lattice play <env-id> [key=value …]`: a person plays an environment with the keyboard in a window.
///
/// Key maps per family (shown in the window): MinAtar arrows move and space fires, in real time at
/// `--speed` steps per second; grid-worlds ←/→ turn, ↑ forward, p pick up, d drop, space/t toggle, one step
/// per key; GoToTarget absolute arrows; other environments the digit keys. Window keys: enter pause,
/// +/- speed, r reset, s screenshot, q/Esc quit.
struct Play: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play an environment yourself with the keyboard.",
        discussion: """
            Examples:
              lattice play MinAtar/Breakout-v1
              lattice play GridWorld/DoorKey-8x8-v0
            Exit status: 0 ok, 1 no display or SDL failure, 2 unknown id or bad option.
            """)

    @Argument(help: "The environment id, e.g. MinAtar/Breakout-v1.")
    var id: String

    @Argument(help: "Environment options as key=value (see `lattice list`).")
    var options: [String] = []

    @Option(help: "Steps per second for real-time games (MinAtar).")
    var speed = 6.0

    @Option(help: "Seed for the first reset.")
    var seed: UInt64 = 0

    @Option(help: "Screen pixels per frame pixel (0: the largest whole scale up to 512 pixels tall).")
    var scale = 0

    @Option(help: "Stop after this many frames (states shown).")
    var maxFrames: Int?

    @Option(help: "Save the last window frame as PNG when the game ends.")
    var screenshot: String?

    @Option(help: "Scripted keys, comma-separated (left,right,up,down,space,enter,esc,plus,minus or a letter), one per loop turn, e.g. space,right,right,q.")
    var keys: String?

    func validate() throws {
        _ = try ScriptedKeys.parse(keys)
        guard speed > 0 else { throw ValidationError("--speed must be positive, got \(speed)") }
        guard scale >= 0 else { throw ValidationError("--scale must be ≥ 0, got \(scale)") }
        if let maxFrames, maxFrames < 1 { throw ValidationError("--max-frames must be at least 1, got \(maxFrames)") }
    }

    func run() throws {
        let session: ViewerSession
        let keyMap: KeyMap
        do {
            let made = try EnvironmentArguments(id: id, options: options).make(with: try Catalog.registries())
            if let note = made.note { CommandFailure.note(note) }
            guard case .discrete(let n) = made.environment.actionSpace, n >= 1 else {
                throw RolloutError.unsupportedActionSpace(made.environment.actionSpace)
            }
            keyMap = KeyMap.forEnvironment(made.environment.id, actionCount: n)
            session = try ViewerSession(environment: made.environment, policy: nil, seed: seed, actionNames: keyMap.actionNames)
        } catch {
            throw CommandFailure.exitCode(for: error)
        }
        do {
            let viewerOptions = ViewerOptions(speed: speed, scale: scale, maxFrames: maxFrames,
                                              screenshot: screenshot.map(URL.init(fileURLWithPath:)),
                                              title: "lattice play \(session.environment.id)",
                                              scriptedKeys: try ScriptedKeys.parse(keys))
            let summary = try ViewerLoop.run(session, keyMap: keyMap, options: viewerOptions)
            Watch.printSummary(summary)
        } catch {
            throw CommandFailure.exitCode(for: error)
        }
    }
}
