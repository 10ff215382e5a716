import LatticeRuntime
import LatticeTensor
import XCTest

final class ConfigSectionReaderTests: XCTestCase {
    func testReadsDefaultsAndRejectsUnreadKeys() throws {
        let yaml = "trainer:\n  learningRate: 1e-3\n  clipEpsilom: 0.1\n"
        let section = try XCTUnwrap(try ConfigNode.parse(yaml: yaml, file: "t.yaml")["trainer"])
        var reader = try ConfigSectionReader(section)
        XCTAssertEqual(try reader.read("learningRate", default: 2.5e-4), 0.001)
        XCTAssertEqual(try reader.read("clipEpsilon", default: 0.2), 0.2)
        XCTAssertEqual(try reader.read("epochs", default: 4), 4)
        XCTAssertNil(try reader.readIfPresent("anneal", as: Bool.self))
        let error = configError { try reader.finish() }
        XCTAssertEqual(error?.kind, .unknownKey("clipEpsilom"))
        XCTAssertEqual(error?.location, SourceLocation(file: "t.yaml", line: 3, column: 3))
        XCTAssertEqual(error?.path, "trainer.clipEpsilom")
        XCTAssertEqual(error?.message,
                       "unknown key 'clipEpsilom'; did you mean 'clipEpsilon'? valid keys: learningRate, clipEpsilon, epochs, anneal")
        reader.allow("clipEpsilom")
        XCTAssertNoThrow(try reader.finish())
    }

    func testRequiredKeyMissing() throws {
        var reader = try ConfigSectionReader(try ConfigNode.parse(yaml: "{}"))
        let error = configError { _ = try reader.read("units", as: Int.self) }
        XCTAssertEqual(error?.kind, .missingKey("units"))
    }
}

/// A two-split toy dataset: example i of split s is input [i, s] and target [2i].
private final class ToyDataset: Dataset {
    final class Split: DatasetSplit {
        let offset: Float
        let count: Int
        init(offset: Float, count: Int) { self.offset = offset; self.count = count }
        var inputShape: [Int] { [2] }
        var targetShape: [Int] { [1] }
        func example(at index: Int) -> (input: Tensor, target: Tensor) {
            (Tensor(shape: [2], scalars: [Float(index), offset]), Tensor(shape: [1], scalars: [2 * Float(index)]))
        }
    }
    let id = "Toy-v0"
    let splitNames = ["train", "test"]
    func split(_ name: String) throws -> any DatasetSplit {
        switch name {
        case "train": return Split(offset: 0, count: 4)
        case "test": return Split(offset: 1, count: 2)
        default: throw DatasetError.unknownSplit(dataset: id, split: name, known: splitNames)
        }
    }
}

final class DatasetProtocolTests: XCTestCase {
    func testDefaultBatchStacksExamples() throws {
        let split = try ToyDataset().split("test")
        let (inputs, targets) = split.batch([1, 0])
        XCTAssertEqual(inputs.shape, [2, 2])
        XCTAssertEqual(inputs.scalars, [1, 1, 0, 1])
        XCTAssertEqual(targets.shape, [2, 1])
        XCTAssertEqual(targets.scalars, [2, 0])
        XCTAssertThrowsError(try ToyDataset().split("valid")) { error in
            XCTAssertEqual("\(error)", "Toy-v0: unknown split 'valid'; known: train, test")
        }
    }
}
