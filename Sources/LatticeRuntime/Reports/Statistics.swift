/// Summary statistics for reports: means, sample standard deviations and Student-t 95% confidence
/// intervals (the right interval for the handful of seeds an RL comparison has).
public enum Statistics {
    /// The arithmetic mean (`nan` for no values).
    public static func mean(_ x: [Double]) -> Double { x.isEmpty ? .nan : x.reduce(0, +) / Double(x.count) }

    /// The sample standard deviation with Bessel's correction (0 for fewer than two values).
    public static func standardDeviation(_ x: [Double]) -> Double {
        guard x.count > 1 else { return 0 }
        let m = mean(x)
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)).squareRoot()
    }

    /// The two-sided 97.5% quantile of Student's t with `degrees` degrees of freedom (table for 1…30,
    /// then 1.96 + 2.4/ν, within 0.002 of the exact value).
    public static func tCritical95(degrees: Int) -> Double {
        let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                               2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                               2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        guard degrees >= 1 else { return .infinity }
        return degrees <= table.count ? table[degrees - 1] : 1.96 + 2.4 / Double(degrees)
    }

    /// The half-width of the 95% confidence interval of the mean: t₀.₉₇₅(n − 1)·s/√n (`nan` for one value).
    public static func confidenceHalfWidth95(_ x: [Double]) -> Double {
        guard x.count > 1 else { return .nan }
        return tCritical95(degrees: x.count - 1) * standardDeviation(x) / Double(x.count).squareRoot()
    }
}
