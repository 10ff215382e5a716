import LatticeRuntime
import XCTest
import LatticeTensor

final class RegistryTests: XCTestCase {
    private func layerRegistries() throws -> Registries { try Registries(modules: [FakeLayers.self]) }

    func testUnknownIDListsKnownAndNearest() throws {
        let registries = try layerRegistries()
        XCTAssertThrowsError(try registries.layers.make("cordconv2d", registries: registries)) { error in
            guard case RegistryError.unknownID(let kind, let id, let known, let suggestion)? = error as? RegistryError else {
                return XCTFail("wrong error \(error)")
            }
            XCTAssertEqual(kind, "layer")
            XCTAssertEqual(id, "cordconv2d")
            XCTAssertEqual(known, ["conv2d", "coordconv2d", "relu"])
            XCTAssertEqual(suggestion, "coordconv2d")
            XCTAssertEqual("\(error)", "unknown layer 'cordconv2d'; did you mean 'coordconv2d'? known: conv2d, coordconv2d, relu")
        }
    }

    func testFarOffNameHasNoSuggestion() throws {
        let registries = try layerRegistries()
        XCTAssertThrowsError(try registries.layers.resolve("transformer")) { error in
            XCTAssertEqual(error as? RegistryError,
                           .unknownID(kind: "layer", id: "transformer", known: ["conv2d", "coordconv2d", "relu"], suggestion: nil))
        }
    }

    func testDuplicateNamesBothRegistrations() throws {
        var registry = Registry<Int>(kind: "layer")
        try registry.register("relu", registeredBy: "StandardLayers") { _, _ in 1 }
        XCTAssertThrowsError(try registry.register("relu", registeredBy: "MyPlugin") { _, _ in 2 }) { error in
            XCTAssertEqual(error as? RegistryError,
                           .duplicateID(kind: "layer", id: "relu", first: "StandardLayers", second: "MyPlugin"))
            XCTAssertTrue("\(error)".contains("registered by StandardLayers and again by MyPlugin"))
        }
        // By default the registering file (#fileID, which starts with the module name) is recorded.
        XCTAssertThrowsError(try registry.register("relu") { _, _ in 3 }) { error in
            guard case .duplicateID(_, _, _, let second)? = error as? RegistryError else { return XCTFail() }
            XCTAssertEqual(second, "LatticeRuntimeTests/RegistryTests.swift")
        }
    }

    func testDuplicateAcrossModules() {
        XCTAssertThrowsError(try Registries(modules: [FakeLayers.self, FakeLayers.self])) { error in
            guard case .duplicateID(let kind, let id, _, _)? = error as? RegistryError else { return XCTFail("\(error)") }
            XCTAssertEqual(kind, "layer")
            XCTAssertEqual(id, "conv2d")
        }
    }

    func testBareIDResolvesToNewestVersionAndSaysSo() throws {
        var registry = Registry<String>(kind: "environment")
        try registry.register("MinAtar/Breakout-v0") { _, _ in "v0" }
        try registry.register("MinAtar/Breakout-v2") { _, _ in "v2" }
        try registry.register("MinAtar/Breakout-v1") { _, _ in "v1" }
        let registries = Registries()

        let bare = try registry.resolve("MinAtar/Breakout")
        XCTAssertEqual(bare.resolvedID, "MinAtar/Breakout-v2")
        XCTAssertEqual(bare.note, "'MinAtar/Breakout' resolved to 'MinAtar/Breakout-v2' (newest of 3 versions)")
        XCTAssertEqual(try registry.make("MinAtar/Breakout", registries: registries), "v2")

        let exact = try registry.resolve("MinAtar/Breakout-v1")
        XCTAssertEqual(exact.resolvedID, "MinAtar/Breakout-v1")
        XCTAssertNil(exact.note)
        XCTAssertEqual(try registry.makeResolved("MinAtar/Breakout-v0", registries: registries).product, "v0")

        XCTAssertThrowsError(try registry.resolve("MinAtar/Breakout-v7")) { error in
            guard case .unknownID(_, _, _, let suggestion)? = error as? RegistryError else { return XCTFail() }
            XCTAssertEqual(suggestion, "MinAtar/Breakout-v2")
        }
    }

    func testIDParsing() throws {
        let id = try RegistryID(parsing: "MinAtar/Breakout-v1")
        XCTAssertEqual(id.namespace, "MinAtar")
        XCTAssertEqual(id.name, "Breakout")
        XCTAssertEqual(id.version, 1)
        XCTAssertEqual(id.unversioned, "MinAtar/Breakout")
        let plain = try RegistryID(parsing: "conv2d")
        XCTAssertEqual(plain, RegistryID(name: "conv2d"))
        XCTAssertEqual(try RegistryID(parsing: "Foo-v").name, "Foo-v")
        XCTAssertThrowsError(try RegistryID(parsing: "a/b/c"))
        XCTAssertThrowsError(try RegistryID(parsing: ""))
        XCTAssertThrowsError(try RegistryID(parsing: "Grid/-v1"))
    }

    func testFactoryReceivesConfigSection() throws {
        let registries = try layerRegistries()
        let config = try ConfigNode.parse(yaml: "{filters: 32, kernel: 5}")
        var rng = RandomGenerator(seed: 0)
        let layer = try registries.layers.make("conv2d", config: config, registries: registries)([1, 3, 8, 8], &rng)
        let conv = try XCTUnwrap(layer as? FakeConv)
        XCTAssertEqual(conv.filters, 32)
        XCTAssertEqual(conv.kernel, 5)
        XCTAssertEqual(try conv.outputShape(for: [1, 3, 8, 8]), [1, 32, 8, 8])
    }

    func testEditDistance() {
        XCTAssertEqual(EditDistance.distance("kitten", "sitting"), 3)
        XCTAssertEqual(EditDistance.distance("", "abc"), 3)
        XCTAssertEqual(EditDistance.distance("flaw", "lawn"), 2)
        XCTAssertEqual(EditDistance.nearest(to: "learningrate", in: ["gamma", "learningRate"]), "learningRate")
    }
}
