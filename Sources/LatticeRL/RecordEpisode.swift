import Foundation

/// Collects the `render()` frames of an episode and writes them as an animated GIF when it ends; changes
/// nothing about the environment itself.
///
/// Episodes are counted from 0 at each `reset`; episode `e` is recorded when `e % every == 0`. Its frames are
/// the frame after `reset` and the frame after every step; when the episode ends, they are written to
/// `directory/<prefix>-<e>.gif` (the directory is created if needed). An episode cut short by another
/// `reset` is written then; `finish()` writes one still running. An environment whose `render()` returns
/// `nil` records nothing. At most `maxFrames` frames are kept per episode (later ones are dropped).
///
/// Writing happens inside `step`, which cannot report it without losing the transition: a failed write is
/// kept in `writeErrors` and thrown by the next `finish()`.
public final class RecordEpisode: Environment {
    /// The wrapped environment.
    public let environment: any Environment
    /// Where the GIFs go.
    public let directory: URL
    /// The start of each file name.
    public let prefix: String
    /// Record one episode in `every`.
    public let every: Int
    /// Hundredths of a second per frame.
    public let delay: Int
    /// Each pixel becomes a `scale × scale` block.
    public let scale: Int
    /// The most frames kept for one episode.
    public let maxFrames: Int
    /// The frames of the episode being recorded so far.
    public private(set) var frames: [Frame] = []
    /// The files written so far, in order.
    public private(set) var writtenFiles: [URL] = []
    /// Writes that failed (kept until `finish()` throws the first).
    public private(set) var writeErrors: [any Error] = []
    /// The index of the current episode (−1 before the first `reset`).
    public private(set) var episodeIndex = -1
    private var recording = false

    /// Records every `every`-th episode of `environment` into `directory` as `<prefix>-<episode>.gif`.
    public init(_ environment: any Environment, directory: URL, prefix: String = "episode", every: Int = 1,
                delay: Int = 10, scale: Int = 1, maxFrames: Int = 10_000) throws {
        guard every >= 1, delay >= 0, scale >= 1, maxFrames >= 1 else {
            throw EnvironmentError.invalidOption(environment: environment.id, message:
                "RecordEpisode needs every ≥ 1, delay ≥ 0, scale ≥ 1, maxFrames ≥ 1; got every \(every), delay \(delay), scale \(scale), maxFrames \(maxFrames)")
        }
        self.environment = environment
        self.directory = directory
        self.prefix = prefix
        self.every = every
        self.delay = delay
        self.scale = scale
        self.maxFrames = maxFrames
    }

    /// The wrapped environment's id.
    public var id: String { environment.id }
    /// The wrapped environment's observation space.
    public var observationSpace: Space { environment.observationSpace }
    /// The wrapped environment's action space.
    public var actionSpace: Space { environment.actionSpace }

    /// The file episode `e` is written to.
    public func url(forEpisode e: Int) -> URL {
        directory.appendingPathComponent("\(prefix)-\(e).gif")
    }

    /// Resets the wrapped environment (writing an unfinished recorded episode first) and records the first
    /// frame if this episode is recorded.
    public func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
        if recording { writeCurrent() }
        environment.reset(seed: seed, into: observation)
        episodeIndex += 1
        recording = episodeIndex % every == 0
        frames.removeAll(keepingCapacity: true)
        if recording { capture() }
    }

    /// Steps the wrapped environment, records its frame, and writes the GIF when the episode ends.
    public func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        let t = try environment.step(action, into: observation)
        if recording {
            capture()
            if t.isDone { writeCurrent() }
        }
        return t
    }

    /// Writes the episode being recorded, if any, and throws the first failed write so far.
    public func finish() throws {
        if recording { writeCurrent() }
        if let first = writeErrors.first {
            writeErrors.removeAll()
            throw first
        }
    }

    /// The wrapped environment's frame.
    public func render() -> Frame? { environment.render() }

    private func capture() {
        guard frames.count < maxFrames, let frame = environment.render() else { return }
        frames.append(frame)
    }

    private func writeCurrent() {
        recording = false
        guard !frames.isEmpty else { return }
        let url = url(forEpisode: episodeIndex)
        do {
            let bytes = try GIFEncoder.encode(frames: frames, delay: delay, scale: scale)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
            writtenFiles.append(url)
        } catch {
            writeErrors.append(error)
        }
    }
}
