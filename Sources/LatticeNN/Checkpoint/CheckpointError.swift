/// Why a checkpoint could not be written, read or loaded into parameters. Each message names the
/// problem and, where there is one, the fix.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case cannotRead(path: String, reason: String)
    /// The file could not be written (or renamed into place).
    case cannotWrite(path: String, reason: String)
    /// The file is shorter than the 8-byte header length that starts every safetensors file.
    case truncated(fileSize: Int)
    /// The header length is over the 100 MB limit (as the reference parser refuses).
    case headerTooLarge(length: UInt64)
    /// The header length points past the end of the file.
    case headerBeyondFile(length: UInt64, fileSize: Int)
    /// The header is not valid UTF-8 JSON of the expected structure.
    case invalidHeader(reason: String)
    /// A tensor in a dtype Lattice does not read (only F32).
    case unsupportedDType(tensor: String, dtype: String)
    /// A tensor name appears twice (in a header, or in what was given to the writer).
    case duplicateName(String)
    /// A tensor's data range starts after the end of the previous one (unreferenced bytes between them).
    case offsetGap(tensor: String, expectedBegin: Int, begin: Int)
    /// A tensor's data range starts before the end of the previous one.
    case offsetOverlap(tensor: String, expectedBegin: Int, begin: Int)
    /// A tensor's data range is reversed or reaches past the end of the data buffer.
    case offsetsOutOfRange(tensor: String, begin: Int, end: Int, bufferSize: Int)
    /// A tensor's shape × 4 bytes differs from the length of its data range.
    case sizeMismatch(tensor: String, shape: [Int], byteCount: Int)
    /// Bytes at the end of the data buffer that no tensor covers.
    case trailingBytes(count: Int)
    /// A parameter has no tensor of its name in the checkpoint.
    case missingTensor(name: String, available: [String])
    /// A checkpoint tensor's shape differs from its parameter's.
    case shapeMismatch(name: String, parameterShape: [Int], checkpointShape: [Int])

    /// A message that names the problem and, where there is one, the fix.
    public var description: String {
        switch self {
        case let .cannotRead(path, reason):
            return "cannot read checkpoint '\(path)': \(reason)"
        case let .cannotWrite(path, reason):
            return "cannot write checkpoint '\(path)': \(reason); check that the directory exists and is writable"
        case let .truncated(size):
            return "safetensors: truncated file of \(size) bytes (needs at least the 8-byte header length)"
        case let .headerTooLarge(length):
            return "safetensors: header length \(length) bytes is over the 100 MB limit; the file is corrupt or not safetensors"
        case let .headerBeyondFile(length, size):
            return "safetensors: header length \(length) bytes runs past the end of the \(size)-byte file; "
                + "the file is truncated or not safetensors"
        case let .invalidHeader(reason):
            return "safetensors: invalid header: \(reason)"
        case let .unsupportedDType(tensor, dtype):
            return "safetensors: tensor '\(tensor)' has dtype \(dtype); Lattice reads only F32 "
                + "(convert it before saving, e.g. tensor.float() in PyTorch)"
        case let .duplicateName(name):
            return "safetensors: tensor name '\(name)' appears more than once; names must be unique"
        case let .offsetGap(tensor, expected, begin):
            return "safetensors: tensor '\(tensor)' data starts at byte \(begin), leaving a gap after byte \(expected) "
                + "(tensors must be packed)"
        case let .offsetOverlap(tensor, expected, begin):
            return "safetensors: tensor '\(tensor)' data starts at byte \(begin), overlapping the previous tensor "
                + "which ends at byte \(expected)"
        case let .offsetsOutOfRange(tensor, begin, end, size):
            return "safetensors: tensor '\(tensor)' data_offsets [\(begin), \(end)] are out of range "
                + "for a data buffer of \(size) bytes"
        case let .sizeMismatch(tensor, shape, bytes):
            let needed = shape.reduce(4) { $0.multipliedReportingOverflow(by: $1).partialValue }
            return "safetensors: tensor '\(tensor)' of shape \(shape) needs \(needed) bytes (4 per F32 scalar) "
                + "but its data_offsets cover \(bytes)"
        case let .trailingBytes(count):
            return "safetensors: \(count) bytes at the end of the data buffer belong to no tensor"
        case let .missingTensor(name, available):
            let shown = available.prefix(20).joined(separator: ", ")
            return "checkpoint has no tensor '\(name)'; it has: \(shown)\(available.count > 20 ? ", …" : "")"
        case let .shapeMismatch(name, parameterShape, checkpointShape):
            return "checkpoint tensor '\(name)' has shape \(checkpointShape) but the parameter has shape \(parameterShape); "
                + "was it saved from a different model configuration?"
        }
    }
}
