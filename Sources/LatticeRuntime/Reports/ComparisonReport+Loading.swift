import Foundation

extension ComparisonReport.Run {
    /// Reads a finished run directory: the `rollout/episodeReturn` column of `metrics.csv` (rows where it is
    /// empty are skipped) and steps per second from `summary.json` (steps ÷ seconds).
    public static func load(from run: RunDirectory, seed: UInt64, metric: String = "rollout/episodeReturn") throws -> Self {
        let text = try String(contentsOf: run.metricsURL, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        guard !lines.isEmpty else { throw ReportError(message: "\(run.metricsURL.path) is empty") }
        let header = lines.removeFirst().map(String.init)
        guard let stepColumn = header.firstIndex(of: "step"), let valueColumn = header.firstIndex(of: metric) else {
            throw ReportError(message: "\(run.metricsURL.path) has no '\(metric)' column (columns: \(header.joined(separator: ", ")))")
        }
        var steps: [Int] = [], values: [Double] = []
        for fields in lines where fields.count > max(stepColumn, valueColumn) {
            guard let step = Int(fields[stepColumn]), let value = Double(fields[valueColumn]) else { continue }
            steps.append(step)
            values.append(value)
        }
        let summary = try run.readSummary()
        return Self(seed: seed, runDirectory: run.url.path, steps: steps, returns: values,
                    stepsPerSecond: Double(summary.steps) / max(summary.seconds, 1e-9))
    }
}

/// A report cannot be made from what a run left (the message names the file).
public struct ReportError: Error, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// The message.
    public var description: String { message }
}
