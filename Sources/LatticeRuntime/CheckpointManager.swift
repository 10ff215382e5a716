import Foundation
import LatticeNN
import LatticeTensor

/// Writes a trainer's checkpoints into the run directory every `every` steps and at the end, keeps the
/// last `keepLast`, and finds the latest for `--resume`.
///
/// A checkpoint is one safetensors file: model parameters and buffers by dotted name, optimizer state
/// under `optimizer.`, and metadata strings (`step`, `epoch`, RNG states…). Files are written atomically
/// (temporary file + rename), so a crash or Ctrl-C mid-write leaves the previous checkpoint intact.
public final class CheckpointManager {
    /// Where checkpoints go; `nil` saves nothing.
    public let runDirectory: RunDirectory?
    /// Save every this many steps (0 = only at the end).
    public let every: Int
    /// How many checkpoints to keep.
    public let keepLast: Int
    /// The last file written, relative to the run directory.
    public private(set) var lastSaved: String?
    private var lastStep = -1

    public init(runDirectory: RunDirectory?, every: Int, keepLast: Int) {
        self.runDirectory = runDirectory
        self.every = every
        self.keepLast = max(1, keepLast)
    }

    /// A manager for a trainer context's run and logging settings.
    public convenience init(context: TrainerContext) {
        self.init(runDirectory: context.runDirectory, every: context.experiment.logging.checkpointEvery,
                  keepLast: context.experiment.logging.keepLast)
        if let resumed = context.resumeCheckpoint { lastSaved = "checkpoints/" + resumed.lastPathComponent }
    }

    /// Whether a periodic checkpoint is due at `step`.
    public func isDue(step: Int) -> Bool { every > 0 && step > 0 && step % every == 0 && step != lastStep }

    /// Writes the checkpoint for `step` built by `make` (called only when there is a run directory) and
    /// rotates old ones. Returns the file's URL.
    @discardableResult
    public func save(step: Int, _ make: () throws -> SafetensorsFile) throws -> URL? {
        guard let run = runDirectory, step != lastStep else { return nil }
        let url = run.checkpointURL(step: step)
        try make().write(to: url)
        _ = try run.rotateCheckpoints(keepLast: keepLast)
        lastStep = step
        lastSaved = "checkpoints/" + url.lastPathComponent
        return url
    }

    /// Reads the checkpoint to resume from, if the context names one.
    public static func resumeFile(_ context: TrainerContext) throws -> SafetensorsFile? {
        guard let url = context.resumeCheckpoint else { return nil }
        return try SafetensorsFile(contentsOf: url)
    }
}

extension SafetensorsFile {
    /// An integer metadata value, or a `CheckpointError`-style failure naming the key.
    public func metadataInt(_ key: String) throws -> Int {
        guard let text = metadata[key], let value = Int(text) else {
            throw CheckpointResumeError(message: "checkpoint metadata '\(key)' is missing or not an integer")
        }
        return value
    }

    /// A saved generator state (`RandomGenerator.state` as comma-separated hex words).
    public func metadataGenerator(_ key: String) throws -> RandomGenerator {
        let words = (metadata[key] ?? "").split(separator: ",").compactMap { UInt64($0, radix: 16) }
        guard let rng = RandomGenerator(state: words) else {
            throw CheckpointResumeError(message: "checkpoint metadata '\(key)' is not a generator state")
        }
        return rng
    }
}

extension RandomGenerator {
    /// The state as comma-separated hex words, for checkpoint metadata.
    public var stateText: String { state.map { String($0, radix: 16) }.joined(separator: ",") }
}

/// A checkpoint that cannot be resumed from (missing metadata).
public struct CheckpointResumeError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
