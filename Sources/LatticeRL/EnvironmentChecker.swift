import LatticeTensor

/// Checks that an environment keeps the `Environment` contract; used by `lattice check-env <id>` and by the
/// conformance test run on every registered id.
///
/// Checks, each on fresh copies from `makeEnvironment`:
///  - **spaces**: observations are a box with `low ≤ high`, actions a non-empty discrete space; the id
///    looks like `[namespace/]Name-vN` (a warning otherwise).
///  - **observations**: every observation written by `reset`/`step` fills exactly
///    `observationSpace.scalarCount` scalars (the buffer is surrounded by sentinels, so a wrong shape is
///    caught both ways) and every scalar is finite and within `[low, high]`; rewards are finite.
///  - **determinism**: two copies reset with the same seed and driven by one fixed action sequence
///    (auto-resetting with `seed: nil`) give bit-identical observations, rewards and flags; so does a used
///    copy reset again with that seed.
///  - **episode end**: `step` after an episode ended throws `EnvironmentError.episodeFinished`.
///  - **invalid actions**: actions `-1` and `n` throw `.invalidAction`, and a refused action leaves the
///    state unchanged.
///  - **render**: `render()` gives frames of one size throughout (no frame at all is a warning).
///  - **random steps**: `steps` uniformly random actions with resets run without an error.
/// `step` before the first `reset` should throw `.notReset` (a warning otherwise). A crash inside the
/// environment stops the process: that is a failure too, with the environment's own message.
public enum EnvironmentChecker {
    /// The contract breaches found (empty when the environment passes).
    public static func check(makeEnvironment: () throws -> any Environment, steps: Int = 10_000,
                             seed: UInt64 = 0) -> [CheckFailure] {
        run(makeEnvironment: makeEnvironment, steps: steps, seed: seed).failures
    }

    /// The full report: passes, failures and warnings, printable line by line.
    public static func run(makeEnvironment: () throws -> any Environment, steps: Int = 10_000,
                           seed: UInt64 = 0) -> EnvironmentCheckReport {
        var report = EnvironmentCheckReport(id: "?")
        let first: any Environment
        do { first = try makeEnvironment() } catch {
            report.failures.append(CheckFailure(check: "construction", message: "making the environment threw: \(error)"))
            return report
        }
        report.id = first.id
        return withoutActuallyEscaping(makeEnvironment) { make in
            var session = CheckSession(report: report, make: make, seed: seed, steps: max(1, steps))
            session.run(first: first)
            return session.report
        }
    }
}

/// A fixed-size observation buffer surrounded by sentinels, to see exactly what an environment wrote.
struct ObservationProbe {
    static let sentinel = Float(bitPattern: 0x7FC5_A5A5)
    let count: Int
    let margin: Int
    var storage: [Float]

    init(count: Int) {
        self.count = count
        margin = max(64, count)
        storage = [Float](repeating: ObservationProbe.sentinel, count: count + 2 * margin)
    }

    /// Fills the whole buffer with sentinels, then lets `body` write the observation part.
    mutating func fill<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        for i in storage.indices { storage[i] = ObservationProbe.sentinel }
        let (count, margin) = (self.count, self.margin)
        return try storage.withUnsafeMutableBufferPointer { all in
            try body(UnsafeMutableBufferPointer(start: all.baseAddress! + margin, count: count))
        }
    }

    /// The observation scalars.
    var observation: ArraySlice<Float> { storage[margin..<(margin + count)] }

    /// What is wrong with the last write against `space`, or `nil`.
    func problem(in space: Space) -> String? {
        let isSentinel = { (x: Float) in x.bitPattern == ObservationProbe.sentinel.bitPattern }
        let outside = storage[..<margin].filter(isSentinel).count + storage[(margin + count)...].filter(isSentinel).count
        let overrun = 2 * margin - outside
        if overrun > 0 {
            return "the environment wrote \(overrun) scalar\(overrun == 1 ? "" : "s") outside the \(count) of its observation space \(space); make observationSpace match the observations"
        }
        let unwritten = observation.filter(isSentinel).count
        if unwritten > 0 {
            return "\(unwritten) of the \(count) observation scalars were left unwritten; the observations are smaller than observationSpace \(space)"
        }
        if case .box(_, let low, let high) = space {
            for (i, x) in observation.enumerated() where !(x >= low && x <= high) {
                return "observation scalar \(i) is \(x), outside [\(low), \(high)] of \(space)"
            }
        }
        return nil
    }
}
