import GridWorld
import LatticeRL
import LatticeRuntime
import MinAtar
import XCTest

/// Environment options read from config sections: defaults, values, and errors with line and column.
final class EnvironmentConfigTests: XCTestCase {
    private func make(_ id: String, _ yaml: String) throws -> any Environment {
        let registries = try allRegistries()
        return try registries.environments.make(id, config: try ConfigNode.parse(yaml: yaml, file: "env.yaml"),
                                                registries: registries)
    }

    /// The `ConfigError` thrown by building `id` from `yaml`.
    private func configError(_ id: String, _ yaml: String, file: StaticString = #filePath, line: UInt = #line) -> ConfigError? {
        do {
            _ = try make(id, yaml)
            XCTFail("expected a config error for \(id) with \(yaml)", file: file, line: line)
        } catch let error as ConfigError {
            return error
        } catch {
            XCTFail("expected a ConfigError, got \(type(of: error)): \(error)", file: file, line: line)
        }
        return nil
    }

    func testUnknownMinAtarKeyIsAnErrorAtItsLineAndColumn() {
        let error = configError("MinAtar/Breakout-v1", "stickyActionProbability: 0.0\n  \nrenderScal: 8\n")
        XCTAssertEqual(error?.kind, .unknownKey("renderScal"))
        XCTAssertEqual(error?.location, SourceLocation(file: "env.yaml", line: 3, column: 1))
        XCTAssertTrue(error?.message.contains("did you mean 'renderScale'?") ?? false, error?.message ?? "")
        XCTAssertTrue(error?.description.hasPrefix("env.yaml:3:1: error:") ?? false, error?.description ?? "")
    }

    func testWrongTypeIsAnErrorAtTheValue() {
        // "difficultyRamping: " is 19 characters, so the value starts at column 20.
        let error = configError("MinAtar/Asterix-v0", "difficultyRamping: 3")
        XCTAssertEqual(error?.kind, .wrongType(expected: "bool (true/false)", found: "int 3"))
        XCTAssertEqual(error?.location, SourceLocation(file: "env.yaml", line: 1, column: 20))
        XCTAssertEqual(error?.path, "difficultyRamping")
    }

    func testOutOfRangeValuesAreErrorsAtTheValue() {
        // "stickyActionProbability: " is 25 characters: the value is at column 26 of line 2.
        let sticky = configError("MinAtar/Freeway-v1", "renderScale: 4\nstickyActionProbability: 1.5")
        XCTAssertEqual(sticky?.kind, .invalidValue)
        XCTAssertEqual(sticky?.location, SourceLocation(file: "env.yaml", line: 2, column: 26))
        XCTAssertEqual(configError("MinAtar/Freeway-v1", "maxEpisodeSteps: 0")?.kind, .invalidValue)
        XCTAssertEqual(configError("GridWorld/Empty-5x5-v0", "renderScale: 0")?.kind, .invalidValue)
        XCTAssertEqual(configError("GridWorld/GoToTarget-8x8-v0", "size: 3")?.kind, .invalidValue)
    }

    func testGridWorldKeysBelongToTheirEnvironments() {
        // `size` and `heldOutQuadrant` are GoToTarget's, `map` is Map-v0's: elsewhere they are unknown keys.
        let size = configError("GridWorld/Empty-8x8-v0", "observation: full\nsize: 10")
        XCTAssertEqual(size?.kind, .unknownKey("size"))
        XCTAssertEqual(size?.location?.line, 2)
        XCTAssertEqual(configError("GridWorld/DoorKey-5x5-v0", "map: '#'")?.kind, .unknownKey("map"))
        // "observation: " is 13 characters: the value is at column 14.
        let mode = configError("GridWorld/FourRooms-v0", "observation: sideways")
        XCTAssertEqual(mode?.kind, .invalidValue)
        XCTAssertEqual(mode?.location, SourceLocation(file: "env.yaml", line: 1, column: 14))
        XCTAssertTrue(mode?.message.contains("egocentric, full, pixels") ?? false, mode?.message ?? "")
        XCTAssertEqual(configError("GridWorld/GoToTarget-16x16-v0", "heldOutQuadrant: north")?.kind, .invalidValue)
        XCTAssertEqual(configError("GridWorld/Map-v0", "")?.kind, .missingKey("map"))
        XCTAssertEqual(configError("GridWorld/Map-v0", "map: 5")?.kind, .wrongType(expected: "string", found: "int 5"))
        // A map that does not parse (rows of 3 and 4 cells) is reported at the map's value.
        let ragged = configError("GridWorld/Map-v0", "maxSteps: 9\nmap: \"###\\n#>G#\\n###\"")
        XCTAssertEqual(ragged?.kind, .invalidValue)
        XCTAssertEqual(ragged?.location?.line, 2)
    }

    func testOptionsReachTheEnvironment() throws {
        // Freeway never ends early: with a cap of 5, steps 1–4 run on and step 5 is truncated, not terminated.
        let freeway = try make("MinAtar/Freeway-v1", "stickyActionProbability: 0\nmaxEpisodeSteps: 5")
        _ = freeway.reset(seed: 3)
        for step in 1...5 {
            let result = try freeway.step(0)
            XCTAssertEqual(result.truncated, step == 5, "step \(step)")
            XCTAssertFalse(result.terminated, "step \(step)")
        }
        // renderScale 4: a 10×10 board drawn 40×40.
        let breakout = try make("MinAtar/Breakout-v0", "renderScale: 4")
        _ = breakout.reset(seed: 1)
        XCTAssertEqual(breakout.render().map { [$0.width, $0.height] }, [40, 40])
        XCTAssertEqual(breakout.actionSpace, .discrete(6))
        // Grid-world observation modes (spec): full is [24, H, W], pixels [3, 8H, 8W], egocentric [20, 7, 7].
        XCTAssertEqual(try make("GridWorld/Empty-5x5-v0", "observation: full").observationSpace.shape, [24, 5, 5])
        XCTAssertEqual(try make("GridWorld/Empty-5x5-v0", "observation: pixels").observationSpace.shape, [3, 40, 40])
        XCTAssertEqual(try make("GridWorld/Empty-5x5-v0", "").observationSpace.shape, [20, 7, 7])
        // GoToTarget's size option overrides the id's size; pixels are its default.
        XCTAssertEqual(try make("GridWorld/GoToTarget-8x8-v0", "size: 6").observationSpace.shape, [3, 48, 48])
        // A null value means the default.
        XCTAssertEqual(try make("GridWorld/Empty-8x8-v0", "observation: null").observationSpace.shape, [20, 7, 7])
    }

    func testBareIDResolvesToTheNewestVersion() throws {
        let registries = try allRegistries()
        let resolution = try registries.environments.resolve("MinAtar/Breakout")
        XCTAssertEqual(resolution.resolvedID, "MinAtar/Breakout-v1")
        XCTAssertNotNil(resolution.note)
        // v1 is Breakout's minimal action set: no-op, left, right.
        XCTAssertEqual(try registries.environments.make("MinAtar/Breakout", registries: registries).actionSpace,
                       .discrete(3))
        XCTAssertEqual(try registries.environments.resolve("GridWorld/FourRooms").resolvedID, "GridWorld/FourRooms-v0")
        XCTAssertEqual(try registries.environments.resolve("MinAtar/Seaquest-v0").resolvedID, "MinAtar/Seaquest-v0")
    }

    func testUnknownIDListsTheKnownOnes() throws {
        let registries = try allRegistries()
        XCTAssertThrowsError(try registries.environments.resolve("MinAtar/Breakot-v1")) { error in
            guard case .unknownID(_, _, let known, let suggestion)? = error as? RegistryError else {
                return XCTFail("expected unknownID, got \(error)")
            }
            XCTAssertEqual(suggestion, "MinAtar/Breakout-v1")
            XCTAssertTrue(Set(MinAtarGames.ids + GridWorlds.ids).isSubset(of: known))
        }
    }
}
