import Foundation

/// A learning rate as a function of the optimization step (0 for the first update).
///
/// A trainer sets `optimizer.learningRate = schedule.rate(at: step)` before each update.
public protocol LearningRateSchedule: Sendable {
    /// The learning rate for update number `step` (0-based; negative steps count as 0).
    func rate(at step: Int) -> Float
}

/// The standard schedules. With t = max(step, 0):
/// - `constant(r)`: r.
/// - `linear(start:end:steps:)`: start + (end − start)·min(t, N)/N, then `end` from step N on
///   (CleanRL's learning-rate annealing when end = 0).
/// - `step(initial:gamma:every:)`: initial·γ^⌊t/k⌋ (PyTorch's `StepLR`).
/// - `cosine(initial:minimum:steps:)`: min + (initial − min)·(1 + cos(π·min(t, N)/N))/2, then `minimum`
///   from step N on (the closed form of PyTorch's `CosineAnnealingLR`; Loshchilov & Hutter, SGDR, 2017).
public enum StandardSchedule: LearningRateSchedule, Equatable, Codable {
    /// The same rate at every step.
    case constant(Float)
    /// From `start` at step 0 to `end` at step `steps`, in a straight line; `end` afterwards.
    case linear(start: Float, end: Float, steps: Int)
    /// `initial`, multiplied by `gamma` every `every` steps.
    case step(initial: Float, gamma: Float, every: Int)
    /// From `initial` at step 0 to `minimum` at step `steps` along half a cosine; `minimum` afterwards.
    case cosine(initial: Float, minimum: Float, steps: Int)

    /// The rate for update number `step`.
    public func rate(at step: Int) -> Float {
        let t = Swift.max(step, 0)
        switch self {
        case let .constant(r):
            return r
        case let .linear(start, end, steps):
            guard steps > 0, t < steps else { return end }
            let fraction = Double(t) / Double(steps)
            return Float(Double(start) + (Double(end) - Double(start)) * fraction)
        case let .step(initial, gamma, every):
            precondition(every > 0, "StandardSchedule.step: 'every' must be > 0, got \(every)")
            return Float(Double(initial) * Foundation.pow(Double(gamma), Double(t / every)))
        case let .cosine(initial, minimum, steps):
            guard steps > 0, t < steps else { return minimum }
            let c = (1 + Foundation.cos(Double.pi * Double(t) / Double(steps))) / 2
            return Float(Double(minimum) + (Double(initial) - Double(minimum)) * c)
        }
    }
}
