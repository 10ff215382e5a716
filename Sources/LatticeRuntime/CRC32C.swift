/// CRC-32C (Castagnoli), as TFRecord framing uses it: reflected polynomial 0x82F63B78, initial value
/// and final xor 0xFFFFFFFF, one 256-entry table, one byte per step.
/// Check value: CRC-32C("123456789") = 0xE3069283.
public enum CRC32C {
    /// The byte table: table[n] = CRC of the single byte n with the reflected polynomial.
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        return c
    }

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { t in
            for b in bytes { crc = t[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc ^ 0xFFFF_FFFF
    }

    /// TFRecord's masked CRC: ((crc >> 15) | (crc << 17)) + 0xA282EAD8, wrapping at 32 bits.
    public static func masked(_ bytes: some Sequence<UInt8>) -> UInt32 {
        let crc = checksum(bytes)
        return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }
}
