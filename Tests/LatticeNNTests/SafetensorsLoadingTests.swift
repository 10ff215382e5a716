import Foundation
import XCTest
import LatticeTensor
@testable import LatticeNN

/// Loading checkpoints into named parameters, models and optimizers.
final class SafetensorsLoadingTests: XCTestCase {
    /// A two-parameter affine map y = x·w + b, enough to exercise names and shapes.
    final class TinyModel: Layer {
        let weight: Parameter
        let bias: Parameter
        init(weight: Tensor, bias: Tensor) {
            self.weight = Parameter(weight)
            self.bias = Parameter(bias)
        }
        func callAsFunction(_ x: Tensor) -> Tensor { x }
        func namedParameters() -> [(String, Parameter)] { [("layer.weight", weight), ("layer.bias", bias)] }
        func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }
    }

    func testAssignsNamedParameters() throws {
        let file = try SafetensorsFile(tensors: [("w", Tensor(shape: [1, 2], scalars: [5, 6])), ("extra", Tensor([0]))])
        let w = Parameter(Tensor(zeros: [1, 2]))
        try file.assign(to: [("w", w)])
        XCTAssertEqual(w.value.scalars, [5, 6])
    }

    func testRefusesMissingNameListingTheAvailableOnes() throws {
        let file = try SafetensorsFile(tensors: [("b", Tensor([1])), ("a", Tensor([2]))])
        let a = Parameter(Tensor([0]))
        XCTAssertThrowsError(try file.assign(to: [("a", a), ("c", Parameter(Tensor([0])))])) { error in
            XCTAssertEqual(error as? CheckpointError, .missingTensor(name: "c", available: ["a", "b"]))
            XCTAssertTrue("\(error)".contains("'c'") && "\(error)".contains("a, b"), "\(error)")
        }
        XCTAssertEqual(a.value.scalars, [0], "a refused load assigns nothing")
    }

    func testRefusesShapeMismatchNamingBothShapes() throws {
        let file = try SafetensorsFile(tensors: [("w", Tensor(zeros: [3, 2]))])
        XCTAssertThrowsError(try file.assign(to: [("w", Parameter(Tensor(zeros: [2, 3])))])) { error in
            XCTAssertEqual(error as? CheckpointError, .shapeMismatch(name: "w", parameterShape: [2, 3], checkpointShape: [3, 2]))
            XCTAssertTrue("\(error)".contains("[2, 3]") && "\(error)".contains("[3, 2]"), "\(error)")
        }
    }

    /// Model and Adam state saved mid-training and restored elsewhere continue identically.
    func testModelAndOptimizerCheckpointResumesTraining() throws {
        let model = TinyModel(weight: Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), bias: Tensor([0.5, -0.5]))
        let adam = Adam(learningRate: 0.05)
        let grads = [Tensor(shape: [2, 2], scalars: [0.1, -0.2, 0.3, 0.4]), Tensor([1, -1])]
        adam.update(model.parameters, along: grads)
        adam.update(model.parameters, along: grads)

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lattice-ckpt-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafetensorsFile(model: model, optimizer: adam, metadata: ["step": "2"]).write(to: url)

        let file = try SafetensorsFile(contentsOf: url)
        XCTAssertEqual(file.names, ["layer.bias", "layer.weight",
                                    "optimizer.layer.bias.exp_avg", "optimizer.layer.bias.exp_avg_sq", "optimizer.layer.bias.step",
                                    "optimizer.layer.weight.exp_avg", "optimizer.layer.weight.exp_avg_sq", "optimizer.layer.weight.step"])
        let restored = TinyModel(weight: Tensor(zeros: [2, 2]), bias: Tensor(zeros: [2]))
        let restoredAdam = Adam(learningRate: 0.05)
        try file.restore(model: restored, optimizer: restoredAdam)
        XCTAssertEqual(restored.weight.value, model.weight.value)

        adam.update(model.parameters, along: grads)
        restoredAdam.update(restored.parameters, along: grads)
        XCTAssertEqual(restored.weight.value, model.weight.value)
        XCTAssertEqual(restored.bias.value, model.bias.value)
    }
}
