import Foundation
import LatticeTensor

/// The contents of a safetensors file (Hugging Face's format, readable by PyTorch and JAX users):
/// named F32 tensors and a string-to-string metadata map.
///
/// Layout: a u64 little-endian header length N, N bytes of UTF-8 JSON mapping each tensor name to
/// `{"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}` (byte offsets into the data buffer
/// that follows, end exclusive) plus an optional `"__metadata__"` of strings, then the data buffer
/// (little-endian, row-major, packed). The reader refuses what the reference parser refuses — gaps or
/// overlaps between ranges, uncovered trailing bytes, a range that does not match shape × 4 bytes,
/// duplicate names, a header over 100 MB — and any dtype other than F32, with a `CheckpointError`.
public struct SafetensorsFile: Sendable {
    /// The largest header accepted (100 MB, as the reference implementation).
    public static let maximumHeaderLength: UInt64 = 100_000_000

    /// The tensors in data-buffer order.
    public private(set) var tensors: [(name: String, tensor: Tensor)]
    /// The `__metadata__` map (empty when absent).
    public var metadata: [String: String]
    private var index: [String: Int]

    /// The tensor names in data-buffer order.
    public var names: [String] { tensors.map(\.name) }

    /// The tensor called `name`, if any.
    public subscript(_ name: String) -> Tensor? { index[name].map { tensors[$0].tensor } }

    /// Reads and validates the file at `url`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CheckpointError.cannotRead(path: url.path, reason: error.localizedDescription)
        }
        try self.init(data: data)
    }

    /// Parses and validates safetensors bytes.
    public init(data: Data) throws {
        let fileSize = data.count
        guard fileSize >= 8 else { throw CheckpointError.truncated(fileSize: fileSize) }
        var length: UInt64 = 0
        for (i, b) in data.prefix(8).enumerated() { length |= UInt64(b) << (8 * UInt64(i)) }
        guard length <= SafetensorsFile.maximumHeaderLength else { throw CheckpointError.headerTooLarge(length: length) }
        guard 8 + length <= UInt64(fileSize) else {
            throw CheckpointError.headerBeyondFile(length: length, fileSize: fileSize)
        }
        let headerEnd = 8 + Int(length)
        let bufferSize = fileSize - headerEnd
        let header = [UInt8](data[(data.startIndex + 8)..<(data.startIndex + headerEnd)])
        let entries = try SafetensorsFile.parseHeader(header, bufferSize: bufferSize)

        // Ranges must tile the buffer exactly: sorted by start, each begins where the previous ended.
        let sorted = entries.tensors.sorted { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var expected = 0
        for e in sorted {
            guard e.begin <= e.end, e.end <= bufferSize else {
                throw CheckpointError.offsetsOutOfRange(tensor: e.name, begin: e.begin, end: e.end, bufferSize: bufferSize)
            }
            if e.begin > expected { throw CheckpointError.offsetGap(tensor: e.name, expectedBegin: expected, begin: e.begin) }
            if e.begin < expected { throw CheckpointError.offsetOverlap(tensor: e.name, expectedBegin: expected, begin: e.begin) }
            expected = e.end
        }
        if expected < bufferSize { throw CheckpointError.trailingBytes(count: bufferSize - expected) }

        var loaded: [(name: String, tensor: Tensor)] = []
        var loadedIndex: [String: Int] = [:]
        loaded.reserveCapacity(sorted.count)
        data.withUnsafeBytes { raw in
            for e in sorted {
                let tensor = Tensor(shape: e.shape) { out in
                    guard !out.isEmpty else { return }
                    UnsafeMutableRawBufferPointer(out).copyMemory(
                        from: UnsafeRawBufferPointer(rebasing: raw[(headerEnd + e.begin)..<(headerEnd + e.end)]))
                    #if _endian(big)
                    for i in out.indices { out[i] = Float(bitPattern: UInt32(littleEndian: out[i].bitPattern)) }
                    #endif
                }
                loadedIndex[e.name] = loaded.count
                loaded.append((e.name, tensor))
            }
        }
        tensors = loaded
        index = loadedIndex
        metadata = entries.metadata
    }

    /// A file value built from tensors (for writing); names must be unique.
    public init(tensors: [(String, Tensor)], metadata: [String: String] = [:]) throws {
        self.tensors = []
        self.metadata = metadata
        index = [:]
        for (name, tensor) in tensors {
            guard name != "__metadata__" else {
                throw CheckpointError.invalidHeader(reason: "'__metadata__' is reserved and cannot name a tensor")
            }
            guard index[name] == nil else { throw CheckpointError.duplicateName(name) }
            index[name] = self.tensors.count
            self.tensors.append((name, tensor))
        }
    }

    struct Entry { var name: String; var shape: [Int]; var begin: Int; var end: Int }

    /// Decodes and checks the JSON header: structure, dtypes, shapes against their byte ranges.
    static func parseHeader(_ header: [UInt8], bufferSize: Int) throws -> (tensors: [Entry], metadata: [String: String]) {
        let json: SafetensorsJSON
        do { json = try SafetensorsJSON.parse(header) } catch let d as SafetensorsJSON.DuplicateKey {
            if d.topLevel { throw CheckpointError.duplicateName(d.key) }
            throw CheckpointError.invalidHeader(reason: "duplicate key '\(d.key)' inside an entry")
        } catch let s as SafetensorsJSON.SyntaxError {
            throw CheckpointError.invalidHeader(reason: "not valid JSON: \(s.message)")
        }
        guard case let .object(members) = json else {
            throw CheckpointError.invalidHeader(reason: "the header is \(json.kind), not a JSON object")
        }
        var entries: [Entry] = []
        var metadata: [String: String] = [:]
        for (name, value) in members {
            if name == "__metadata__" {
                if value == .null { continue }
                guard case let .object(pairs) = value else {
                    throw CheckpointError.invalidHeader(reason: "__metadata__ is \(value.kind), not an object of strings")
                }
                for (key, v) in pairs {
                    guard case let .string(s) = v else {
                        throw CheckpointError.invalidHeader(reason: "__metadata__ value for '\(key)' is \(v.kind), not a string")
                    }
                    metadata[key] = s
                }
                continue
            }
            entries.append(try entry(name, value, bufferSize: bufferSize))
        }
        return (entries, metadata)
    }

    private static func entry(_ name: String, _ value: SafetensorsJSON, bufferSize: Int) throws -> Entry {
        guard case let .object(fields) = value else {
            throw CheckpointError.invalidHeader(reason: "entry '\(name)' is \(value.kind), not an object")
        }
        func field(_ key: String) throws -> SafetensorsJSON {
            guard let v = fields.first(where: { $0.0 == key })?.1 else {
                throw CheckpointError.invalidHeader(reason: "entry '\(name)' has no \"\(key)\"")
            }
            return v
        }
        guard case let .string(dtype) = try field("dtype") else {
            throw CheckpointError.invalidHeader(reason: "entry '\(name)' has a dtype that is not a string")
        }
        guard case let .array(shapeItems) = try field("shape") else {
            throw CheckpointError.invalidHeader(reason: "entry '\(name)' has a shape that is not an array")
        }
        let shape = try shapeItems.map { item -> Int in
            guard let d = item.nonNegativeInt else {
                throw CheckpointError.invalidHeader(reason: "entry '\(name)' has a shape extent that is not a non-negative integer")
            }
            return d
        }
        guard case let .array(offsetItems) = try field("data_offsets"), offsetItems.count == 2,
              let begin = offsetItems[0].nonNegativeInt, let end = offsetItems[1].nonNegativeInt
        else {
            throw CheckpointError.invalidHeader(reason: "entry '\(name)' needs data_offsets [begin, end] of non-negative integers")
        }
        guard dtype == "F32" else { throw CheckpointError.unsupportedDType(tensor: name, dtype: dtype) }
        guard end >= begin else {
            throw CheckpointError.offsetsOutOfRange(tensor: name, begin: begin, end: end, bufferSize: bufferSize)
        }
        var bytes = 4
        for d in shape {
            let (p, overflow) = bytes.multipliedReportingOverflow(by: d)
            guard !overflow else { throw CheckpointError.sizeMismatch(tensor: name, shape: shape, byteCount: end - begin) }
            bytes = p
        }
        guard bytes == end - begin else {
            throw CheckpointError.sizeMismatch(tensor: name, shape: shape, byteCount: end - begin)
        }
        return Entry(name: name, shape: shape, begin: begin, end: end)
    }
}
