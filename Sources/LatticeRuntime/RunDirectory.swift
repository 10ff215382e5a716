import Foundation

/// A run's directory: `runs/<name>-<yyyyMMdd-HHmmss>/` holding `config.yaml`, `metrics.csv`,
/// `events.out.tfevents.*`, `checkpoints/step-000001000.safetensors`, `media/` and `summary.json`.
public struct RunDirectory: Sendable, Equatable {
    /// The directory.
    public let url: URL

    /// Opens an existing run directory (for `eval`, `watch`, resuming).
    public init(url: URL) { self.url = url }

    /// Creates `<parent>/<name>-<yyyyMMdd-HHmmss>/` with `checkpoints/` and `media/`. If the name is
    /// taken (two runs in one second) a suffix `-2`, `-3`, … is added. `name` has `/` and spaces
    /// replaced by `_`.
    public static func create(in parent: URL, name: String, date: Date = Date(),
                              timeZone: TimeZone = .current) throws -> RunDirectory {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let safe = name.map { $0 == "/" || $0 == " " ? "_" : $0 }
        let base = String(safe) + "-" + formatter.string(from: date)
        let fm = FileManager.default
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        var suffix = 1
        while true {
            let candidate = parent.appendingPathComponent(suffix == 1 ? base : "\(base)-\(suffix)")
            do {
                // Without intermediate directories, creation fails if the directory exists: atomic claim.
                try fm.createDirectory(at: candidate, withIntermediateDirectories: false)
                let run = RunDirectory(url: candidate)
                try fm.createDirectory(at: run.checkpointsURL, withIntermediateDirectories: true)
                try fm.createDirectory(at: run.mediaURL, withIntermediateDirectories: true)
                return run
            } catch where fm.fileExists(atPath: candidate.path) && suffix < 10_000 {
                suffix += 1
            }
        }
    }

    /// `config.yaml`: the resolved config.
    public var configURL: URL { url.appendingPathComponent("config.yaml") }
    /// `metrics.csv`.
    public var metricsURL: URL { url.appendingPathComponent("metrics.csv") }
    /// `summary.json`.
    public var summaryURL: URL { url.appendingPathComponent("summary.json") }
    /// `checkpoints/`.
    public var checkpointsURL: URL { url.appendingPathComponent("checkpoints", isDirectory: true) }
    /// `media/` (PNG, GIF, SVG).
    public var mediaURL: URL { url.appendingPathComponent("media", isDirectory: true) }

    /// Writes the resolved config (`ExperimentConfig.resolvedYAML`).
    public func writeConfig(_ yaml: String) throws {
        try Data(yaml.utf8).write(to: configURL, options: .atomic)
    }

    /// Writes `summary.json` (keys sorted, pretty-printed).
    public func writeSummary(_ summary: TrainingSummary) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(summary).write(to: summaryURL, options: .atomic)
    }

    /// Reads `summary.json`.
    public func readSummary() throws -> TrainingSummary {
        try JSONDecoder().decode(TrainingSummary.self, from: Data(contentsOf: summaryURL))
    }

    /// `step-000001000.safetensors`: the step zero-padded to 9 digits, so names sort by step.
    public static func checkpointFileName(step: Int) -> String {
        let digits = String(step)
        return "step-" + String(repeating: "0", count: max(0, 9 - digits.count)) + digits + ".safetensors"
    }

    /// The step in a checkpoint file name, or `nil` if the name does not follow the pattern.
    public static func checkpointStep(fileName: String) -> Int? {
        guard fileName.hasPrefix("step-"), fileName.hasSuffix(".safetensors") else { return nil }
        let digits = fileName.dropFirst(5).dropLast(12)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return Int(digits)
    }

    /// Where the checkpoint for `step` goes.
    public func checkpointURL(step: Int) -> URL {
        checkpointsURL.appendingPathComponent(Self.checkpointFileName(step: step))
    }

    /// The checkpoints present, as (step, url), oldest step first. Other files are ignored.
    public func checkpoints() throws -> [(step: Int, url: URL)] {
        guard FileManager.default.fileExists(atPath: checkpointsURL.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: checkpointsURL.path)
            .compactMap { name in Self.checkpointStep(fileName: name).map { ($0, checkpointsURL.appendingPathComponent(name)) } }
            .sorted { $0.0 < $1.0 }
    }

    /// The checkpoint with the highest step, or `nil`.
    public func latestCheckpoint() throws -> URL? { try checkpoints().last?.url }

    /// Deletes all but the `keepLast` newest checkpoints (by step); `keepLast` 0 keeps all.
    /// Returns the deleted files.
    @discardableResult
    public func rotateCheckpoints(keepLast: Int) throws -> [URL] {
        guard keepLast > 0 else { return [] }
        let all = try checkpoints()
        let doomed = all.dropLast(keepLast).map(\.url)
        for url in doomed { try FileManager.default.removeItem(at: url) }
        return doomed
    }
}
