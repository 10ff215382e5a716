import LatticeRuntime
import XCTest

final class OverrideTests: XCTestCase {
    private let base = """
        name: base
        seed: 1
        environment: GridWorld/Empty-v0
        trainer: {id: ppo, learningRate: 0.00025}
        model:
          trunk:
            - conv2d: {filters: 16, kernel: 3}
            - relu
        """

    private func apply(_ overrides: String...) throws -> ConfigNode {
        try ConfigNode.parse(yaml: base, file: "base.yaml").applying(overrides: overrides)
    }

    func testSetScalar() throws {
        let node = try apply("trainer.learningRate=1e-3", "seed=42", "name='007'")
        XCTAssertEqual(node["trainer"]?["learningRate"]?.scalar, .float(0.001))
        XCTAssertEqual(node["seed"]?.scalar, .int(42))
        XCTAssertEqual(node["name"]?.scalar, .string("007"))
        XCTAssertEqual(node.keys, ["name", "seed", "environment", "trainer", "model"])  // order kept
    }

    func testIndexSwapKeepsParameters() throws {
        let node = try apply("model.trunk.0=coordconv2d")
        let entry = try XCTUnwrap(node["model"]?["trunk"]?.elements?[0])
        XCTAssertEqual(entry.keys, ["coordconv2d"])
        XCTAssertEqual(entry["coordconv2d"], try ConfigNode.parse(yaml: "{filters: 16, kernel: 3}"))
        let spec = try LayerSpec(node: entry)
        XCTAssertEqual(spec.id, "coordconv2d")
        XCTAssertEqual(try spec.config.decode(Int.self, "filters"), 16)
    }

    func testIndexSetOnBareEntryAndNestedParameter() throws {
        let node = try apply("model.trunk.1=tanh", "model.trunk.0.conv2d.filters=32")
        let trunk = try XCTUnwrap(node["model"]?["trunk"])
        XCTAssertEqual(trunk.elements?[1].scalar, .string("tanh"))
        XCTAssertEqual(trunk.elements?[0]["conv2d"]?["filters"]?.scalar, .int(32))
        XCTAssertEqual(trunk.elements?[0]["conv2d"]?["kernel"]?.scalar, .int(3))
    }

    func testReplaceWholeEntryWithMapping() throws {
        let node = try apply("model.trunk.1={dense: {units: 4}}")
        XCTAssertEqual(node["model"]?["trunk"]?.elements?[1], try ConfigNode.parse(yaml: "dense: {units: 4}"))
    }

    func testAddAndRemove() throws {
        let node = try apply("+trainer.gamma=0.99", "~trainer.learningRate", "+model.trunk.2=flatten",
                             "~model.trunk.0", "+logging={csv: false}")
        XCTAssertEqual(node["trainer"]?.keys, ["id", "gamma"])
        XCTAssertEqual(node["trainer"]?["gamma"]?.scalar, .float(0.99))
        XCTAssertEqual(try LayerSpec.list(from: node["model"]!["trunk"]!).map(\.id), ["relu", "flatten"])
        XCTAssertEqual(node["logging"]?["csv"]?.scalar, .bool(false))
    }

    func testInsertInList() throws {
        let node = try apply("+model.trunk.0=relu")
        XCTAssertEqual(try LayerSpec.list(from: node["model"]!["trunk"]!).map(\.id), ["relu", "conv2d", "relu"])
    }

    func testSetOrAdd() throws {
        let node = try apply("++trainer.gamma=0.9", "++trainer.gamma=0.5", "++seed=3")
        XCTAssertEqual(node["trainer"]?["gamma"]?.scalar, .float(0.5))
        XCTAssertEqual(node["seed"]?.scalar, .int(3))
    }

    func testSetOfMissingKeyNamesAvailableKeys() {
        let error = configError { _ = try self.apply("trainer.lr=1") }
        XCTAssertEqual(error?.kind, .invalidOverride)
        XCTAssertEqual(error?.path, "trainer.lr")
        XCTAssertEqual(error?.message, "no key 'trainer.lr' to set; keys available in 'trainer': id, learningRate; "
                       + "to add a new key write '+trainer.lr=…'")
    }

    func testMissingIntermediateKey() {
        let error = configError { _ = try self.apply("trainr.learningRate=1") }
        XCTAssertEqual(error?.message, "no key 'trainr'; did you mean 'trainer'? keys available in the top level: "
                       + "name, seed, environment, trainer, model")
    }

    func testAddExistingKeyFails() {
        let error = configError { _ = try self.apply("+trainer.learningRate=1") }
        XCTAssertTrue(error?.message.contains("already exists") ?? false)
    }

    func testIndexOutOfRange() {
        let error = configError { _ = try self.apply("model.trunk.5=relu") }
        XCTAssertEqual(error?.message, "index 5 is out of range; 'model.trunk' is a list of 2 entries (indices 0…1)")
        let notIndex = configError { _ = try self.apply("model.trunk.first=relu") }
        XCTAssertTrue(notIndex?.message.contains("is not a list index") ?? false)
        let remove = configError { _ = try self.apply("~model.trunk.2") }
        XCTAssertEqual(remove?.kind, .invalidOverride)
    }

    func testMalformedOverrides() {
        XCTAssertEqual(configError { _ = try ConfigOverride(parsing: "justakey") }?.kind, .invalidOverride)
        XCTAssertEqual(configError { _ = try ConfigOverride(parsing: "~a=1") }?.kind, .invalidOverride)
        XCTAssertEqual(configError { _ = try ConfigOverride(parsing: "a..b=1") }?.kind, .invalidOverride)
        XCTAssertEqual(configError { _ = try ConfigOverride(parsing: "=1") }?.kind, .invalidOverride)
        XCTAssertEqual(configError { _ = try self.apply("seed.x=1") }?.kind, .invalidOverride)
    }

    func testOverrideValueTypeErrorPointsIntoTheOverride() {
        // "seed=abc": the value starts at column 6 of the override text.
        let error = configError { _ = try ExperimentConfig(yaml: self.base, file: "base.yaml", overrides: ["seed=abc"]) }
        XCTAssertEqual(error?.kind, .wrongType(expected: "non-negative int", found: "string 'abc'"))
        XCTAssertEqual(error?.location, SourceLocation(file: "override 'seed=abc'", line: 1, column: 6))
    }

    func testParsedOverrideShape() throws {
        let o = try ConfigOverride(parsing: "model.trunk.0=coordconv2d")
        XCTAssertEqual(o.path, ["model", "trunk", "0"])
        XCTAssertEqual(o.operation, .set(.scalar(.string("coordconv2d"))))
        XCTAssertEqual(try ConfigOverride(parsing: "~a.b").operation, .remove)
        XCTAssertEqual(try ConfigOverride(parsing: "+a=[1, 2]").operation,
                       .add(try ConfigNode.parse(yaml: "[1, 2]")))
        XCTAssertEqual(try ConfigOverride(parsing: "a=").operation, .set(.scalar(.null)))
    }
}
