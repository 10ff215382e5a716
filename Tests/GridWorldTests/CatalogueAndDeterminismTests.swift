import GridWorld
import LatticeRL
import LatticeTensor
import XCTest

final class CatalogueAndDeterminismTests: XCTestCase {
    func testEveryIdBuildsWithSpacesThatMatchItsObservations() throws {
        let expected: [String: ([Int], Int)] = [
            "GridWorld/Empty-5x5-v0": ([20, 7, 7], 7), "GridWorld/Empty-8x8-v0": ([20, 7, 7], 7),
            "GridWorld/Empty-16x16-v0": ([20, 7, 7], 7), "GridWorld/FourRooms-v0": ([20, 7, 7], 7),
            "GridWorld/DoorKey-5x5-v0": ([20, 7, 7], 7), "GridWorld/DoorKey-8x8-v0": ([20, 7, 7], 7),
            "GridWorld/GoToTarget-8x8-v0": ([3, 64, 64], 4), "GridWorld/GoToTarget-16x16-v0": ([3, 128, 128], 4),
        ]
        for (id, (shape, actions)) in expected {
            XCTAssertTrue(GridWorlds.ids.contains(id))
            let env = try GridWorlds.make(id: id, options: GridWorldOptions())
            XCTAssertEqual(env.id, id)
            XCTAssertEqual(env.observationSpace.shape, shape, id)
            XCTAssertEqual(env.actionSpace, .discrete(actions), id)
            let obs = env.reset(seed: 1)
            XCTAssertEqual(obs.shape, shape)
            var rng = RandomGenerator(seed: 9)
            for _ in 0..<300 {
                let r = try env.step(rng.nextInt(below: actions))
                XCTAssertTrue(r.observation.scalars.allSatisfy { $0 == 0 || $0 == 1 || shape[0] == 3 })
                if r.terminated || r.truncated { _ = env.reset(seed: nil) }
            }
            XCTAssertNotNil(env.render())
        }
        let full = try GridWorlds.make(id: "GridWorld/FourRooms-v0", options: GridWorldOptions(observation: .full))
        XCTAssertEqual(full.observationSpace.shape, [24, 19, 19])
    }

    func testUnknownIdListsKnownIds() {
        XCTAssertThrowsError(try GridWorlds.make(id: "GridWorld/Emtpy-5x5-v0", options: GridWorldOptions())) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("GridWorld/Emtpy-5x5-v0"), text)
            for id in GridWorlds.ids { XCTAssertTrue(text.contains(id), text) }
        }
    }

    func testFourRoomsLayout() throws {
        let env = try FourRoomsGridWorld()
        XCTAssertEqual(env.maxSteps, 100)
        for seed in 0..<40 {
            _ = env.reset(seed: UInt64(seed))
            let s = env.snapshot
            XCTAssertEqual(s.width, 19)
            func open(_ x: Int, _ y: Int) -> Bool { s.cell(x: x, y: y) != .wall }
            // One gap in each of the four inner wall segments.
            XCTAssertEqual((1...8).filter { open(9, $0) }.count, 1)
            XCTAssertEqual((10...17).filter { open(9, $0) }.count, 1)
            XCTAssertEqual((1...8).filter { open($0, 9) }.count, 1)
            XCTAssertEqual((10...17).filter { open($0, 9) }.count, 1)
            XCTAssertFalse(open(9, 9)); XCTAssertFalse(open(9, 0)); XCTAssertFalse(open(0, 9))
            XCTAssertEqual(s.cells.filter { $0 == .goal }.count, 1)
            // Border 4·18, column 9 rows 1…17 (17), row 9 columns 1…17 without (9,9) (16), minus 4 gaps.
            XCTAssertEqual(s.cells.filter { $0 == .wall }.count, 72 + 17 + 16 - 4)
            XCTAssertNotEqual(s.cell(x: s.agentX, y: s.agentY), .wall)
            XCTAssertNotEqual(s.cell(x: s.agentX, y: s.agentY), .goal)
        }
    }

    /// Observations, rewards and end flags of `steps` random actions after `reset(seed:)`.
    func trace(_ id: String, seed: UInt64?, env existing: (any Environment)? = nil, steps: Int = 150) throws -> [[Float]] {
        let env = try existing ?? GridWorlds.make(id: id, options: GridWorldOptions(observation: .full))
        var out = [env.reset(seed: seed).scalars]
        var rng = RandomGenerator(seed: 42)
        let n = env.actionSpace.contains(6) ? 7 : 4
        for _ in 0..<steps {
            let r = try env.step(rng.nextInt(below: n))
            out.append(r.observation.scalars + [r.reward, r.terminated ? 1 : 0, r.truncated ? 1 : 0])
            if r.terminated || r.truncated { out.append(env.reset(seed: nil).scalars) }
        }
        return out
    }

    func testDeterminismUnderASeed() throws {
        for id in ["GridWorld/FourRooms-v0", "GridWorld/DoorKey-8x8-v0", "GridWorld/GoToTarget-8x8-v0"] {
            XCTAssertEqual(try trace(id, seed: 7), try trace(id, seed: 7), id)
            let differ = try (8..<13).contains { try trace(id, seed: UInt64($0), steps: 0) != trace(id, seed: 7, steps: 0) }
            XCTAssertTrue(differ, "\(id): other seeds give other layouts")
            // Before any seed the stream is seed 0's.
            XCTAssertEqual(try trace(id, seed: nil), try trace(id, seed: 0), id)
        }
    }

    func testResetWithoutSeedContinuesTheStream() throws {
        let a = try FourRoomsGridWorld(options: GridWorldOptions(observation: .full))
        let b = try FourRoomsGridWorld(options: GridWorldOptions(observation: .full))
        _ = a.reset(seed: 3); let a2 = a.reset(seed: nil).scalars; let a3 = a.reset(seed: nil).scalars
        _ = b.reset(seed: 3); let b2 = b.reset(seed: nil).scalars
        XCTAssertEqual(a2, b2)
        XCTAssertNotEqual(a2, a3)
        XCTAssertEqual(a.reset(seed: 3).scalars, b.reset(seed: 3).scalars)
    }

    func testCallerBufferIsWrittenInPlace() throws {
        let env = try EmptyGridWorld(size: 8)
        var buffer = [Float](repeating: 7, count: 2 * 980)
        buffer.withUnsafeMutableBufferPointer { p in
            env.reset(seed: 0, into: UnsafeMutableBufferPointer(rebasing: p[980...]))
        }
        XCTAssertTrue(buffer[..<980].allSatisfy { $0 == 7 }, "writes only its own row")
        XCTAssertEqual(Array(buffer[980...]), env.reset(seed: 0).scalars)
    }
}
