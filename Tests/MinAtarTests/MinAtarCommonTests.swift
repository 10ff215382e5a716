import LatticeRL
import LatticeTensor
import XCTest
@testable import MinAtar

final class MinAtarCommonTests: XCTestCase {
    func testFactoryIdsSpacesAndUnknownId() throws {
        XCTAssertEqual(MinAtarGames.ids.count, 10)
        let channels = ["Asterix": 4, "Breakout": 4, "Freeway": 7, "Seaquest": 10, "SpaceInvaders": 6]
        let minimal = ["Asterix": 5, "Breakout": 3, "Freeway": 3, "Seaquest": 6, "SpaceInvaders": 4]
        for id in MinAtarGames.ids {
            let env = try MinAtarGames.make(id: id, options: MinAtarOptions())
            XCTAssertEqual(env.id, id)
            let name = String(id.dropFirst(8).dropLast(3))
            XCTAssertEqual(env.observationSpace, .box(shape: [channels[name]!, 10, 10], low: 0, high: 1))
            XCTAssertEqual(env.actionSpace, .discrete(id.hasSuffix("-v0") ? 6 : minimal[name]!))
            let obs = env.reset(seed: 1).scalars
            XCTAssertTrue(obs.allSatisfy { $0 == 0 || $0 == 1 })
        }
        XCTAssertThrowsError(try MinAtarGames.make(id: "MinAtar/Breakout-v2", options: MinAtarOptions())) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("did you mean 'MinAtar/Breakout-v"), text)
            XCTAssertTrue(text.contains("MinAtar/SpaceInvaders-v1"), text)
        }
        XCTAssertThrowsError(try MinAtarGames.make(id: "MinAtar/Breakout-v1",
                                                   options: MinAtarOptions(stickyActionProbability: 1.5)))
    }

    func testStickyProbabilityOneRepeatsLastActionAcrossReset() throws {
        let env = try Breakout(minimalActionSet: false, options: MinAtarOptions(stickyActionProbability: 1))
        _ = env.reset(seed: 0)
        env.game.ballX = 5; env.game.ballY = 5; env.game.ballDirection = 0
        try take(env, 3)  // Sticks to the initial last action, no-op.
        XCTAssertEqual(env.game.paddleX, 4)
        XCTAssertEqual(env.core.lastAction, 0)
        // As if the previous episode ended on "right": reset keeps it and it sticks.
        env.core.lastAction = 3
        _ = env.reset(seed: 0)
        XCTAssertEqual(env.core.lastAction, 3)
        env.game.ballX = 5; env.game.ballY = 5; env.game.ballDirection = 0
        try take(env, 1)
        XCTAssertEqual(env.game.paddleX, 5, "right executed instead of left")
    }

    func testStickyFrequencyNearProbability() throws {
        let env = try Asterix(minimalActionSet: false, options: MinAtarOptions(stickyActionProbability: 0.25))
        _ = env.reset(seed: 9)
        var sticks = 0
        let n = 4000
        for i in 0..<n {
            let action = i % 2 == 0 ? 0 : 5  // Both harmless; the executed one tells whether it stuck.
            if try env.core.executedAction(for: action) != action { sticks += 1 }
        }
        // Alternating requests: a stick shows unless the previous step stuck too (then the stuck action
        // equals the request). Visible-state share 1/(1+p), so visible sticks ≈ n·p/(1+p) = 800 (sd ≈ 25).
        XCTAssertEqual(Double(sticks), 800, accuracy: 100)
    }

    func testV1ActionMapping() throws {
        let sets: [(Environment, [Int])] = [
            (try Asterix(options: exactOptions), [0, 1, 2, 3, 4]),
            (try Breakout(options: exactOptions), [0, 1, 3]),
            (try Freeway(options: exactOptions), [0, 2, 4]),
            (try Seaquest(options: exactOptions), [0, 1, 2, 3, 4, 5]),
            (try SpaceInvaders(options: exactOptions), [0, 1, 3, 5]),
        ]
        func lastAction(_ env: Environment) -> Int {
            switch env {
            case let e as Asterix: return e.core.lastAction
            case let e as Breakout: return e.core.lastAction
            case let e as Freeway: return e.core.lastAction
            case let e as Seaquest: return e.core.lastAction
            case let e as SpaceInvaders: return e.core.lastAction
            default: return -1
            }
        }
        for (env, set) in sets {
            for (i, full) in set.enumerated() {
                _ = env.reset(seed: 0)
                try take(env, i)
                XCTAssertEqual(lastAction(env), full, "\(env.id) action \(i)")
            }
        }
    }

    func testSameSeedSameTrajectory() throws {
        for id in MinAtarGames.ids where id.hasSuffix("-v0") {
            func trajectory(seed: UInt64) throws -> (Float, [Float], Int) {
                let env = try MinAtarGames.make(id: id, options: MinAtarOptions())
                var actions = RandomGenerator(seed: 77)
                var obs = env.reset(seed: seed).scalars
                var total: Float = 0
                var checksum = [Float](repeating: 0, count: obs.count)
                var episodes = 0
                for _ in 0..<1000 {
                    let (t, o) = try take(env, actions.nextInt(below: 6))
                    total += t.reward
                    obs = o
                    for k in 0..<o.count { checksum[k] += o[k] }
                    if t.isDone { obs = env.reset(seed: nil).scalars; episodes += 1 }
                }
                return (total, checksum, episodes)
            }
            let a = try trajectory(seed: 123), b = try trajectory(seed: 123)
            XCTAssertEqual(a.0, b.0, id)
            XCTAssertEqual(a.1, b.1, id)
            XCTAssertEqual(a.2, b.2, id)
            let c = try trajectory(seed: 124)
            XCTAssertNotEqual(a.1, c.1, "\(id): another seed gives another trajectory")
        }
    }

    func testErrors() throws {
        let env = try Breakout(options: exactOptions)
        XCTAssertThrowsError(try take(env, 0)) { XCTAssertEqual($0 as? EnvironmentError, .notReset(environment: env.id)) }
        _ = env.reset(seed: 0)
        for bad in [-1, 3] {
            XCTAssertThrowsError(try take(env, bad)) {
                XCTAssertEqual($0 as? EnvironmentError,
                               .invalidAction(environment: "MinAtar/Breakout-v1", action: bad, space: .discrete(3)))
            }
        }
        env.game.ballX = 1; env.game.ballY = 8; env.game.ballDirection = 2
        let (t, _) = try take(env, 0)
        XCTAssertTrue(t.terminated)
        XCTAssertThrowsError(try take(env, 0)) {
            XCTAssertEqual($0 as? EnvironmentError, .episodeFinished(environment: "MinAtar/Breakout-v1"))
        }
        _ = env.reset(seed: nil)
        XCTAssertNoThrow(try take(env, 0))
    }

    func testMaxEpisodeStepsTruncates() throws {
        let env = try Freeway(options: MinAtarOptions(stickyActionProbability: 0, maxEpisodeSteps: 5))
        _ = env.reset(seed: 0)
        for _ in 1...4 { XCTAssertFalse(try take(env, 0).0.isDone) }
        let (t, _) = try take(env, 0)
        XCTAssertTrue(t.truncated)
        XCTAssertFalse(t.terminated)
        XCTAssertThrowsError(try take(env, 0))
        _ = env.reset(seed: nil)
        XCTAssertFalse(try take(env, 0).0.isDone, "the count restarts at reset")
    }

    func testRenderFrameSizeAndColours() throws {
        let env = try Breakout(options: exactOptions)
        _ = env.reset(seed: 0)
        let frame = try XCTUnwrap(env.render())
        XCTAssertEqual([frame.width, frame.height], [160, 160])
        // Paddle (channel 0 of 4) at row 9, column 4: cubehelix(λ = 1/5) ≈ (0.086, 0.238, 0.306) → (22, 61, 78).
        let paddle = frame.pixel(x: 4 * 16 + 8, y: 9 * 16 + 8)
        XCTAssertEqual(Double(paddle.0), 22, accuracy: 1)
        XCTAssertEqual(Double(paddle.1), 61, accuracy: 1)
        XCTAssertEqual(Double(paddle.2), 78, accuracy: 1)
        // Brick (channel 3) at row 1: cubehelix(λ = 4/5) ≈ (0.759, 0.792, 0.954) → (194, 202, 243).
        let brick = frame.pixel(x: 0 * 16 + 3, y: 1 * 16 + 15)
        XCTAssertEqual(Double(brick.0), 194, accuracy: 1)
        XCTAssertEqual(Double(brick.1), 202, accuracy: 1)
        XCTAssertEqual(Double(brick.2), 243, accuracy: 1)
        XCTAssertTrue(frame.pixel(x: 5 * 16, y: 6 * 16) == (0, 0, 0), "empty cell is black")
        let small = try Seaquest(options: MinAtarOptions(renderScale: 4))
        _ = small.reset(seed: 0)
        let f = try XCTUnwrap(small.render())
        XCTAssertEqual([f.width, f.height], [40, 40])
        let colours = MinAtarPalette.colors(channels: 10)
        XCTAssertEqual(Set(colours.map { "\($0)" }).count, 10, "one distinct colour per channel")
    }
}
