import Foundation
import GridWorld
import LatticeRL
import LatticeRuntime
import LatticeTensor
import MinAtar

/// `lattice bench envs`: random-action steps per second of every MinAtar and grid-world id, one core.
///
/// Three rows per id: a single copy stepped through `step(_:into:)` into one reused observation buffer
/// (`x1`), and `VectorEnvironment`s of 8 and 64 copies (`x8`, `x64`; SAME_STEP auto-reset, observations
/// written into the batch tensor). Every row counts environment steps per second with the observation
/// written and finished episodes reset inside the timed loop, as a training loop sees them.
///
/// The random actions come from a `RandomGenerator` (xoshiro256**) drawn inside the timed loop: about a
/// nanosecond an action, under 1% of even the fastest environment's step, and it keeps the action
/// sequence unbounded without a pre-drawn array competing for cache. Environments are built through the
/// registries with their default options (MinAtar: sticky actions 0.1, as the reference), except
/// `GridWorld/Map-v0`, which gets the 8×8 room of `mapLayout`.
///
/// Step counts adapt to each environment: a short pilot measures its speed, then every repetition runs
/// for about `targetSeconds`, so the whole suite takes about half a minute (7 repetitions) whatever the speeds.
struct EnvironmentBenchmark {
    let repetitions: Int
    let report: BenchmarkReport
    /// Wall time aimed at for one timed repetition.
    var targetSeconds = 0.06
    /// The copy counts measured.
    static let copyCounts = [1, 8, 64]
    /// The layout given to `GridWorld/Map-v0`: an 8×8 room with an inner wall.
    static let mapLayout = "########\n#>.....#\n#......#\n###.####\n#......#\n#......#\n#.....G#\n########"

    func run() throws {
        let registries = try Catalog.registries()
        let ids = registries.environments.ids.filter { $0.hasPrefix("MinAtar/") || $0.hasPrefix("GridWorld/") }
        for id in ids {
            let config = id == "GridWorld/Map-v0"
                ? ConfigNode(.mapping([ConfigEntry(key: "map", value: .scalar(.string(Self.mapLayout)))]))
                : .emptyMapping
            let make = { try registries.environments.make(id, config: config, registries: registries) }
            for copies in Self.copyCounts {
                let rate = copies == 1 ? try single(make) : try vector(make, copies: copies)
                let shape = try make().observationSpace.shape
                report.add(report.json ? "\(id)/x\(copies)" : "\(id) x\(copies)", value: rate, unit: "steps/s",
                           detail: "obs \(shape)")
            }
        }
    }

    /// Steps per second of one copy.
    private func single(_ make: () throws -> any Environment) throws -> Double {
        let environment = try make()
        guard case .discrete(let actionCount) = environment.actionSpace else { return 0 }
        var rng = RandomGenerator(seed: 1)
        var observation = [Float](repeating: 0, count: environment.observationSpace.scalarCount)
        var failure: (any Error)?
        let rate: Double = observation.withUnsafeMutableBufferPointer { buffer in
            environment.reset(seed: 1, into: buffer)
            func play(_ steps: Int) {
                do {
                    for _ in 0..<steps {
                        let t = try environment.step(rng.nextInt(below: actionCount), into: buffer)
                        if t.terminated || t.truncated { environment.reset(seed: nil, into: buffer) }
                    }
                } catch { failure = error }
            }
            return measure(stepsPerCall: 1, play)
        }
        if let failure { throw failure }
        return rate
    }

    /// Environment steps per second of a `VectorEnvironment` of `copies` copies.
    private func vector(_ make: () throws -> any Environment, copies: Int) throws -> Double {
        let environments = try VectorEnvironment((0..<copies).map { _ in try make() })
        guard case .discrete(let actionCount) = environments.actionSpace else { return 0 }
        var rng = RandomGenerator(seed: 1)
        var actions = [Int](repeating: 0, count: copies)
        environments.reset(seed: 1)
        var failure: (any Error)?
        let rate = measure(stepsPerCall: copies) { calls in
            do {
                for _ in 0..<calls {
                    for i in 0..<copies { actions[i] = rng.nextInt(below: actionCount) }
                    try environments.step(actions)
                }
            } catch { failure = error }
        }
        if let failure { throw failure }
        return rate
    }

    /// Environment steps per second of `play(calls)` (each call `stepsPerCall` steps): a pilot sizes the
    /// calls per repetition to about `targetSeconds`, then the median of `repetitions` runs is taken.
    private func measure(stepsPerCall: Int, _ play: (Int) -> Void) -> Double {
        var pilotCalls = max(1, 256 / stepsPerCall)
        var pilotSeconds = 0.0
        while true {
            let start = DispatchTime.now().uptimeNanoseconds
            play(pilotCalls)
            pilotSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if pilotSeconds > 0.005 || pilotCalls > 1 << 24 { break }
            pilotCalls *= 4
        }
        let calls = max(1, Int(targetSeconds / pilotSeconds * Double(pilotCalls)))
        let seconds = BenchmarkReport.median(repetitions: repetitions, warmup: 1) { play(calls) }
        return Double(calls * stepsPerCall) / seconds
    }
}
