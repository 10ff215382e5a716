import XCTest
import CoordConv
import Datasets
import LatticeNN
import LatticeRuntime
import LatticeTensor
import StandardLayers
@testable import Supervised

/// The Not-so-Clevr datasets, the 12 example configs and the supervised trainer's metrics.
final class NotSoClevrTests: XCTestCase {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Examples/notsoclevr")

    func registries() throws -> Registries {
        try Registries(modules: [StandardLayersPlugin.self, CoordConvPlugin.self, SupervisedPlugin.self, DatasetsPlugin.self])
    }

    func testSplitSizesAndTheQuadrant() throws {
        let quadrant = try NotSoClevrDataset(task: .classification, split: "quadrant")
        XCTAssertEqual(try quadrant.split("train").count, 2407)
        XCTAssertEqual(try quadrant.split("test").count, 729)
        let data = NotSoClevr()
        let test = Set(try quadrant.indices("test"))
        for i in 0..<data.count {
            let c = data.centre(i)
            XCTAssertEqual(test.contains(i), c.x >= 33 && c.y >= 33, "centre \(c)")
        }
        let uniform = try NotSoClevrDataset(task: .classification, split: "uniform", seed: 0)
        let (train, held) = (try uniform.indices("train"), try uniform.indices("test"))
        XCTAssertEqual(train.count, 2509)
        XCTAssertEqual(held.count, 627)
        XCTAssertEqual(Set(train).union(held).count, 3136)
        XCTAssertTrue(Set(train).isDisjoint(with: held))
        XCTAssertEqual(try NotSoClevrDataset(task: .classification, split: "uniform", seed: 0).indices("test"), held)
        XCTAssertNotEqual(try NotSoClevrDataset(task: .classification, split: "uniform", seed: 1).indices("test"), held)
        // The uniform test set is spread over the canvas: every quadrant holds a share of it.
        XCTAssertGreaterThan(held.filter { data.centre($0).x >= 33 && data.centre($0).y >= 33 }.count, 100)
    }

    func testRegisteredTasksServeTheRightFields() throws {
        let r = try registries()
        func make(_ yaml: String) throws -> any Dataset {
            let e = try ExperimentConfig(yaml: "name: t\ndataset: \(yaml)\nmodel: [relu]\ntrainer: {id: supervised}")
            return try r.datasets.make(e.dataset!.id, config: e.dataset!.config, registries: r)
        }
        let data = NotSoClevr()
        let classification = try make("{id: NotSoClevr/Quadrant-v0, task: classification}").split("test")
        let first = try NotSoClevrDataset(task: .classification, split: "quadrant").indices("test")[0]
        let c = data.centre(first)
        XCTAssertEqual(c, PixelCentre(x: 33, y: 33))
        let (x, y) = classification.batch([0])
        XCTAssertEqual(x.shape, [1, 2])
        XCTAssertEqual(x.scalars, [NotSoClevr.normalise(33), NotSoClevr.normalise(33)])
        XCTAssertEqual(y.scalars, [Float(33 * 64 + 33)])

        let regression = try make("{id: NotSoClevr/Quadrant-v0, task: regression}").split("test")
        let (map, centre) = regression.batch([0, 1])
        XCTAssertEqual(map.shape, [2, 1, 64, 64])
        XCTAssertEqual(map.scalars.reduce(0, +), 2)
        XCTAssertEqual(map.scalars[33 * 64 + 33], 1)
        XCTAssertEqual(centre.shape, [2, 2])

        let rendering = try make("{id: NotSoClevr/Uniform-v0, task: rendering, seed: 4}").split("train")
        let (_, image) = rendering.batch([5])
        XCTAssertEqual(image.shape, [1, 1, 64, 64])
        XCTAssertEqual(image.scalars.reduce(0, +), 81)
        XCTAssertThrowsError(try make("{id: NotSoClevr/Uniform-v0, task: painting}")) { error in
            XCTAssertTrue("\(error)".contains("rendering"), "\(error)")
        }
    }

    /// Every cell of the reproduction builds, and its parameter count is the spec's.
    func testTwelveConfigsHaveTheSpecsParameterCounts() throws {
        let expected: [String: Int] = [
            "classification-uniform-deconv": 183_553, "classification-quadrant-deconv": 183_553,
            "classification-uniform-coordconv": 7_553, "classification-quadrant-coordconv": 7_553,
            "regression-uniform-conv": 72_850, "regression-quadrant-conv": 12_914,
            "regression-uniform-coordconv": 906, "regression-quadrant-coordconv": 906,
            "rendering-uniform-deconv": 183_553, "rendering-quadrant-deconv": 183_553,
            "rendering-uniform-coordconv": 11_850, "rendering-quadrant-coordconv": 11_850,
        ]
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.examples.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertEqual(Set(files.map { String($0.dropLast(5)) }), Set(expected.keys))
        let r = try registries()
        for (name, count) in expected {
            let e = try ExperimentConfig(contentsOf: Self.examples.appendingPathComponent(name + ".yaml"))
            let data = try r.datasets.make(e.dataset!.id, config: e.dataset!.config, registries: r)
            let train = try data.split("train")
            var rng = RandomGenerator(seed: 1)
            let built = try ModelBuilder.build(e.model["layers"]!, inputShape: [2] + train.inputShape, registries: r, rng: &rng)
            XCTAssertEqual(built.layers.reduce(0) { $0 + $1.parameterCount }, count, name)
            XCTAssertEqual(Array(built.outputShape.dropFirst()).reduce(1, *), max(train.targetShape.reduce(1, *), 4096 * (train.targetShape.isEmpty ? 1 : 0)), name)
        }
    }

    /// `conv2d` → `coordconv2d` in a config changes only that layer: the same layers and shapes, two more
    /// input channels on its filter, and with those weights zero (others copied) the same outputs.
    func testSwappingConvForCoordConvChangesNothingElse() throws {
        let text = try String(contentsOf: Self.examples.appendingPathComponent("regression-uniform-coordconv.yaml"), encoding: .utf8)
        let r = try registries()
        func build(_ yaml: String) throws -> [any Layer] {
            let e = try ExperimentConfig(yaml: yaml)
            var rng = RandomGenerator(seed: 1)
            return try ModelBuilder.build(e.model["layers"]!, inputShape: [2, 1, 64, 64], registries: r, rng: &rng).layers
        }
        let coord = try build(text)
        let plain = try build(text.replacingOccurrences(of: "coordconv2d:", with: "conv2d:"))
        XCTAssertEqual(coord.count, plain.count)
        XCTAssertTrue(coord[0] is CoordConv2D)
        XCTAssertTrue(plain[0] is Conv2D)
        var s1 = [2, 1, 64, 64], s2 = s1
        for (a, b) in zip(coord, plain) {
            s1 = try a.outputShape(for: s1)
            s2 = try b.outputShape(for: s2)
            XCTAssertEqual(s1, s2)
        }
        XCTAssertEqual(coord.reduce(0) { $0 + $1.parameterCount } - plain.reduce(0) { $0 + $1.parameterCount }, 8 * 2)
        // Zero coordinate weights, copy everything else: identical outputs.
        let c0 = coord[0] as! CoordConv2D, p0 = plain[0] as! Conv2D
        c0.filter.assign(Tensor.concat([p0.filter.value, Tensor(zeros: [8, 2, 1, 1])], alongAxis: 1))
        c0.bias!.assign(p0.bias!.value)
        for (a, b) in zip(coord.dropFirst(), plain.dropFirst()) {
            for ((_, pa), (_, pb)) in zip(a.namedParameters(), b.namedParameters()) { pa.assign(pb.value) }
        }
        let input = NotSoClevr().oneHotMaps([0, 1000])
        let ya = Sequential(coord)(input), yb = Sequential(plain)(input)
        XCTAssertEqual(ya.shape, [2, 2])
        for (u, v) in zip(ya.scalars, yb.scalars) { XCTAssertEqual(u, v, accuracy: 1e-5) }
    }

    func testMetricsByHand() {
        // IoU: a 2×2 painted block against a 2×3 true block, overlap 4 of a union of 6 → 2/3; the second
        // example paints nothing of an empty truth → 1.
        var out = [Float](repeating: -1, count: 32), target = [Float](repeating: 0, count: 32)
        for p in [0, 1, 4, 5] { out[p] = 3 }
        for p in [0, 1, 2, 4, 5, 6] { target[p] = 1 }
        let iou = SupervisedMetrics.iouSum(output: Tensor(shape: [2, 1, 4, 4], scalars: out),
                                           target: Tensor(shape: [2, 1, 4, 4], scalars: target), threshold: 0)
        XCTAssertEqual(iou, 2.0 / 3 + 1, accuracy: 1e-9)
        // Pixel error: (0.1, 0) and (0, 0.2) off, in units of 31.5 pixels → 3.15 and 6.3 pixels.
        var m = SupervisedMetrics(requested: ["pixelError"])
        m.add(output: Tensor(shape: [2, 2], scalars: [0.1, 0, 0.5, 0.7]),
              target: Tensor(shape: [2, 2], scalars: [0, 0, 0.5, 0.5]), iouThreshold: 0, pixelScale: 31.5)
        XCTAssertEqual(m.means(prefix: "test/")["test/pixelError"]!, (3.15 + 6.3) / 2, accuracy: 1e-4)
        XCTAssertEqual(SupervisedMetrics.correctCount(output: Tensor(shape: [2, 3], scalars: [0, 2, 1, 5, 0, 0]),
                                                      target: Tensor(shape: [2], scalars: [1, 2])), 1)
    }
}
