import LatticeRuntime
import XCTest

final class YAMLWriterTests: XCTestCase {
    func testFloatFormattingAlwaysHasDotAndSignedExponent() {
        XCTAssertEqual(YAMLWriter.format(1e-5), "1.0e-05")
        XCTAssertEqual(YAMLWriter.format(2.5e-4), "0.00025")
        XCTAssertEqual(YAMLWriter.format(1e5), "100000.0")
        XCTAssertEqual(YAMLWriter.format(1e16), "1.0e+16")
        XCTAssertEqual(YAMLWriter.format(1.5e300), "1.5e+300")
        XCTAssertEqual(YAMLWriter.format(-3), "-3.0")
        XCTAssertEqual(YAMLWriter.format(0.1), "0.1")
        XCTAssertEqual(YAMLWriter.format(.infinity), ".inf")
        XCTAssertEqual(YAMLWriter.format(-.infinity), "-.inf")
        XCTAssertEqual(YAMLWriter.format(.nan), ".nan")
    }

    func testExactOutput() throws {
        let yaml = """
            name: run
            trainer: {id: ppo, learningRate: 1e-5, clip: 0.2}
            model:
              trunk:
                - conv2d: {filters: 16}
                - relu
                - dense:
                    units: 4
                    init: {kind: orthogonal, gain: 1.0}
            tags: [a, 'yes', '12']
            empty: {}
            none: []
            """
        let expected = """
            name: run
            trainer: {id: ppo, learningRate: 1.0e-05, clip: 0.2}
            model:
              trunk:
                - conv2d: {filters: 16}
                - relu
                - dense:
                    units: 4
                    init: {kind: orthogonal, gain: 1.0}
            tags: [a, "yes", "12"]
            empty: {}
            none: []

            """
        XCTAssertEqual(YAMLWriter.write(try ConfigNode.parse(yaml: yaml)), expected)
    }

    func testRoundTrip() throws {
        let yaml = """
            name: "exp: one # two"
            seed: 18446744
            floats: [1e-5, 0.1, 1.0e+300, -2.5, 5e-324, .inf, -.inf, 3.0]
            strings: ['', 'yes', 'No', 'null', '~', '12', '1e-3', ' padded ', "line\\nbreak", 'q"uote', "-dash", '[x]', 'MinAtar/Breakout-v1']
            flags: {on: true, off: false}
            nothing: null
            nested:
              - - 1
                - [2, 3]
              - {a: {b: {c: [x, {y: z}]}}}
              - []
            long: [aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb]
            """
        let config = try ConfigNode.parse(yaml: yaml)
        let written = YAMLWriter.write(config)
        XCTAssertEqual(try ConfigNode.parse(yaml: written), config, written)
        XCTAssertEqual(YAMLWriter.write(try ConfigNode.parse(yaml: written)), written)  // a fixed point
        XCTAssertEqual(config["strings"]?.elements?.count, 13)
        XCTAssertEqual(config["floats"]?.elements?[4].scalar, .float(5e-324))
    }

    func testResolvedExperimentRoundTripsWithOverrides() throws {
        let yaml = """
            name: coord
            seed: 3
            dataset: NotSoClevr/Uniform-v1
            trainer: {id: supervised, learningRate: 0.001}
            model: [relu]
            """
        let config = try ExperimentConfig(yaml: yaml, overrides: ["trainer.learningRate=1e-5", "+trainer.weightDecay=1e+2"])
        let again = try ExperimentConfig(yaml: config.resolvedYAML)
        XCTAssertEqual(again, config)
        XCTAssertTrue(config.resolvedYAML.contains("learningRate: 1.0e-05, weightDecay: 100.0}"), config.resolvedYAML)
    }

    /// PyYAML (YAML 1.1) must read the written floats as floats and the quoted strings as strings.
    func testPythonReadsWrittenTypes() throws {
        guard pythonHas("yaml") else { throw XCTSkip("python3 with PyYAML is not available") }
        let config = try ConfigNode.parse(yaml: "a: 1e-5\nb: 1e16\nc: 3.0\nd: 'yes'\ne: '1e-3'\nf: 7\n")
        let written = YAMLWriter.write(config)
        let out = try runPython("""
            import sys, yaml
            d = yaml.safe_load(sys.argv[1])
            print(' '.join(f'{k}:{type(v).__name__}:{v!r}' for k, v in d.items()))
            """, arguments: [written])
        XCTAssertEqual(out.trimmingCharacters(in: .whitespacesAndNewlines),
                       "a:float:1e-05 b:float:1e+16 c:float:3.0 d:str:'yes' e:str:'1e-3' f:int:7")
    }
}
