import LatticeTensor

/// One run of the checks against one environment id.
struct CheckSession {
    var report: EnvironmentCheckReport
    let make: () throws -> any Environment
    let seed: UInt64
    let steps: Int
    var actionCount = 0
    var observationSpace: Space = .discrete(1)

    init(report: EnvironmentCheckReport, make: @escaping () throws -> any Environment, seed: UInt64, steps: Int) {
        self.report = report
        self.make = make
        self.seed = seed
        self.steps = steps
    }

    mutating func fail(_ check: String, _ message: String) { report.failures.append(CheckFailure(check: check, message: message)) }
    mutating func warn(_ message: String) { report.warnings.append(message) }
    mutating func pass(_ message: String) { report.passed.append(message) }

    /// A fresh copy, or `nil` (with a failure) if making one throws.
    mutating func fresh() -> (any Environment)? {
        do { return try make() } catch {
            fail("construction", "making a second copy threw: \(error)")
            return nil
        }
    }

    mutating func run(first: any Environment) {
        guard checkSpaces(first) else { return }
        checkNotReset(first)
        let deterministic = checkDeterminism()
        checkInvalidActions(compareState: deterministic)
        checkRandomSteps()
    }

    // MARK: spaces

    mutating func checkSpaces(_ env: any Environment) -> Bool {
        let id = env.id
        if !Self.isVersionedId(id) {
            warn("id '\(id)' does not follow [namespace/]Name-vN; add a version suffix such as -v0 and bump it when dynamics change")
        }
        observationSpace = env.observationSpace
        var ok = true
        switch env.observationSpace {
        case .box(let shape, let low, let high):
            if !(low <= high) { fail("spaces", "observation space \(env.observationSpace) has low > high"); ok = false }
            if shape.contains(where: { $0 <= 0 }) { fail("spaces", "observation space shape \(shape) has an empty axis"); ok = false }
        case .discrete:
            fail("spaces", "observation space \(env.observationSpace) is discrete; observations are Float boxes — use .box(shape:low:high:)")
            ok = false
        }
        switch env.actionSpace {
        case .discrete(let n) where n >= 1: actionCount = n
        default:
            fail("spaces", "action space \(env.actionSpace) is not a non-empty discrete space")
            ok = false
        }
        if ok { pass("spaces: observations \(env.observationSpace), actions \(env.actionSpace)") }
        return ok
    }

    static func isVersionedId(_ id: String) -> Bool {
        guard let dash = id.range(of: "-v", options: .backwards) else { return false }
        let digits = id[dash.upperBound...]
        return !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber) && dash.lowerBound > id.startIndex
    }

    // MARK: step before reset

    mutating func checkNotReset(_ env: any Environment) {
        var probe = ObservationProbe(count: observationSpace.scalarCount)
        do {
            _ = try probe.fill { try env.step(0, into: $0) }
            warn("step before the first reset() was accepted; throw EnvironmentError.notReset instead")
        } catch let error as EnvironmentError {
            if case .notReset = error { pass("step before reset is refused (\(error))") }
            else { warn("step before reset threw \(error); EnvironmentError.notReset is the expected error") }
        } catch {
            warn("step before reset threw \(error); EnvironmentError.notReset is the expected error")
        }
    }

    // MARK: determinism

    /// Observation bits, reward bits and flags of a run, for bit-exact comparison.
    struct Trajectory {
        var observations: [[UInt32]] = []
        var rewards: [UInt32] = []
        var flags: [String] = []
        var error: String? = nil
    }

    func record(_ env: any Environment, actions: [Int]) -> Trajectory {
        var t = Trajectory()
        var probe = ObservationProbe(count: observationSpace.scalarCount)
        probe.fill { env.reset(seed: seed, into: $0) }
        t.observations.append(probe.observation.map(\.bitPattern))
        for (i, a) in actions.enumerated() {
            do {
                let tr = try probe.fill { try env.step(a, into: $0) }
                t.observations.append(probe.observation.map(\.bitPattern))
                t.rewards.append(tr.reward.bitPattern)
                t.flags.append("terminated \(tr.terminated), truncated \(tr.truncated)")
                if tr.isDone {
                    probe.fill { env.reset(seed: nil, into: $0) }
                    t.observations.append(probe.observation.map(\.bitPattern))
                }
            } catch {
                t.error = "step \(i) (action \(a)) threw \(error)"
                break
            }
        }
        return t
    }

    /// The first difference between two trajectories, in words, or `nil`.
    static func difference(_ a: Trajectory, _ b: Trajectory) -> String? {
        if a.error != b.error { return "one run threw (\(a.error ?? b.error ?? "")) and the other did not" }
        for i in 0..<min(a.rewards.count, b.rewards.count) {
            if a.rewards[i] != b.rewards[i] {
                return "step \(i): reward \(Float(bitPattern: a.rewards[i])) vs \(Float(bitPattern: b.rewards[i]))"
            }
            if a.flags[i] != b.flags[i] { return "step \(i): \(a.flags[i]) vs \(b.flags[i])" }
        }
        for i in 0..<min(a.observations.count, b.observations.count) where a.observations[i] != b.observations[i] {
            let j = a.observations[i].indices.first { a.observations[i][$0] != b.observations[i][$0] } ?? 0
            return "observation \(i) (counting resets) differs first at scalar \(j): \(Float(bitPattern: a.observations[i][j])) vs \(Float(bitPattern: b.observations[i][j]))"
        }
        return nil
    }

    mutating func checkDeterminism() -> Bool {
        guard let a = fresh(), let b = fresh() else { return false }
        var rng = RandomGenerator(seed: seed ^ 0xD5E7_0000)
        let actions = (0..<min(steps, 1000)).map { _ in rng.nextInt(below: actionCount) }
        let first = record(a, actions: actions)
        let twin = record(b, actions: actions)
        let again = record(a, actions: actions)
        var ok = true
        if let d = Self.difference(first, twin) {
            fail("determinism", "two copies reset with seed \(seed) and given the same actions diverge — \(d); draw every random number from the environment's seeded generator")
            ok = false
        }
        if let d = Self.difference(first, again) {
            fail("determinism", "reset(seed: \(seed)) on a used copy does not replay the first trajectory — \(d); re-seed every generator (and clear all state) in reset")
            ok = false
        }
        if ok { pass("determinism: seed \(seed) gives the same \(actions.count)-step trajectory on fresh and reused copies") }
        return ok
    }

    // MARK: invalid actions

    mutating func checkInvalidActions(compareState: Bool) {
        guard let env = fresh(), let twin = fresh() else { return }
        var probe = ObservationProbe(count: observationSpace.scalarCount)
        probe.fill { env.reset(seed: seed, into: $0) }
        var ok = true
        for bad in [-1, actionCount] {
            do {
                _ = try probe.fill { try env.step(bad, into: $0) }
                fail("invalid actions", "step(\(bad)) was accepted; the action space is \(env.actionSpace) — throw EnvironmentError.invalidAction")
                ok = false
            } catch let error as EnvironmentError {
                if case .invalidAction = error { continue }
                fail("invalid actions", "step(\(bad)) threw \(error); throw EnvironmentError.invalidAction for actions outside the space")
                ok = false
            } catch {
                fail("invalid actions", "step(\(bad)) threw \(error); throw EnvironmentError.invalidAction for actions outside the space")
                ok = false
            }
        }
        if compareState {
            var twinProbe = ObservationProbe(count: observationSpace.scalarCount)
            twinProbe.fill { twin.reset(seed: seed, into: $0) }
            let a = try? probe.fill { try env.step(0, into: $0) }
            let b = try? twinProbe.fill { try twin.step(0, into: $0) }
            if a != b || probe.observation.map(\.bitPattern) != twinProbe.observation.map(\.bitPattern) {
                fail("invalid actions", "a refused action changed the state: the next step(0) differs from a copy that never saw it; validate the action before changing anything")
                ok = false
            }
        }
        if ok { pass("invalid actions: -1 and \(actionCount) are refused with EnvironmentError.invalidAction") }
    }
}
