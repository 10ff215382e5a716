import Foundation
import XCTest
import LatticeTensor
@testable import LatticeNN

/// Safetensors: round trips, the file written by Python's `safetensors` (Fixtures/make_fixture.py),
/// byte-exact agreement with that reference writer, and every malformed file refused with its error.
final class SafetensorsTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("lattice-safetensors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func fixture(_ name: String) throws -> URL {
        try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: "safetensors", subdirectory: "Fixtures"),
                      "fixture \(name).safetensors missing from the test bundle")
    }

    // MARK: Round trips and the reference files

    func testRoundTripThroughAFile() throws {
        let tensors: [(String, Tensor)] = [
            ("z.last", Tensor(shape: [2, 3], scalars: [1, -2, 3.5, 1e-30, -0.0, 65504])),
            ("a.first", Tensor([0.1, 0.2, 0.3])),
            ("scalar", Tensor(7)),
            ("empty", Tensor(zeros: [0, 4])),
        ]
        let metadata = ["format": "pt", "quote\"and\\slash": "line\nbreak\ttab é ✓ \u{1}"]
        let url = directory.appendingPathComponent("model.safetensors")
        try SafetensorsFile(tensors: tensors, metadata: metadata).write(to: url)

        let read = try SafetensorsFile(contentsOf: url)
        XCTAssertEqual(read.names, ["a.first", "empty", "scalar", "z.last"])   // sorted by name, as written
        for (name, tensor) in tensors {
            XCTAssertEqual(read[name], tensor, name)
            XCTAssertEqual(read[name]?.shape, tensor.shape, name)
        }
        XCTAssertEqual(read.metadata, metadata)
        // Header padded so the data starts 8-byte aligned.
        let bytes = [UInt8](try Data(contentsOf: url))
        let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.1) << (8 * $1.0) }
        XCTAssertEqual((8 + headerLength) % 8, 0)
        XCTAssertEqual(bytes.count, 8 + headerLength + (3 + 0 + 1 + 6) * 4)
    }

    /// The exact bytes for a small case, written out by hand from the format: u64 length 80, then the
    /// JSON (79 bytes: 26 for the metadata and its comma, 4 for `"w":`, 49 for the entry and the final
    /// brace) and 1 space of padding, then 1.0 and −2.0 as little-endian F32 (0x3F800000, 0xC0000000).
    func testEncodedBytesForAHandWrittenCase() throws {
        let file = try SafetensorsFile(tensors: [("w", Tensor([1, -2]))], metadata: ["k": "v"])
        let json = #"{"__metadata__":{"k":"v"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        XCTAssertEqual(json.utf8.count, 79)
        var expected: [UInt8] = [80, 0, 0, 0, 0, 0, 0, 0] + Array(json.utf8) + [0x20]
        expected += [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0]
        XCTAssertEqual([UInt8](file.encoded()), expected)
    }

    /// Values from make_fixture.py, exact: arange(8)·0.5 − 1, [0.25, −0.125], Float32(1/3), … .
    func testReadsTheFileWrittenByPythonSafetensors() throws {
        let file = try SafetensorsFile(contentsOf: try fixture("python_written"))
        XCTAssertEqual(file.names, ["empty", "head.weight", "step", "trunk.0.bias", "trunk.0.weight"])
        XCTAssertEqual(file["trunk.0.weight"], Tensor(shape: [2, 1, 2, 2], scalars: [-1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5]))
        XCTAssertEqual(file["trunk.0.bias"], Tensor([0.25, -0.125]))
        XCTAssertEqual(file["head.weight"], Tensor(shape: [1, 3], scalars: [Float(1.0 / 3.0), Float(-2.0 / 3.0), Float(1e-7)]))
        XCTAssertEqual(file["step"], Tensor(42))
        XCTAssertEqual(file["step"]?.shape, [])
        XCTAssertEqual(file["empty"]?.shape, [0])
        XCTAssertEqual(file.metadata, ["format": "pt"])
    }

    /// Lattice's writer lays the file out exactly as the reference writer does (same header order,
    /// same JSON spelling, same padding), so re-encoding the Python file gives the same bytes.
    /// Both fixtures: plain, and one whose metadata needs JSON escapes and holds non-ASCII text.
    func testWriterReproducesTheReferenceWriterByteForByte() throws {
        for name in ["python_written", "python_escapes"] {
            let original = try Data(contentsOf: try fixture(name))
            let file = try SafetensorsFile(data: original)
            let rewritten = try SafetensorsFile(tensors: file.tensors.map { ($0.name, $0.tensor) }, metadata: file.metadata)
            XCTAssertEqual([UInt8](rewritten.encoded()), [UInt8](original), name)
        }
    }

    func testReadsEscapedMetadataFromPython() throws {
        let file = try SafetensorsFile(contentsOf: try fixture("python_escapes"))
        XCTAssertEqual(file.metadata, ["quote\"and\\slash": "line\nbreak\ttab \u{E9} \u{2713} \u{1}"])
        XCTAssertEqual(file.names, ["a.x", "b"])
        XCTAssertEqual(file["a.x"], Tensor(shape: [1, 1], scalars: [3]))
        XCTAssertEqual(file["b"], Tensor([1, 2]))
    }

    func testRefusesThePythonFloat16File() throws {
        XCTAssertThrowsError(try SafetensorsFile(contentsOf: try fixture("python_f16"))) { error in
            XCTAssertEqual(error as? CheckpointError, .unsupportedDType(tensor: "half", dtype: "F16"))
            XCTAssertTrue("\(error)".contains("F16"))
        }
    }

    // MARK: Malformed files

    /// A file with `header` (unpadded) and `data` bytes; `length` overrides the stated header length.
    func file(_ header: String, data: [UInt8] = [], length: UInt64? = nil) -> Data {
        let h = Array(header.utf8)
        let n = length ?? UInt64(h.count)
        return Data((0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * UInt64($0))) } + h + data)
    }

    func entry(_ name: String, _ shape: [Int], _ begin: Int, _ end: Int, dtype: String = "F32") -> String {
        #""\#(name)":{"dtype":"\#(dtype)","shape":[\#(shape.map(String.init).joined(separator: ","))],"data_offsets":[\#(begin),\#(end)]}"#
    }

    func assertRefused(_ data: Data, _ expected: CheckpointError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SafetensorsFile(data: data), file: file, line: line) { error in
            XCTAssertEqual(error as? CheckpointError, expected, "\(error)", file: file, line: line)
        }
    }

    func assertInvalidHeader(_ data: Data, mentioning word: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SafetensorsFile(data: data), file: file, line: line) { error in
            guard case .invalidHeader? = error as? CheckpointError else {
                return XCTFail("expected invalidHeader, got \(error)", file: file, line: line)
            }
            XCTAssertTrue("\(error)".contains(word), "\(error)", file: file, line: line)
        }
    }

    func testTheValidBaseCaseIsAccepted() throws {
        let ok = try SafetensorsFile(data: file("{\(entry("a", [1], 0, 4)),\(entry("b", [2], 4, 12))}", data: Array(repeating: 0, count: 12)))
        XCTAssertEqual(ok.names, ["a", "b"])
        // "__metadata__": null is allowed (no metadata).
        XCTAssertEqual(try SafetensorsFile(data: file(#"{"__metadata__":null}"#)).metadata, [:])
        // A slice of a larger buffer (its indices do not start at 0) reads the same.
        let good = file("{\(entry("a", [1], 0, 4))}", data: [0, 0, 0x80, 0x3F])
        let slice = (Data([9, 9, 9]) + good).dropFirst(3)
        XCTAssertEqual(try SafetensorsFile(data: slice)["a"], Tensor([1]))
    }

    func testRefusesTruncatedFiles() {
        assertRefused(Data([1, 2, 3, 4, 5]), .truncated(fileSize: 5))
        assertRefused(Data(), .truncated(fileSize: 0))
    }

    func testRefusesAbsurdHeaderLengths() {
        assertRefused(file("{}", length: 200_000_000), .headerTooLarge(length: 200_000_000))
        assertRefused(file("{}", length: UInt64.max), .headerTooLarge(length: UInt64.max))
        // 100 bytes stated, 2 present.
        assertRefused(file("{}", length: 100), .headerBeyondFile(length: 100, fileSize: 10))
    }

    func testRefusesInvalidJSON() {
        assertInvalidHeader(file(#"{"a": "#), mentioning: "not valid JSON")
        assertInvalidHeader(file(#"{"a":{"dtype":"F32",}}"#), mentioning: "not valid JSON")
        assertInvalidHeader(file("[1, 2]"), mentioning: "not a JSON object")
        assertInvalidHeader(file("{} x"), mentioning: "not valid JSON")
        assertInvalidHeader(file(#"{"__metadata__":{"k":1}}"#), mentioning: "__metadata__")
        assertInvalidHeader(file(#"{"a":{"dtype":"F32","shape":[1]}}"#, data: [0, 0, 0, 0]), mentioning: "data_offsets")
        assertInvalidHeader(file(#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#), mentioning: "shape")
        // Bytes that are not UTF-8 inside a string.
        var bad = [UInt8](file(#"{"__metadata__":{"k":"??"}}"#))
        bad[bad.count - 5] = 0xFF
        assertInvalidHeader(Data(bad), mentioning: "UTF-8")
    }

    func testRefusesOtherDTypesNamingThem() {
        assertRefused(file("{\(entry("w", [1], 0, 8, dtype: "F64"))}", data: Array(repeating: 0, count: 8)),
                      .unsupportedDType(tensor: "w", dtype: "F64"))
    }

    func testRefusesGapsOverlapsAndOutOfRangeOffsets() {
        let twelve = [UInt8](repeating: 0, count: 12)
        assertRefused(file("{\(entry("a", [1], 0, 4)),\(entry("b", [1], 8, 12))}", data: twelve),
                      .offsetGap(tensor: "b", expectedBegin: 4, begin: 8))
        assertRefused(file("{\(entry("a", [1], 4, 8)),\(entry("b", [1], 8, 12))}", data: twelve),
                      .offsetGap(tensor: "a", expectedBegin: 0, begin: 4))
        assertRefused(file("{\(entry("a", [2], 0, 8)),\(entry("b", [1], 4, 8))}", data: twelve),
                      .offsetOverlap(tensor: "b", expectedBegin: 8, begin: 4))
        assertRefused(file("{\(entry("a", [2], 0, 8))}", data: [0, 0, 0, 0]),
                      .offsetsOutOfRange(tensor: "a", begin: 0, end: 8, bufferSize: 4))
        assertRefused(file("{\(entry("a", [1], 8, 4))}", data: twelve),
                      .offsetsOutOfRange(tensor: "a", begin: 8, end: 4, bufferSize: 12))
    }

    func testRefusesShapeNotMatchingTheByteRange() {
        assertRefused(file("{\(entry("a", [3], 0, 8))}", data: Array(repeating: 0, count: 8)),
                      .sizeMismatch(tensor: "a", shape: [3], byteCount: 8))
        // An extent so large that shape × 4 overflows.
        assertRefused(file("{\(entry("a", [Int.max / 2, 4], 0, 8))}", data: Array(repeating: 0, count: 8)),
                      .sizeMismatch(tensor: "a", shape: [Int.max / 2, 4], byteCount: 8))
    }

    func testRefusesDuplicateNames() {
        assertRefused(file("{\(entry("a", [1], 0, 4)),\(entry("a", [1], 4, 8))}", data: Array(repeating: 0, count: 8)),
                      .duplicateName("a"))
        XCTAssertThrowsError(try SafetensorsFile(tensors: [("x", Tensor([1])), ("x", Tensor([2]))])) { error in
            XCTAssertEqual(error as? CheckpointError, .duplicateName("x"))
        }
    }

    func testRefusesUncoveredTrailingBytes() {
        assertRefused(file("{\(entry("a", [1], 0, 4))}", data: Array(repeating: 0, count: 8)), .trailingBytes(count: 4))
        assertRefused(file("{}", data: [1]), .trailingBytes(count: 1))
    }

    func testMissingFileIsAnError() {
        XCTAssertThrowsError(try SafetensorsFile(contentsOf: directory.appendingPathComponent("nope.safetensors"))) { error in
            guard case .cannotRead? = error as? CheckpointError else { return XCTFail("\(error)") }
        }
    }

    // MARK: Writing

    func testAtomicWriteReplacesAndLeavesNoTemporaryFiles() throws {
        let url = directory.appendingPathComponent("ckpt.safetensors")
        try SafetensorsFile(tensors: [("a", Tensor([1]))]).write(to: url)
        try SafetensorsFile(tensors: [("a", Tensor([2, 3]))]).write(to: url)
        XCTAssertEqual(try SafetensorsFile(contentsOf: url)["a"], Tensor([2, 3]))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["ckpt.safetensors"])
    }

    func testWriteIntoAMissingDirectoryIsAnError() {
        let url = directory.appendingPathComponent("missing/ckpt.safetensors")
        XCTAssertThrowsError(try SafetensorsFile(tensors: [("a", Tensor([1]))]).write(to: url)) { error in
            guard case .cannotWrite? = error as? CheckpointError else { return XCTFail("\(error)") }
        }
    }
}
