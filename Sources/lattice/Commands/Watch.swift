import ArgumentParser
import Foundation
import LatticeRL
import LatticeRuntime
import SDLViewer

/// `lattice watch <run-dir | config | env-id> [key=value …]`: plays episodes in a window at a chosen speed,
/// or records them headless as a GIF with `--record out.gif`.
///
/// A bare environment id (with options) is played by a seeded random policy; an experiment config or a run
/// directory names the environment in its `environment` section. Frames are states shown (frame 1 = the
/// first reset with `--seed`), so `--max-frames N --screenshot out.png` is reproducible.
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch a policy play an environment in a window, or record it as a GIF.",
        discussion: """
            Examples:
              lattice watch MinAtar/Breakout-v1 --speed 20
              lattice watch GridWorld/Empty-8x8-v0 --max-frames 30 --screenshot out.png
              lattice watch MinAtar/Breakout-v1 --record breakout.gif      (headless, no SDL needed)
              lattice watch runs/ppo-breakout-2026…                        (a run directory)
            Window keys: space pause, → single step, +/- speed, r reset, s screenshot (PNG), q/Esc quit.
            Exit status: 0 ok, 1 no display or SDL failure, 2 unknown id or bad option.
            """)

    @Argument(help: "A run directory, an experiment config (.yaml) or an environment id (e.g. MinAtar/Breakout-v1).")
    var target: String

    @Argument(help: "Environment options as key=value (with an environment id).")
    var options: [String] = []

    @Option(help: "Environment steps per second.")
    var speed = 10.0

    @Option(help: "Seed for the first reset and the random policy.")
    var seed: UInt64 = 0

    @Option(help: "Screen pixels per frame pixel (0: the largest whole scale up to 512 pixels tall).")
    var scale = 0

    @Option(help: "Stop after this many frames (states shown; frame 1 is the first reset).")
    var maxFrames: Int?

    @Option(help: "Save the last window frame as PNG (read back from the window).")
    var screenshot: String?

    @Option(help: "Save the last window frame as raw RGBA bytes (width × height × 4).")
    var screenshotRaw: String?

    @Option(help: "Scripted keys, comma-separated (left,right,up,down,space,enter,esc,plus,minus or a letter), one per loop turn, e.g. space,right,right,q.")
    var keys: String?

    @Option(help: "Record headless to this GIF instead of opening a window (works without a display or SDL).")
    var record: String?

    @Option(help: "Episodes to record with --record (ends earlier at --max-frames, default 500).")
    var episodes = 1

    func validate() throws {
        _ = try ScriptedKeys.parse(keys)
        guard speed > 0 else { throw ValidationError("--speed must be positive, got \(speed)") }
        guard scale >= 0 else { throw ValidationError("--scale must be ≥ 0, got \(scale)") }
        if let maxFrames, maxFrames < 1 { throw ValidationError("--max-frames must be at least 1, got \(maxFrames)") }
        guard episodes >= 1 else { throw ValidationError("--episodes must be at least 1, got \(episodes)") }
    }

    func run() throws {
        let session: ViewerSession
        do {
            let (environment, run) = try Watch.environment(for: target, options: options)
            guard case .discrete(let n) = environment.actionSpace, n >= 1 else {
                throw RolloutError.unsupportedActionSpace(environment.actionSpace)
            }
            let policy = try Watch.policy(for: run, environment: environment, actionCount: n, seed: seed)
            session = try ViewerSession(environment: environment, policy: policy, seed: seed,
                                        actionNames: KeyMap.actionNames(environment.id, actionCount: n))
        } catch let error as WatchError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        } catch {
            throw CommandFailure.exitCode(for: error)
        }
        do {
            if let record {
                try Watch.record(session, to: URL(fileURLWithPath: record), episodes: episodes,
                                 maxFrames: maxFrames ?? 500, speed: speed, scale: scale)
                return
            }
            let viewerOptions = ViewerOptions(
                speed: speed, scale: scale, maxFrames: maxFrames, screenshot: screenshot.map(URL.init(fileURLWithPath:)),
                screenshotRaw: screenshotRaw.map(URL.init(fileURLWithPath:)),
                title: "lattice watch \(session.environment.id)", scriptedKeys: try ScriptedKeys.parse(keys))
            let summary = try ViewerLoop.run(session, keyMap: nil, options: viewerOptions)
            Watch.printSummary(summary)
        } catch {
            throw CommandFailure.exitCode(for: error)
        }
    }

    /// The policy that acts: for a run directory its trained actor-critic from the latest checkpoint (argmax
    /// actions), else a random policy seeded `seed`.
    static func policy(for run: RunDirectory?, environment: any Environment, actionCount: Int, seed: UInt64) throws -> any Policy {
        if let run {
            return try ActorCriticPolicy.load(run: run, environment: environment, registries: try Catalog.registries(), seed: seed)
        }
        return RandomPolicy(actionCount: actionCount, seed: seed)
    }

    /// The environment for a run directory, a config file or an id with `key=value` options, and the run
    /// directory when one was given.
    static func environment(for target: String, options: [String]) throws -> (any Environment, RunDirectory?) {
        var isDirectory: ObjCBool = false
        let registries = try Catalog.registries()
        if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) {
            let configURL = isDirectory.boolValue
                ? RunDirectory(url: URL(fileURLWithPath: target)).configURL : URL(fileURLWithPath: target)
            guard FileManager.default.fileExists(atPath: configURL.path) else {
                throw WatchError.notARun(target)
            }
            let config = try ExperimentConfig(contentsOf: configURL, overrides: options)
            guard let spec = config.environment else { throw WatchError.noEnvironment(configURL.path) }
            let environment = try registries.environments.make(spec.id, config: spec.config, registries: registries)
            return (environment, isDirectory.boolValue ? RunDirectory(url: URL(fileURLWithPath: target)) : nil)
        }
        let made = try EnvironmentArguments(id: target, options: options).make(with: registries)
        if let note = made.note { CommandFailure.note(note) }
        return (made.environment, nil)
    }

    /// Plays up to `episodes` episodes (at most `maxFrames` frames) and writes the composed canvases as a GIF
    /// shown at `speed` frames per second.
    static func record(_ session: ViewerSession, to url: URL, episodes: Int, maxFrames: Int, speed: Double,
                       scale: Int) throws {
        session.reset()
        let first = session.frame()
        let canvas = ViewerCanvas(frameWidth: first.width, frameHeight: first.height,
                                  scale: scale > 0 ? scale : ViewerCanvas.defaultScale(frameHeight: first.height, target: 240))
        let status = ViewerOptions.status(speed: speed, paused: false)
        var frames = [canvas.compose(first, overlay: session.overlay(status: status, help: [])).frame]
        var finished = 0
        while frames.count < maxFrames {
            try session.advance()
            frames.append(canvas.compose(session.frame(), overlay: session.overlay(status: status, help: [])).frame)
            if session.episodeOver {
                finished += 1
                if finished >= episodes { break }
                try session.advance()  // the next episode's first state
                frames.append(canvas.compose(session.frame(), overlay: session.overlay(status: status, help: [])).frame)
            }
        }
        let delay = max(2, Int((100 / speed).rounded()))
        let bytes = try GIFEncoder.encode(frames: frames, delay: delay)
        try Data(bytes).write(to: url)
        print("recorded \(frames.count) frames of \(session.environment.id) (\(finished) episode\(finished == 1 ? "" : "s") finished) to \(url.path)")
    }

    /// One line on what the loop did.
    static func printSummary(_ summary: ViewerLoop.Summary) {
        let returns = summary.returns.map { String(format: "%.2f", $0) }.joined(separator: ", ")
        print("showed \(summary.frames) frames (video driver \(summary.videoDriver))"
              + (returns.isEmpty ? "" : "; episode returns \(returns)"))
    }
}

/// The `--keys` list of `watch` and `play`.
enum ScriptedKeys {
    /// The keys of a comma-separated list (nil → none); an unknown name is a usage error listing the known ones.
    static func parse(_ text: String?) throws -> [ViewerKey] {
        guard let text, !text.isEmpty else { return [] }
        return try text.split(separator: ",").map { name in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let key = ViewerKey(name: trimmed) else {
                throw ValidationError("--keys: unknown key '\(trimmed)'; known: left, right, up, down, space, enter, esc, plus, minus, or one letter or digit")
            }
            return key
        }
    }
}

/// Why `watch` cannot find what to play.
enum WatchError: Error, CustomStringConvertible {
    /// A directory without `config.yaml`.
    case notARun(String)
    /// A config without an `environment` section.
    case noEnvironment(String)

    var description: String {
        switch self {
        case .notARun(let path):
            return "\(path) is not a run directory (no config.yaml); give a run directory, a config file or an environment id"
        case .noEnvironment(let path):
            return "\(path) has no environment section; watch needs an RL experiment or an environment id"
        }
    }
}
