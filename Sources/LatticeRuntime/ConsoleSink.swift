import Foundation

/// Shows training progress on stderr.
///
/// On a terminal: one line redrawn in place with `\r` — step (of total), steps per second, ETA, and the
/// latest metrics; bold/dim ANSI styling unless `NO_COLOR` is set (any value, per no-color.org) or
/// `TERM=dumb`. Not on a terminal (a log file, CI): a plain line at most every `plainInterval` seconds
/// (and for the first write), no escape codes, and the last state again at `close()` if it was not shown. Steps per second are measured since the first write.
public final class ConsoleSink: MetricsSink {
    /// The step count at which training ends, for the fraction and ETA, if known.
    public let totalSteps: Int?
    /// Whether lines are redrawn in place.
    public let isTerminal: Bool
    /// Whether ANSI styling is used.
    public let useColor: Bool
    /// Seconds between plain lines when not on a terminal.
    public let plainInterval: Double
    /// How many metrics a line shows (`headlineKeys` first, then sorted by key).
    public let maxMetrics: Int
    private let output: (String) -> Void
    private let clock: () -> Double
    private var start: (step: Int, time: Double)?
    private var lastPlain = -Double.infinity
    private var latest: [String: Double] = [:]
    private var drewLine = false
    private var pendingLine: String?
    private var isClosed = false

    /// A console sink; the defaults detect a terminal on stderr and honour `NO_COLOR`.
    public init(totalSteps: Int? = nil,
                isTerminal: Bool = isatty(STDERR_FILENO) != 0,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                plainInterval: Double = 10, maxMetrics: Int = 4,
                output: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
                clock: @escaping () -> Double = { Date().timeIntervalSince1970 }) {
        self.totalSteps = totalSteps
        self.isTerminal = isTerminal
        self.useColor = isTerminal && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        self.plainInterval = plainInterval
        self.maxMetrics = maxMetrics
        self.output = output
        self.clock = clock
    }

    /// Records `metrics` at `step` (see the type's documentation for the format).
    public func write(step: Int, metrics: [String: Double]) {
        guard !isClosed else { return }
        let now = clock()
        latest.merge(metrics) { $1 }
        if start == nil { start = (step, now) }
        let elapsed = now - start!.time
        let rate = elapsed > 0 ? Double(step - start!.step) / elapsed : nil
        let line = Self.formatLine(step: step, totalSteps: totalSteps, stepsPerSecond: rate,
                                   metrics: latest, maxMetrics: maxMetrics, color: useColor)
        if isTerminal {
            output("\r\u{1B}[2K" + line)
            drewLine = true
        } else if now - lastPlain >= plainInterval {
            lastPlain = now
            pendingLine = nil
            output(line + "\n")
        } else {
            pendingLine = line
        }
    }

    /// Flushes and closes; later writes are ignored.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        if drewLine { output("\n") }
        if let pendingLine { output(pendingLine + "\n") }
    }

    /// One progress line: `step 2000/10000 (20%) | 500 steps/s | ETA 16s | losses/policy 0.0123 …`.
    /// Rates under 100 steps/s show one decimal.
    public static func formatLine(step: Int, totalSteps: Int?, stepsPerSecond: Double?,
                                  metrics: [String: Double], maxMetrics: Int = 4, color: Bool = false) -> String {
        let bold = color ? "\u{1B}[1m" : "", dim = color ? "\u{1B}[2m" : "", reset = color ? "\u{1B}[0m" : ""
        var parts: [String] = []
        if let totalSteps, totalSteps > 0 {
            let percent = Int((100 * Double(step) / Double(totalSteps)).rounded(.down))
            parts.append("\(bold)step \(step)/\(totalSteps)\(reset) (\(percent)%)")
        } else {
            parts.append("\(bold)step \(step)\(reset)")
        }
        if let rate = stepsPerSecond, rate > 0, rate.isFinite {
            parts.append(String(format: rate >= 100 ? "%.0f steps/s" : "%.1f steps/s", rate))
            if let totalSteps, totalSteps > step {
                parts.append("ETA " + formatDuration(Double(totalSteps - step) / rate))
            }
        }
        for key in orderedKeys(metrics.keys).prefix(maxMetrics) {
            parts.append("\(dim)\(key)\(reset) " + String(format: "%.4g", metrics[key]!))
        }
        return parts.joined(separator: " | ")
    }

    /// The headline metrics a progress line shows first, in this order, when present.
    public static let headlineKeys = [
        "rollout/episodeReturn", "test/accuracy", "train/loss", "gan/coverage", "losses/discriminator", "losses/generator",
        "losses/policy", "losses/value", "losses/entropy", "rollout/episodeLength",
    ]

    /// The keys in display order: `headlineKeys` first, then the rest sorted; `charts/` keys (rates, learning
    /// rates) last, since the line already shows the rate.
    static func orderedKeys<S: Sequence>(_ keys: S) -> [String] where S.Element == String {
        let all = Set(keys)
        let headline = headlineKeys.filter(all.contains)
        let rest = all.subtracting(headline).sorted { ($0.hasPrefix("charts/") ? 1 : 0, $0) < ($1.hasPrefix("charts/") ? 1 : 0, $1) }
        return headline + rest
    }

    /// `59s`, `1m05s`, `2h03m`.
    public static func formatDuration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
    }
}
