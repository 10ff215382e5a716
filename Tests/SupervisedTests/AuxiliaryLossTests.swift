import XCTest
import CoordConv
import Datasets
import LatticeNN
import LatticeRuntime
import LatticeTensor
import StandardLayers
@testable import Supervised

/// The supervised trainer's auxiliary loss (a softmax cross-entropy on one layer's output against the
/// split's labels — the CoordConv rendering model's centre loss) and Not-so-Clevr's coordinate scales.
final class AuxiliaryLossTests: XCTestCase {
    let yaml = """
    name: render
    seed: 2
    dataset: {id: NotSoClevr/Quadrant-v0, task: rendering}
    model:
      layers:
        - coordconv2d: {filters: 4, kernel: 1, tile: [64, 64]}
        - relu
        - conv2d: {filters: 1, kernel: 1}
        - spatialSoftmax
        - conv2d: {filters: 1, kernel: 3, padding: 1}
    trainer: {id: supervised, loss: sigmoidCrossEntropy, auxiliaryLoss: softmaxCrossEntropy, auxiliaryLayer: 2,
              auxiliaryWeight: 0.5, batchSize: 4}
    budget: {steps: 1}
    logging: {console: false}
    """

    func trainer(_ text: String, file: String = "aux.yaml") throws -> SupervisedTrainer {
        let registries = try Registries(modules: [StandardLayersPlugin.self, CoordConvPlugin.self, SupervisedPlugin.self, DatasetsPlugin.self])
        let session = TrainingSession(experiment: try ExperimentConfig(yaml: text, file: file), registries: registries, runDirectory: nil)
        return try session.makeTrainer() as! SupervisedTrainer
    }

    func testLossAddsTheWeightedSoftmaxOfTheCapturedLayer() throws {
        let t = try trainer(yaml)
        let indices = [0, 5, 700, 2000]
        let (x, y) = t.train.batch(indices)
        let labels = try XCTUnwrap(t.auxiliaryLabels(t.train, indices))
        XCTAssertEqual(labels, NotSoClevr().labels(try NotSoClevrDataset(task: .rendering, split: "quadrant").indices("train").enumerated()
            .filter { indices.contains($0.offset) }.map(\.element)))
        let (total, out) = withoutGradients { t.forward(x, y, labels: labels) }
        let (plain, _) = withoutGradients { t.forward(x, y) }
        let captured = withoutGradients { t.model(x, capturing: 2).captured! }
        XCTAssertEqual(captured.shape, [4, 1, 64, 64])
        let centre = Loss.softmaxCrossEntropy(logits: captured.reshaped([4, -1]), labels: labels).scalar
        XCTAssertEqual(total.scalar, plain.scalar + 0.5 * centre, accuracy: 1e-4)
        XCTAssertEqual(out.shape, [4, 1, 64, 64])
        // The auxiliary loss sends gradient into the layers below the captured one.
        let params = t.model.parameters.map(\.value)
        let g = gradients(of: t.forward(x, y, labels: labels).loss - t.forward(x, y).loss, wrt: params)
        XCTAssertGreaterThan(g[0].scalars.map(abs).max() ?? 0, 0)
        XCTAssertEqual(g[4].scalars.map(abs).max() ?? 1, 0, "the painter after the captured layer gets none")
    }

    func testAuxiliaryLossNeedsALayerAndLabels() throws {
        let noLayer = yaml.replacingOccurrences(of: "auxiliaryLayer: 2,", with: "")
        XCTAssertThrowsError(try trainer(noLayer)) { XCTAssertTrue("\($0)".contains("needs auxiliaryLayer"), "\($0)") }
        let pastEnd = yaml.replacingOccurrences(of: "auxiliaryLayer: 2", with: "auxiliaryLayer: 9")
        XCTAssertThrowsError(try trainer(pastEnd)) { XCTAssertTrue("\($0)".contains("past the last layer"), "\($0)") }
        let blobs = yaml.replacingOccurrences(of: "{id: NotSoClevr/Quadrant-v0, task: rendering}", with: "{id: Synthetic/Blobs-v0}")
        XCTAssertThrowsError(try trainer(blobs)) { XCTAssertTrue("\($0)".contains("carry labels"), "\($0)") }
    }

    /// kernelL2 with kernelL2Layers n: c/2·Σw² over the kernels of layers 0..<n only (here the centre
    /// stack's two convolutions, not the painter at layer 4); 0 keeps every kernel.
    func testKernelL2LayersLimitsThePenaltyToTheFirstLayers() throws {
        func penalty(_ layers: Int) throws -> (Float, SupervisedTrainer) {
            let text = yaml.replacingOccurrences(of: "batchSize: 4}", with: "batchSize: 4, kernelL2: 0.1, kernelL2Layers: \(layers)}")
            let t = try trainer(text)
            return (try XCTUnwrap(t.kernelPenalty()).scalar, t)
        }
        let (limited, t) = try penalty(3)
        let (all, _) = try penalty(0)
        let squares = Dictionary(uniqueKeysWithValues: t.model.namedParameters().map { ($0.0, ($0.1.value * $0.1.value).sum().scalar) })
        XCTAssertEqual(limited, 0.05 * (squares["0.weight"]! + squares["2.weight"]!), accuracy: 1e-5)
        XCTAssertEqual(all, 0.05 * (squares["0.weight"]! + squares["2.weight"]! + squares["4.weight"]!), accuracy: 1e-5)
        XCTAssertGreaterThan(squares["4.weight"]!, 0)
    }

    func testPixelCoordinateScale() throws {
        let pixels = try NotSoClevrDataset(task: .classification, split: "quadrant", coordinateScale: .pixels).split("test")
        XCTAssertEqual(pixels.batch([0]).inputs.scalars, [33, 33])
        let regression = try NotSoClevrDataset(task: .regression, split: "quadrant", coordinateScale: .pixels).split("test")
        XCTAssertEqual(regression.batch([0]).targets.scalars, [33, 33])
        let normalized = try NotSoClevrDataset(task: .rendering, split: "quadrant").split("test")
        XCTAssertEqual(normalized.batch([0]).inputs.scalars, [NotSoClevr.normalise(33), NotSoClevr.normalise(33)])
        let unknown = yaml.replacingOccurrences(of: "task: rendering}", with: "task: rendering, coordinateScale: inches}")
        XCTAssertThrowsError(try trainer(unknown)) { XCTAssertTrue("\($0)".contains("pixels"), "\($0)") }
    }
}
