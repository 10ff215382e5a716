import LatticeRuntime
import XCTest
import LatticeTensor

/// Config errors must point at the exact line and column (1-based, as editors count).
final class ConfigTests: XCTestCase {
    private let registries = try! Registries(modules: [FakeLayers.self])

    /// Parses, validates the experiment and builds the trunk through the fake layer registry.
    private func load(_ yaml: String, overrides: [String] = []) throws -> ExperimentConfig {
        let config = try ExperimentConfig(yaml: yaml, file: "exp.yaml", overrides: overrides)
        var rng = RandomGenerator(seed: 0)
        for network in config.model.networks {
            _ = try ModelBuilder.build(network.layers, inputShape: [1, 3, 10, 10], registries: registries, rng: &rng)
        }
        return config
    }

    func testValidConfigParses() throws {
        let config = try load("""
            name: breakout-coordconv
            seed: 7
            environment: MinAtar/Breakout-v1
            trainer: {id: ppo, learningRate: 2.5e-4}
            budget: {steps: 1000}
            model:
              trunk:
                - conv2d: {filters: 16, kernel: 3}
                - relu
            logging: {everySteps: 50}
            """)
        XCTAssertEqual(config.name, "breakout-coordconv")
        XCTAssertEqual(config.seed, 7)
        XCTAssertEqual(config.environment?.id, "MinAtar/Breakout-v1")
        XCTAssertNil(config.dataset)
        XCTAssertEqual(config.trainer.id, "ppo")
        XCTAssertEqual(config.trainer.config.keys, ["learningRate"])
        XCTAssertEqual(try config.trainer.config.decode(Double.self, "learningRate"), 0.00025)
        XCTAssertEqual(config.budget, TrainingBudget(steps: 1000))
        XCTAssertEqual(config.logging.everySteps, 50)
        XCTAssertEqual(config.logging.keepLast, 3)
        let trunk = try XCTUnwrap(config.model["trunk"])
        XCTAssertEqual(trunk.map(\.id), ["conv2d", "relu"])
        XCTAssertEqual(try trunk[0].config.decode(Int.self, "filters"), 16)
        var rng = RandomGenerator(seed: 0)
        let built = try ModelBuilder.build(trunk, inputShape: [4, 3, 10, 10], registries: registries, rng: &rng)
        XCTAssertEqual(built.outputShape, [4, 16, 10, 10])
        XCTAssertEqual(built.layers.count, 2)
    }

    func testSyntaxErrorHasLineAndColumn() {
        // Line 2 "seed: 1: 2": the second ':' (column 8) starts a mapping where none may start.
        let error = configError { _ = try self.load("name: x\nseed: 1: 2\ntrainer: ppo\n") }
        XCTAssertEqual(error?.kind, .syntax)
        XCTAssertEqual(error?.location, SourceLocation(file: "exp.yaml", line: 2, column: 8))
        XCTAssertTrue(error?.description.hasPrefix("exp.yaml:2:8: error: invalid YAML") ?? false, "\(String(describing: error))")
    }

    func testUnclosedFlowMappingIsSyntaxError() {
        let error = configError { _ = try self.load("name: x\ntrainer: {id: ppo\nseed: 1\n") }
        XCTAssertEqual(error?.kind, .syntax)
        XCTAssertNotNil(error?.location)
    }

    func testUnknownTopLevelKey() {
        let yaml = """
            name: x
            seed: 1
            enviroment: MinAtar/Breakout-v1
            trainer: ppo
            """
        let error = configError { _ = try self.load(yaml) }
        XCTAssertEqual(error?.kind, .unknownKey("enviroment"))
        XCTAssertEqual(error?.location, SourceLocation(file: "exp.yaml", line: 3, column: 1))
        XCTAssertEqual(error?.path, "enviroment")
        XCTAssertTrue(error?.message.contains("did you mean 'environment'?") ?? false)
        XCTAssertTrue(error?.message.contains("valid keys: name, description, seed, environment, dataset, model") ?? false)
    }

    func testMisspelledKeyInFlowLayer() {
        // Line 6 is "    - conv2d: {filters: 16, kernal: 3}": 'kernal' starts at column 29.
        let yaml = """
            name: x
            environment: Grid-v0
            trainer: {id: ppo}
            model:
              trunk:
                - conv2d: {filters: 16, kernal: 3}
                - relu
            """
        let error = configError { _ = try self.load(yaml) }
        XCTAssertEqual(error?.kind, .unknownKey("kernal"))
        XCTAssertEqual(error?.location, SourceLocation(file: "exp.yaml", line: 6, column: 29))
        XCTAssertEqual(error?.path, "model.trunk.0.conv2d.kernal")
        XCTAssertEqual(error?.message, "unknown key 'kernal'; did you mean 'kernel'? valid keys: filters, kernel, stride")
    }

    func testMisspelledKeyInBlockLayer() {
        // Line 8 is "        strde: 2": the key starts at column 9.
        let yaml = """
            name: x
            environment: Grid-v0
            trainer: {id: ppo}
            model:
              trunk:
                - conv2d:
                    filters: 16
                    strde: 2
            """
        let error = configError { _ = try self.load(yaml) }
        XCTAssertEqual(error?.kind, .unknownKey("strde"))
        XCTAssertEqual(error?.location, SourceLocation(file: "exp.yaml", line: 8, column: 9))
        XCTAssertEqual(error?.path, "model.trunk.0.conv2d.strde")
    }

    func testWrongTypeInLayer() {
        // Line 6 "    - conv2d: {filters: sixteen}": the value starts at column 25.
        let yaml = """
            name: x
            environment: Grid-v0
            trainer: {id: ppo}
            model:
              trunk:
                - conv2d: {filters: sixteen}
            """
        let error = configError { _ = try self.load(yaml) }
        XCTAssertEqual(error?.kind, .wrongType(expected: "int", found: "string 'sixteen'"))
        XCTAssertEqual(error?.location, SourceLocation(file: "exp.yaml", line: 6, column: 25))
        XCTAssertEqual(error?.description,
                       "exp.yaml:6:25: error: at 'model.trunk.0.conv2d.filters': expected int, found string 'sixteen'")
    }

    func testWrongTypeAtTopLevel() {
        let error = configError { _ = try self.load("name: x\nseed: -3\nenvironment: g\ntrainer: t\n") }
        XCTAssertEqual(error?.kind, .wrongType(expected: "non-negative int", found: "int -3"))
        XCTAssertEqual(error?.location, SourceLocation(file: "exp.yaml", line: 2, column: 7))
    }

    func testMissingRequiredKeys() {
        let noTrainer = configError { _ = try self.load("name: x\nenvironment: g\n") }
        XCTAssertEqual(noTrainer?.kind, .missingKey("trainer"))
        let noName = configError { _ = try self.load("environment: g\ntrainer: t\n") }
        XCTAssertEqual(noName?.kind, .missingKey("name"))
        let noSource = configError { _ = try self.load("name: x\ntrainer: t\n") }
        XCTAssertEqual(noSource?.kind, .missingKey("environment"))
        let noTrainerID = configError { _ = try self.load("name: x\nenvironment: g\ntrainer: {gamma: 0.9}\n") }
        XCTAssertEqual(noTrainerID?.kind, .missingKey("id"))
        XCTAssertEqual(noTrainerID?.location?.line, 3)
        XCTAssertEqual(noTrainerID?.location?.column, 10)
    }

    func testMisindentedLayerParametersExplainTheFix() {
        // "    - conv2d:\n      filters: 16" makes a two-key mapping starting at line 6, column 7.
        let yaml = """
            name: x
            environment: g
            trainer: t
            model:
              trunk:
                - conv2d:
                  filters: 16
            """
        let error = configError { _ = try self.load(yaml) }
        XCTAssertEqual(error?.kind, .invalidValue)
        XCTAssertEqual(error?.location, SourceLocation(file: "exp.yaml", line: 6, column: 7))
        XCTAssertTrue(error?.message.contains("indent the parameters under the layer id") ?? false)
    }

    func testUnknownLayerIDPointsAtTheEntry() {
        let yaml = "name: x\nenvironment: g\ntrainer: t\nmodel:\n  - cordconv2d: {filters: 8}\n"
        let error = configError { _ = try self.load(yaml) }
        XCTAssertEqual(error?.location, SourceLocation(file: "exp.yaml", line: 5, column: 5))
        XCTAssertTrue(error?.message.contains("did you mean 'coordconv2d'?") ?? false)
    }

    func testUnknownNetworkName() {
        let yaml = "name: x\nenvironment: g\ntrainer: t\nmodel:\n  trunc: [relu]\n"
        let error = configError { _ = try self.load(yaml) }
        XCTAssertEqual(error?.kind, .unknownKey("trunc"))
        XCTAssertEqual(error?.location?.line, 5)
        XCTAssertEqual(error?.location?.column, 3)
        XCTAssertTrue(error?.message.contains("did you mean 'trunk'?") ?? false)
    }

    func testDuplicateKeyIsAnError() {
        let error = configError { _ = try ConfigNode.parse(yaml: "a: 1\nb: 2\na: 3\n", file: "d.yaml") }
        XCTAssertEqual(error?.kind, .syntax)
    }

    func testScalarTypes() throws {
        let node = try ConfigNode.parse(yaml: "a: 1\nb: 1.5\nc: true\nd: ~\ne: '3'\nf: hello\ng: 1e-3\nh: [1, 2]\n")
        XCTAssertEqual(node["a"]?.scalar, .int(1))
        XCTAssertEqual(node["b"]?.scalar, .float(1.5))
        XCTAssertEqual(node["c"]?.scalar, .bool(true))
        XCTAssertEqual(node["d"]?.scalar, .null)
        XCTAssertEqual(node["e"]?.scalar, .string("3"))
        XCTAssertEqual(node["f"]?.scalar, .string("hello"))
        XCTAssertEqual(node["g"]?.scalar, .float(0.001))
        XCTAssertEqual(try node.decode([Int].self, "h"), [1, 2])
        XCTAssertEqual(try node.decode(Double.self, "a"), 1.0)  // ints read as floats
        XCTAssertEqual(try node.decode(Int.self, "missing", default: 4), 4)
        XCTAssertEqual(try node.decode(Int.self, "d", default: 5), 5)  // null means "use the default"
        XCTAssertEqual(node["h"]?.elements?[1].pathText, "h.1")
    }
}

final class ConfigYAMLFeatureTests: XCTestCase {
    func testAliasesAndMergeKeys() throws {
        let yaml = """
            base: &base {learningRate: 0.1, gamma: 0.99}
            a:
              <<: *base
              gamma: 0.9
            b:
              gamma: 0.5
              <<: *base
            c: *base
            """
        let node = try ConfigNode.parse(yaml: yaml)
        XCTAssertEqual(node["a"], try ConfigNode.parse(yaml: "{learningRate: 0.1, gamma: 0.9}"))
        XCTAssertEqual(node["b"], try ConfigNode.parse(yaml: "{gamma: 0.5, learningRate: 0.1}"))
        XCTAssertEqual(node["c"], node["base"])
        XCTAssertEqual(node["a"]?["learningRate"]?.pathText, "a.learningRate")
    }

    func testTabIndentationExplainsTheFix() {
        let error = configError { _ = try ConfigNode.parse(yaml: "a:\n\t- b\n", file: "t.yaml") }
        XCTAssertEqual(error?.location, SourceLocation(file: "t.yaml", line: 2, column: 1))
        XCTAssertTrue(error?.message.hasSuffix("YAML does not allow tabs for indentation: use spaces") ?? false)
    }

    func testOverrideLocationDescription() {
        XCTAssertEqual(SourceLocation(file: "override 'seed=abc'", line: 1, column: 6).description, "override 'seed=abc' column 6")
        XCTAssertEqual(SourceLocation(file: "exp.yaml", line: 3, column: 4).description, "exp.yaml:3:4")
    }
}
