extension RolloutBuffer {
    /// The explained variance of the value predictions, 1 − Var(returns − values) / Var(returns)
    /// (population variances in Double), logged by PPO and A2C: 1 is a perfect critic, 0 one no better
    /// than a constant, negative worse. `nan` when the returns have zero variance (as CleanRL reports).
    /// Call it after `AdvantageEstimation.compute`.
    public func explainedVariance() -> Double {
        let n = Double(count)
        var sumY = 0.0, sumYY = 0.0, sumR = 0.0, sumRR = 0.0
        for i in 0..<count {
            let y = Double(returns[i]), r = y - Double(values[i])
            sumY += y; sumYY += y * y
            sumR += r; sumRR += r * r
        }
        let varY = sumYY / n - (sumY / n) * (sumY / n)
        guard varY > 0 else { return .nan }
        let varR = sumRR / n - (sumR / n) * (sumR / n)
        return 1 - varR / varY
    }
}
