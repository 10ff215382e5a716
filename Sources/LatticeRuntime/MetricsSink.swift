/// Where scalar metrics go: a CSV file, a TensorBoard event file, the console.
///
/// Keys are `group/metric` (`rollout/episodeReturn`, `losses/policy`, `charts/stepsPerSecond`).
/// Steps must not decrease across calls. A sink never throws from `write`: a failing disk ends logging,
/// not training; `lastError` (where a sink has one) says what happened.
public protocol MetricsSink: AnyObject {
    /// Records `metrics` at `step`.
    func write(step: Int, metrics: [String: Double])
    /// Flushes and closes; further writes are ignored.
    func close()
}

/// A sink that also takes images (TensorBoard's images tab).
public protocol ImageSink: AnyObject {
    /// Records `image` at `step`.
    func write(step: Int, image: TrainingImage)
}

/// Sends every write to several sinks.
public final class MultiSink: MetricsSink {
    /// The sinks, written in order.
    public let sinks: [any MetricsSink]
    /// Fans out to `sinks`.
    public init(_ sinks: [any MetricsSink]) { self.sinks = sinks }
    /// Records `metrics` at `step` (see the type's documentation for the format).
    public func write(step: Int, metrics: [String: Double]) { for s in sinks { s.write(step: step, metrics: metrics) } }
    /// Flushes and closes; later writes are ignored.
    public func close() { for s in sinks { s.close() } }
}

extension MultiSink: ImageSink {
    /// Sends `image` to the sinks that take images.
    public func write(step: Int, image: TrainingImage) {
        for s in sinks { (s as? any ImageSink)?.write(step: step, image: image) }
    }
}

/// Keeps every write in memory (for tests and for building `summary.json`).
public final class MemorySink: MetricsSink {
    /// The writes so far, in order.
    public private(set) var records: [(step: Int, metrics: [String: Double])] = []
    /// Whether `close` was called.
    public private(set) var isClosed = false
    /// An empty sink.
    public init() {}
    /// Records `metrics` at `step` (see the type's documentation for the format).
    public func write(step: Int, metrics: [String: Double]) { if !isClosed { records.append((step, metrics)) } }
    /// Flushes and closes; later writes are ignored.
    public func close() { isClosed = true }
    /// The last value of every key.
    public var latest: [String: Double] {
        records.reduce(into: [:]) { acc, r in acc.merge(r.metrics) { $1 } }
    }
}
