import Foundation

/// A training algorithm bound to one experiment (A2C, PPO, GAN, supervised).
///
/// A trainer never prints: it reports through `TrainingEvent`s sent to its callbacks, and stops early
/// when a callback asks it to. Checkpoints and metrics go to the run directory the context gives.
public protocol Trainer: AnyObject {
    /// Trains until `budget` is used up or a callback asks to stop; returns what happened.
    func train(budget: TrainingBudget, callbacks: [any TrainingCallback]) throws -> TrainingSummary
}

/// Everything a trainer factory needs besides its own config section.
public struct TrainerContext {
    /// The whole experiment config (model, environment or dataset, seed, logging).
    public var experiment: ExperimentConfig
    /// The registries, to build the model's layers, environments and datasets.
    public var registries: Registries
    /// Where checkpoints and media go, or `nil` for a run that saves nothing (tests, benchmarks).
    public var runDirectory: RunDirectory?
    /// The checkpoint to continue from (`lattice train --resume`), or `nil` for a fresh start.
    public var resumeCheckpoint: URL?

    /// A context for one experiment.
    public init(experiment: ExperimentConfig, registries: Registries, runDirectory: RunDirectory? = nil,
                resumeCheckpoint: URL? = nil) {
        self.experiment = experiment
        self.registries = registries
        self.runDirectory = runDirectory
        self.resumeCheckpoint = resumeCheckpoint
    }
}

/// How much training to do: the first limit reached stops training; `nil` limits are ignored.
public struct TrainingBudget: Codable, Sendable, Equatable {
    /// Environment or optimizer steps, as the trainer counts them (documented per trainer).
    public var steps: Int?
    /// Passes over the training split (supervised and GAN trainers).
    public var epochs: Int?
    /// Wall-clock seconds.
    public var seconds: Double?

    /// A budget; `nil` limits are ignored.
    public init(steps: Int? = nil, epochs: Int? = nil, seconds: Double? = nil) {
        self.steps = steps
        self.epochs = epochs
        self.seconds = seconds
    }

    /// The reason to stop now, or `nil` to go on: step ≥ steps, epoch ≥ epochs or elapsed ≥ seconds.
    public func exhausted(step: Int, epoch: Int = 0, elapsed: Double = 0) -> StopReason? {
        if let steps, step >= steps { return .budgetExhausted("\(steps) steps") }
        if let epochs, epoch >= epochs { return .budgetExhausted("\(epochs) epochs") }
        if let seconds, elapsed >= seconds { return .budgetExhausted("\(seconds) seconds") }
        return nil
    }
}

/// Why training stopped.
public enum StopReason: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The budget ran out (which limit).
    case budgetExhausted(String)
    /// A callback asked to stop (its reason: early stopping, window closed, Ctrl-C).
    case requested(String)
    /// Training became numerically invalid (a NaN loss) — the message says where.
    case diverged(String)

    private enum CodingKeys: String, CodingKey { case kind, detail }

    /// Encoded as `{"kind": "budgetExhausted" | "requested" | "diverged", "detail": "…"}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .budgetExhausted(let d): try c.encode("budgetExhausted", forKey: .kind); try c.encode(d, forKey: .detail)
        case .requested(let d): try c.encode("requested", forKey: .kind); try c.encode(d, forKey: .detail)
        case .diverged(let d): try c.encode("diverged", forKey: .kind); try c.encode(d, forKey: .detail)
        }
    }

    /// Decodes `{"kind": …, "detail": …}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let detail = try c.decode(String.self, forKey: .detail)
        switch try c.decode(String.self, forKey: .kind) {
        case "budgetExhausted": self = .budgetExhausted(detail)
        case "requested": self = .requested(detail)
        case "diverged": self = .diverged(detail)
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription:
                "unknown stop reason '\(other)'; expected budgetExhausted, requested or diverged")
        }
    }

    /// A readable one-line form.
    public var description: String {
        switch self {
        case .budgetExhausted(let what): return "budget exhausted (\(what))"
        case .requested(let why): return "stop requested: \(why)"
        case .diverged(let what): return "diverged: \(what)"
        }
    }
}

/// What a trainer reports while it runs, in order: `started`, then `metrics`/`checkpoint` any number
/// of times, then `stopped` and `finished`.
public enum TrainingEvent {
    /// Training began (the trainer id and the parameter count of its model(s)).
    case started(trainer: String, parameterCount: Int)
    /// Scalars at a step; keys are `group/metric` (`losses/policy`, `rollout/episodeReturn`).
    case metrics(step: Int, [String: Double])
    /// A checkpoint was written.
    case checkpoint(step: Int, url: URL)
    /// An image for the TensorBoard images tab (a GAN's sample grid); sinks that take images get it.
    case image(step: Int, TrainingImage)
    /// Training stopped, and why.
    case stopped(StopReason)
    /// The final summary (also returned by `train`).
    case finished(TrainingSummary)
}

/// A PNG image logged under a tag (`samples/grid`).
public struct TrainingImage: Sendable, Equatable {
    /// The TensorBoard tag.
    public var tag: String
    /// The PNG bytes.
    public var png: [UInt8]
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// 1 (grey), 3 (RGB) or 4 (RGBA).
    public var channels: Int

    /// An image under `tag`.
    public init(tag: String, png: [UInt8], width: Int, height: Int, channels: Int) {
        self.tag = tag
        self.png = png
        self.width = width
        self.height = height
        self.channels = channels
    }
}

/// A callback's answer to an event.
public enum CallbackDecision: Sendable, Equatable {
    /// Go on training.
    case proceed
    /// Stop at the next safe point, for this reason.
    case stop(String)
}

/// Receives training events; may ask the trainer to stop (early stopping, a closed viewer, Ctrl-C).
public protocol TrainingCallback: AnyObject {
    /// Handles one event; return `.stop(reason)` to end training early.
    func handle(_ event: TrainingEvent) -> CallbackDecision
}

/// A callback made from a closure.
public final class ClosureCallback: TrainingCallback {
    private let body: (TrainingEvent) -> CallbackDecision
    /// Wraps `body`.
    public init(_ body: @escaping (TrainingEvent) -> CallbackDecision) { self.body = body }
    /// Handles one event (see the type's documentation).
    public func handle(_ event: TrainingEvent) -> CallbackDecision { body(event) }
}

/// Forwards `metrics` events to a sink and closes it when training finishes.
public final class MetricsCallback: TrainingCallback {
    /// The sink written to.
    public let sink: any MetricsSink
    /// Wraps `sink`.
    public init(sink: any MetricsSink) { self.sink = sink }
    /// Handles one event (see the type's documentation).
    public func handle(_ event: TrainingEvent) -> CallbackDecision {
        switch event {
        case .metrics(let step, let values): sink.write(step: step, metrics: values)
        case .image(let step, let image): (sink as? any ImageSink)?.write(step: step, image: image)
        case .finished: sink.close()
        default: break
        }
        return .proceed
    }
}

extension Array where Element == any TrainingCallback {
    /// Sends `event` to every callback (all of them, even after one asks to stop) and returns the
    /// first stop request as a `StopReason`, or `nil`.
    public func send(_ event: TrainingEvent) -> StopReason? {
        var reason: StopReason?
        for callback in self {
            if case .stop(let why) = callback.handle(event), reason == nil { reason = .requested(why) }
        }
        return reason
    }
}

/// What a training run did; written as `summary.json` in the run directory.
public struct TrainingSummary: Codable, Sendable, Equatable {
    /// The trainer id.
    public var trainer: String
    /// Steps done (as the trainer counts them).
    public var steps: Int
    /// Epochs done (0 for RL).
    public var epochs: Int
    /// Wall-clock seconds.
    public var seconds: Double
    /// Why it stopped.
    public var stopReason: StopReason
    /// The last value of every metric.
    public var finalMetrics: [String: Double]
    /// The last checkpoint written, relative to the run directory, if any.
    public var lastCheckpoint: String?

    /// A summary.
    public init(trainer: String, steps: Int, epochs: Int = 0, seconds: Double, stopReason: StopReason,
                finalMetrics: [String: Double] = [:], lastCheckpoint: String? = nil) {
        self.trainer = trainer
        self.steps = steps
        self.epochs = epochs
        self.seconds = seconds
        self.stopReason = stopReason
        self.finalMetrics = finalMetrics
        self.lastCheckpoint = lastCheckpoint
    }
}
