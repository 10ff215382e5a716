/// A minimal protobuf encoder for the few TensorBoard messages Lattice writes (no dependency).
///
/// Each field is a key varint `(fieldNumber << 3) | wireType` then the value: wire type 0 varint,
/// 1 fixed 64-bit little-endian, 2 length-delimited, 5 fixed 32-bit little-endian.
public struct ProtobufWriter: Sendable {
    /// The encoded bytes so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty message.
    public init() {}

    /// Appends `value` as a base-128 varint (7 bits a byte, low first, high bit = more follows).
    public mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    private mutating func key(_ field: Int, _ wireType: Int) { appendVarint(UInt64(field << 3 | wireType)) }

    /// An int64/int32/uint field (negative values take 10 bytes, as protobuf's int64 does).
    public mutating func int(_ field: Int, _ value: Int64) {
        key(field, 0)
        appendVarint(UInt64(bitPattern: value))
    }

    /// A double field (fixed 64-bit).
    public mutating func double(_ field: Int, _ value: Double) {
        key(field, 1)
        appendFixed64(value.bitPattern)
    }

    /// A float field (fixed 32-bit).
    public mutating func float(_ field: Int, _ value: Float) {
        key(field, 5)
        let bits = value.bitPattern
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt32(i)))) }
    }

    /// A bytes field.
    public mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, 2)
        appendVarint(UInt64(value.count))
        bytes += value
    }

    /// A string field (UTF-8).
    public mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

    /// An embedded message field.
    public mutating func message(_ field: Int, _ value: ProtobufWriter) { bytes(field, value.bytes) }

    /// A packed repeated double field.
    public mutating func packedDoubles(_ field: Int, _ values: [Double]) {
        key(field, 2)
        appendVarint(UInt64(values.count * 8))
        for v in values { appendFixed64(v.bitPattern) }
    }

    private mutating func appendFixed64(_ bits: UInt64) {
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
    }
}
