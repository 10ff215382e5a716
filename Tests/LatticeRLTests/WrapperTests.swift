import XCTest
import LatticeRL
import LatticeTensor

final class WrapperTests: XCTestCase {
    func testTimeLimitTruncatesAndRefusesFurtherSteps() throws {
        let env = try TimeLimit(CounterEnvironment(episodeLength: 100), maxSteps: 3)
        XCTAssertThrowsError(try env.step(0)) { XCTAssertEqual($0 as? EnvironmentError, .notReset(environment: "Test/Counter-v0")) }
        _ = env.reset(seed: 1)
        for _ in 0..<2 { XCTAssertFalse(try env.step(0).truncated) }
        let last = try env.step(0)
        XCTAssertTrue(last.truncated)
        XCTAssertFalse(last.terminated)
        XCTAssertEqual(env.elapsedSteps, 3)
        XCTAssertThrowsError(try env.step(0)) { XCTAssertEqual($0 as? EnvironmentError, .episodeFinished(environment: "Test/Counter-v0")) }
        _ = env.reset(seed: nil)
        XCTAssertEqual(env.elapsedSteps, 0)
        XCTAssertFalse(try env.step(0).truncated)

        // Termination on the limit step: both flags.
        let both = try TimeLimit(CounterEnvironment(episodeLength: 2), maxSteps: 2)
        _ = both.reset(seed: 1)
        _ = try both.step(0)
        let end = try both.step(0)
        XCTAssertTrue(end.terminated && end.truncated)
        XCTAssertThrowsError(try TimeLimit(CounterEnvironment(), maxSteps: 0))
    }

    func testEpisodeStatistics() throws {
        let env = EpisodeStatistics(CounterEnvironment(episodeLength: 3), historyLength: 2)
        _ = env.reset(seed: 1)
        XCTAssertNil(env.lastEpisode)
        _ = try env.step(0); _ = try env.step(1)
        XCTAssertEqual(env.runningReturn, 3)
        XCTAssertEqual(env.runningLength, 2)
        _ = try env.step(2)  // 1 + 2 + 3
        XCTAssertEqual(env.lastEpisode?.withoutTiming, EpisodeRecord(episodeReturn: 6, length: 3))
        XCTAssertGreaterThanOrEqual(env.lastEpisode?.duration ?? -1, 0)
        for a in [2, 2] {  // episodes of return 9, 9
            _ = env.reset(seed: nil)
            for _ in 0..<3 { _ = try env.step(a) }
        }
        XCTAssertEqual(env.finishedEpisodeCount, 3)
        XCTAssertEqual(env.recentEpisodes.map(\.episodeReturn), [9, 9], "history keeps the last 2")
        XCTAssertEqual(env.meanRecentReturn, 9)
    }

    func testFrameStackStacksAlongChannelsOldestFirst() throws {
        let env = try FrameStack(CounterEnvironment(episodeLength: 10, imageShaped: true), k: 3)
        XCTAssertEqual(env.observationSpace, .box(shape: [9, 1, 1], low: 0, high: 100_000))
        let o0 = env.reset(seed: 4)
        let v = o0.scalars[2]
        XCTAssertEqual(o0.shape, [9, 1, 1])
        XCTAssertEqual(o0.scalars, [0, 0, v, 0, 0, v, 0, 0, v], "reset repeats the first observation")
        XCTAssertEqual(try env.step(0).observation.scalars, [0, 0, v, 0, 0, v, 1, 0, v])
        XCTAssertEqual(try env.step(0).observation.scalars, [0, 0, v, 1, 0, v, 2, 0, v])
        XCTAssertEqual(try env.step(0).observation.scalars, [1, 0, v, 2, 0, v, 3, 0, v])
        XCTAssertThrowsError(try env.step(7))
        XCTAssertEqual(try env.step(0).observation.scalars, [2, 0, v, 3, 0, v, 4, 0, v],
                       "a refused step leaves the stack unchanged")
        let flat = try FrameStack(CounterEnvironment(), k: 2)
        XCTAssertEqual(flat.observationSpace.shape, [6])
    }

    func testStickyActionsRepeatThePreviousAction() throws {
        // Reward (a + 1) reveals the executed action.
        let never = try StickyActions(CounterEnvironment(episodeLength: 1000), probability: 0, seed: 1)
        _ = never.reset(seed: 1)
        for a in [0, 1, 2, 0] { XCTAssertEqual(try never.step(a).reward, Float(a + 1)) }

        let always = try StickyActions(CounterEnvironment(episodeLength: 1000), probability: 1, seed: 1)
        _ = always.reset(seed: 1)
        XCTAssertEqual(try always.step(2).reward, 3, "no previous action right after reset")
        for a in [0, 1, 0] { XCTAssertEqual(try always.step(a).reward, 3) }
        XCTAssertThrowsError(try always.step(3)) {
            guard case EnvironmentError.invalidAction = $0 else { return XCTFail("\($0)") }
        }

        func repeats(seed: UInt64) throws -> [Bool] {
            let env = try StickyActions(CounterEnvironment(episodeLength: 10_000), probability: 0.25, seed: 99)
            _ = env.reset(seed: seed)
            var out: [Bool] = []
            for i in 0..<4000 {
                _ = try env.step(i % 3)
                out.append(env.lastStepRepeated)
            }
            return out
        }
        let a = try repeats(seed: 8), b = try repeats(seed: 8), c = try repeats(seed: 9)
        XCTAssertEqual(a, b, "same reset seed, same sticky draws")
        XCTAssertNotEqual(a, c)
        let rate = Double(a.filter { $0 }.count) / Double(a.count - 1)
        XCTAssertEqual(rate, 0.25, accuracy: 0.03, "4000 Bernoulli(0.25) draws: σ ≈ 0.007")
        XCTAssertThrowsError(try StickyActions(CounterEnvironment(), probability: 1.5))
    }

    func testClipReward() throws {
        let sign = try ClipReward(CounterEnvironment(episodeLength: 10, rewardScale: -2.5))
        _ = sign.reset(seed: 0)
        for a in 0..<3 { XCTAssertEqual(try sign.step(a).reward, -1) }
        let clip = try ClipReward(CounterEnvironment(episodeLength: 10, rewardScale: -2.5), mode: .clip(low: -3, high: 3))
        _ = clip.reset(seed: 0)
        XCTAssertEqual(try [0, 1, 2].map { try clip.step($0).reward }, [-2.5, -3, -3])
        let zero = try ClipReward(CounterEnvironment(episodeLength: 10, rewardScale: 0))
        _ = zero.reset(seed: 0)
        XCTAssertEqual(try zero.step(1).reward, 0)
        XCTAssertThrowsError(try ClipReward(CounterEnvironment(), mode: .clip(low: 1, high: 0)))
    }

    func testRecordEpisodeWritesDecodableGIFs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lattice-record-\(UInt64.random(in: 0..<UInt64.max))")
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = try RecordEpisode(CounterEnvironment(episodeLength: 3), directory: dir, every: 2, delay: 7, scale: 2)
        for _ in 0..<3 {
            _ = env.reset(seed: nil)
            for _ in 0..<3 { _ = try env.step(0) }
        }
        try env.finish()
        XCTAssertEqual(env.writtenFiles.map(\.lastPathComponent), ["episode-0.gif", "episode-2.gif"])
        let gif = try TestGIFDecoder.decode([UInt8](Data(contentsOf: env.writtenFiles[1])))
        XCTAssertEqual(gif.width, 8)
        XCTAssertEqual(gif.height, 4)
        XCTAssertEqual(gif.delays, [7, 7, 7, 7])
        XCTAssertEqual(gif.frames.count, 4, "reset frame + 3 steps")
        // Frame after step 2 of episode 2: red at (2, 0), green at (2, 1), scaled ×2.
        let f = gif.frames[2]
        func px(_ x: Int, _ y: Int) -> [UInt8] { Array(f[(3 * (y * 8 + x))..<(3 * (y * 8 + x) + 3)]) }
        XCTAssertEqual(px(4, 0), [255, 0, 0]); XCTAssertEqual(px(5, 1), [255, 0, 0])
        XCTAssertEqual(px(4, 2), [0, 255, 0]); XCTAssertEqual(px(5, 3), [0, 255, 0])
        XCTAssertEqual(px(0, 0), [0, 0, 0])
        XCTAssertEqual(f.filter { $0 != 0 }.count, 8, "4 red and 4 green pixels")
    }
}
