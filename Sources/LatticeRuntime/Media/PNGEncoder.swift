import CZlib
import Foundation

/// Encodes 8-bit RGB or RGBA images as PNG: signature, IHDR, one IDAT holding the zlib stream of rows
/// each prefixed with filter byte 0, and IEND; chunk CRCs are zlib's `crc32` over type + data.
public enum PNGEncoder {
    /// Why an image could not be encoded.
    public struct EncodingError: Error, CustomStringConvertible {
        public var description: String
    }

    /// PNG bytes for `pixels` (`width × height × channels` bytes, rows top to bottom); channels 1, 3 or 4.
    public static func encode(width: Int, height: Int, channels: Int = 3, pixels: [UInt8]) throws -> Data {
        guard width > 0, height > 0, [1, 3, 4].contains(channels), pixels.count == width * height * channels else {
            throw EncodingError(description: "PNG: \(pixels.count) bytes do not make a \(width)×\(height) image with \(channels) channels")
        }
        var raw = [UInt8]()
        raw.reserveCapacity((width * channels + 1) * height)
        for y in 0..<height {
            raw.append(0)
            raw.append(contentsOf: pixels[(y * width * channels)..<((y + 1) * width * channels)])
        }
        var compressedLength = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(compressedLength))
        let status = compress2(&compressed, &compressedLength, raw, uLong(raw.count), 6)
        guard status == Z_OK else { throw EncodingError(description: "PNG: zlib compress2 failed with status \(status)") }
        compressed.removeSubrange(Int(compressedLength)...)

        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header.append(contentsOf: [8, channels == 1 ? 0 : (channels == 3 ? 2 : 6), 0, 0, 0])
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", Data(compressed), to: &png)
        appendChunk("IEND", Data(), to: &png)
        return png
    }

    static func appendChunk(_ type: String, _ data: Data, to png: inout Data) {
        png.appendBigEndian(UInt32(data.count))
        let body = Data(type.utf8) + data
        png.append(body)
        let crc = body.withUnsafeBytes { crc32(0, $0.bindMemory(to: UInt8.self).baseAddress, uInt(body.count)) }
        png.appendBigEndian(UInt32(crc))
    }
}

extension Data {
    mutating func appendBigEndian(_ v: UInt32) {
        append(contentsOf: [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)])
    }
}
