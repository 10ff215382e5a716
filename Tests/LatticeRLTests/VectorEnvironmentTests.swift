import XCTest
import LatticeRL
import LatticeTensor

final class VectorEnvironmentTests: XCTestCase {
    /// Copies with episode lengths 2, 3, 4.
    func makeCopies() -> [any Environment] {
        (0..<3).map { CounterEnvironment(episodeLength: $0 + 2) }
    }

    /// The first value a copy seeded with `seed` draws (from an independent single environment).
    func firstValue(seed: UInt64) -> Float {
        CounterEnvironment().reset(seed: seed).scalars[2]
    }

    func testResetSeedsCopyIWithSeedPlusI() throws {
        let venv = try VectorEnvironment(makeCopies())
        venv.reset(seed: 10)
        XCTAssertEqual(venv.observations.shape, [3, 3])
        for i in 0..<3 {
            XCTAssertEqual(venv.observation(of: i).scalars, [0, 0, firstValue(seed: 10 + UInt64(i))])
        }
        XCTAssertNotEqual(venv.observation(of: 0).scalars[2], venv.observation(of: 1).scalars[2],
                          "copies seeded 10 and 11 should differ (they draw 0..<100)")
        XCTAssertEqual(venv.finishedEpisodes, [])
        XCTAssertEqual(venv.hasFinalObservation, [false, false, false])
    }

    func testSameStepAutoReset() throws {
        let venv = try VectorEnvironment(makeCopies())
        venv.reset(seed: 10)
        let v0 = venv.observation(of: 0).scalars[2], v2 = venv.observation(of: 2).scalars[2]

        try venv.step([1, 1, 1])  // every copy at t = 1, reward 2
        XCTAssertEqual(venv.rewards, [2, 2, 2])
        XCTAssertEqual(venv.terminated, [false, false, false])
        XCTAssertEqual(venv.observation(of: 0).scalars[0], 1)
        XCTAssertTrue(venv.finishedEpisodes.isEmpty)

        try venv.step([1, 0, 2])  // copy 0 (length 2) ends: rewards 2, 1, 3
        XCTAssertEqual(venv.rewards, [2, 1, 3])
        XCTAssertEqual(venv.terminated, [true, false, false])
        XCTAssertEqual(venv.truncated, [false, false, false])
        XCTAssertEqual(venv.hasFinalObservation, [true, false, false])
        // Final observation: t = 2 of episode 0 with its value; batch row: t = 0 of episode 1.
        XCTAssertEqual(venv.finalObservation(of: 0)?.scalars, [2, 0, v0])
        XCTAssertNil(venv.finalObservation(of: 1))
        let row0 = venv.observation(of: 0).scalars
        let single = CounterEnvironment()
        _ = single.reset(seed: 10)
        let secondValue = single.reset(seed: nil).scalars[2]  // copy 0's second episode draws next from seed 10
        XCTAssertEqual(row0, [0, 1, secondValue], "the batch holds the next episode's first observation")
        XCTAssertEqual(venv.finishedEpisodes.map(\.withoutTiming),
                       [EpisodeRecord(index: 0, episodeReturn: 4, length: 2)])
        XCTAssertEqual(venv.observation(of: 1).scalars[0], 2)

        try venv.step([0, 0, 0])  // copy 1 (length 3) ends: return 2 + 1 + 1 = 4
        XCTAssertEqual(venv.terminated, [false, true, false])
        XCTAssertEqual(venv.finishedEpisodes.map(\.withoutTiming),
                       [EpisodeRecord(index: 1, episodeReturn: 4, length: 3)])
        XCTAssertEqual(venv.hasFinalObservation, [false, true, false], "stale final rows are masked out")

        try venv.step([2, 2, 2])  // copy 0 ends its 2nd episode (1 + 3), copy 2 (length 4: 2 + 3 + 1 + 3)
        XCTAssertEqual(venv.terminated, [true, false, true])
        XCTAssertEqual(venv.finishedEpisodes.map(\.withoutTiming),
                       [EpisodeRecord(index: 0, episodeReturn: 4, length: 2),
                        EpisodeRecord(index: 2, episodeReturn: 9, length: 4)])
        XCTAssertEqual(venv.finalObservation(of: 2)?.scalars, [4, 0, v2])
        XCTAssertEqual(Array(venv.observation(of: 0).scalars[0..<2]), [0, 2])
        XCTAssertTrue(venv.finishedEpisodes.allSatisfy { $0.duration >= 0 })
    }

    func testTruncationIsHandedOverWithFinalObservation() throws {
        let copies: [any Environment] = [try TimeLimit(CounterEnvironment(episodeLength: 10), maxSteps: 2),
                                         try TimeLimit(CounterEnvironment(episodeLength: 10), maxSteps: 2)]
        let venv = try VectorEnvironment(copies)
        venv.reset(seed: 3)
        try venv.step([0, 0])
        try venv.step([0, 2])
        XCTAssertEqual(venv.truncated, [true, true])
        XCTAssertEqual(venv.terminated, [false, false])
        XCTAssertEqual(venv.finalObservation(of: 1)?.scalars[0], 2)
        XCTAssertEqual(venv.finishedEpisodes.map(\.withoutTiming),
                       [EpisodeRecord(index: 0, episodeReturn: 2, length: 2, truncated: true),
                        EpisodeRecord(index: 1, episodeReturn: 4, length: 2, truncated: true)])
    }

    func testRefusals() throws {
        let venv = try VectorEnvironment(makeCopies())
        XCTAssertThrowsError(try venv.step([0, 0, 0])) { error in
            guard case EnvironmentError.notReset = error else { return XCTFail("expected notReset, got \(error)") }
        }
        venv.reset(seed: 1)
        XCTAssertThrowsError(try venv.step([0, 3, 0])) { error in
            guard case EnvironmentError.invalidAction(_, 3, .discrete(3)) = error else {
                return XCTFail("expected invalidAction, got \(error)")
            }
        }
        XCTAssertEqual(venv.observation(of: 0).scalars[0], 0, "an invalid batch must not step any copy")
        XCTAssertThrowsError(try venv.step([0, 0]))
        XCTAssertThrowsError(try VectorEnvironment([CounterEnvironment(), CounterEnvironment(imageShaped: true)]))
        let shared = CounterEnvironment()
        XCTAssertThrowsError(try VectorEnvironment([shared, shared]))
        XCTAssertThrowsError(try VectorEnvironment([]))
    }

    func testBatchIsWrittenInPlace() throws {
        let venv = try VectorEnvironment(makeCopies())
        venv.reset(seed: 1)
        let before = venv.observations.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        let finalBefore = venv.finalObservations.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        for _ in 0..<10 { try venv.step([0, 1, 2]) }
        XCTAssertEqual(venv.observations.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }, before)
        XCTAssertEqual(venv.finalObservations.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }, finalBefore)
        // A value kept across a step keeps its contents (copy-on-write).
        let kept = venv.observations
        let keptScalars = kept.scalars
        try venv.step([0, 1, 2])
        XCTAssertEqual(kept.scalars, keptScalars)
        XCTAssertNotEqual(venv.observations.scalars, keptScalars)
    }

    /// Runs `steps` random batch steps and returns everything observable, step by step.
    func trace(_ venv: any VectorEnvironmentProtocol, steps: Int) throws -> [String] {
        var rng = RandomGenerator(seed: 77)
        var lines: [String] = []
        venv.reset(seed: 5)
        lines.append("\(venv.observations.scalars)")
        for _ in 0..<steps {
            try venv.step((0..<venv.count).map { _ in rng.nextInt(below: 3) })
            let finals = (0..<venv.count).map { venv.finalObservation(of: $0)?.scalars ?? [] }
            lines.append("\(venv.observations.scalars) \(venv.rewards) \(venv.terminated) \(venv.truncated) \(finals) \(venv.finishedEpisodes.map(\.withoutTiming))")
        }
        return lines
    }

    func testThreadedMatchesSync() throws {
        func copies() -> [any Environment] {
            (0..<7).map { _ in CounterEnvironment(randomLengths: true, rewardScale: 0.5) }
        }
        let sync = try trace(VectorEnvironment(copies()), steps: 300)
        XCTAssertGreaterThan(sync.filter { $0.contains("copy 6:") }.count, 10, "copy 6 should finish many episodes")
        for workers in [2, 3, 7, 16] {
            let threaded = try trace(ThreadedVectorEnvironment(copies(), workers: workers), steps: 300)
            XCTAssertEqual(threaded, sync, "\(workers) workers")
        }
    }

    /// Prints medians of sync vs threaded stepping when LATTICE_BENCH=1 (no timing assertions).
    func testBenchmarkThreadedVersusSync() throws {
        guard ProcessInfo.processInfo.environment["LATTICE_BENCH"] == "1" else {
            throw XCTSkip("set LATTICE_BENCH=1 to measure (use a release build)")
        }
        for work in [0, 1000, 3000, 20_000, 100_000] {
            func copies() -> [any Environment] { (0..<8).map { _ in CounterEnvironment(episodeLength: 50, work: work) } }
            for (name, venv) in [("sync", try VectorEnvironment(copies()) as any VectorEnvironmentProtocol),
                                 ("threaded", try ThreadedVectorEnvironment(copies(), workers: 2))] {
                venv.reset(seed: 0)
                let actions = [Int](repeating: 1, count: 8)
                var times: [Double] = []
                for _ in 0..<6 {
                    let start = DispatchTime.now().uptimeNanoseconds
                    for _ in 0..<2000 { try venv.step(actions) }
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 2000 / 1000)
                }
                let median = times.dropFirst().sorted()[2]
                print("bench vector work=\(work) \(name): \(median) µs per batch step (8 copies)")
            }
        }
    }
}
