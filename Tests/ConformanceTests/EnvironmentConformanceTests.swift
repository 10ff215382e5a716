import CoordConv
import Datasets
import GridWorld
import LatticeRL
import LatticeRuntime
import MinAtar
import StandardLayers
import Supervised
import XCTest

/// The registries as the CLI builds them: every plugin module of the package.
func allRegistries() throws -> Registries {
    try Registries(modules: [MinAtarPlugin.self, GridWorldPlugin.self, StandardLayersPlugin.self,
                             CoordConvPlugin.self, SupervisedPlugin.self, DatasetsPlugin.self])
}

/// The config each id is checked with: empty, except `GridWorld/Map-v0`, which needs a map.
func conformanceConfig(for id: String) throws -> ConfigNode {
    guard id == "GridWorld/Map-v0" else { return .emptyMapping }
    return try ConfigNode.parse(yaml: """
        map: |
          #######
          #>..K.#
          #.###D#
          #.L#..#
          #...#G#
          #######
        """)
}

/// Runs the `EnvironmentChecker` on every registered environment: the conformance check DESIGN.md asks for.
final class EnvironmentConformanceTests: XCTestCase {
    /// Every MinAtar and grid-world id is registered, once, by its plugin.
    func testEveryCatalogueIDIsRegistered() throws {
        let registries = try allRegistries()
        let expected = Set(MinAtarGames.ids + GridWorlds.ids)
        XCTAssertEqual(expected.count, 19, "10 MinAtar ids (5 games × v0, v1) and 9 grid-world ids")
        XCTAssertTrue(expected.isSubset(of: Set(registries.environments.ids)),
                      "missing: \(expected.subtracting(registries.environments.ids).sorted())")
        for entry in registries.environments.allEntries where expected.contains(entry.id.description) {
            XCTAssertFalse(entry.summary.isEmpty, "\(entry.id) has no summary for `lattice list`")
            XCTAssertTrue(entry.parameters.contains { $0.name == "renderScale" }, "\(entry.id) documents renderScale")
        }
        let minatarKeys = registries.environments.allEntries.first { $0.id.description == "MinAtar/Seaquest-v0" }?
            .parameters.map(\.name)
        XCTAssertEqual(minatarKeys, ["stickyActionProbability", "difficultyRamping", "maxEpisodeSteps", "renderScale"])
    }

    /// Registering a plugin twice is a duplicate-id error naming the id.
    func testRegisteringTwiceIsADuplicate() throws {
        XCTAssertThrowsError(try Registries(modules: [MinAtarPlugin.self, MinAtarPlugin.self])) { error in
            guard case .duplicateID(let kind, let id, _, _)? = error as? RegistryError else {
                return XCTFail("expected a duplicate-id error, got \(error)")
            }
            XCTAssertEqual(kind, "environment")
            XCTAssertEqual(id, MinAtarGames.ids[0])
        }
    }

    /// The checker passes on every registered environment id: spaces, observation bounds, determinism under
    /// a seed, refusal to step a finished episode, invalid actions refused, one frame size, and 10,000
    /// random steps without an error. Fails with every failure of every id listed.
    func testEveryRegisteredEnvironmentPassesTheChecker() throws {
        let registries = try allRegistries()
        let ids = registries.environments.ids
        XCTAssertGreaterThanOrEqual(ids.count, 19)
        var problems: [String] = []
        for id in ids {
            let config = try conformanceConfig(for: id)
            let report = EnvironmentChecker.run(
                makeEnvironment: { try registries.environments.make(id, config: config, registries: registries) },
                steps: 10_000, seed: 7)
            XCTAssertEqual(report.id, id)
            if !report.isPassing { problems.append(report.description) }
        }
        XCTAssertTrue(problems.isEmpty, "environments failing the checker:\n" + problems.joined(separator: "\n"))
    }

    /// The checker is not a rubber stamp: an environment that writes outside its bounds fails it.
    func testCheckerFailsABrokenEnvironment() {
        let failures = EnvironmentChecker.check(makeEnvironment: { OutOfBoundsEnvironment() }, steps: 100)
        XCTAssertTrue(failures.contains { $0.check == "observations" }, "failures: \(failures)")
    }
}

/// A deliberately broken environment: its observation (2.0) lies outside its box [0, 1].
final class OutOfBoundsEnvironment: Environment {
    let id = "Test/OutOfBounds-v0"
    let observationSpace = Space.box(shape: [2], low: 0, high: 1)
    let actionSpace = Space.discrete(2)
    private var steps = -1

    func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
        steps = 0
        observation[0] = 0
        observation[1] = 2
    }

    func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        guard steps >= 0 else { throw EnvironmentError.notReset(environment: id) }
        guard steps < 10 else { throw EnvironmentError.episodeFinished(environment: id) }
        guard actionSpace.contains(action) else {
            throw EnvironmentError.invalidAction(environment: id, action: action, space: actionSpace)
        }
        steps += 1
        observation[0] = 0
        observation[1] = 2
        return Transition(reward: 0, terminated: steps == 10, truncated: false)
    }

    func render() -> Frame? { Frame(width: 2, height: 2) }
}
