import Foundation

/// A training callback that keeps every `metrics` event (with its step) and the model's parameter
/// count, so a reproduction can tabulate and plot a run after it ends.
public final class MetricHistory: TrainingCallback {
    /// Every metrics event, in order.
    public private(set) var rows: [(step: Int, metrics: [String: Double])] = []
    /// The parameter count the trainer announced when it started.
    public private(set) var parameterCount: Int?

    /// An empty history.
    public init() {}

    /// Records `started` and `metrics` events; never stops training.
    public func handle(_ event: TrainingEvent) -> CallbackDecision {
        switch event {
        case .started(_, let count): parameterCount = count
        case .metrics(let step, let values): rows.append((step, values))
        default: break
        }
        return .proceed
    }

    /// The points (x = `xKey`, y = `yKey`) of every event that carries both keys.
    public func series(_ yKey: String, against xKey: String) -> [(x: Double, y: Double)] {
        rows.compactMap { row in
            guard let x = row.metrics[xKey], let y = row.metrics[yKey] else { return nil }
            return (x, y)
        }
    }

    /// The best value of `key` (largest, or smallest when `higherIsBetter` is false), and the value of
    /// `timeKey` at the first event that reached it; `nil` if the key never appeared.
    public func best(_ key: String, higherIsBetter: Bool, timeKey: String) -> (value: Double, time: Double?)? {
        var best: (value: Double, time: Double?)?
        for row in rows {
            guard let v = row.metrics[key], v.isFinite else { continue }
            if let b = best, higherIsBetter ? v <= b.value : v >= b.value { continue }
            best = (v, row.metrics[timeKey])
        }
        return best
    }

    /// The last value of `key`, if it ever appeared.
    public func last(_ key: String) -> Double? { rows.last { $0.metrics[key] != nil }?.metrics[key] }
}
