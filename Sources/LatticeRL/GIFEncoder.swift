/// Why a GIF could not be written.
public enum GIFError: Error, Equatable, CustomStringConvertible {
    /// No frames were given.
    case noFrames
    /// A frame's size differs from the first frame's.
    case frameSizeMismatch(index: Int, width: Int, height: Int, expectedWidth: Int, expectedHeight: Int)
    /// A side is zero or exceeds GIF's 65,535 pixels.
    case invalidSize(width: Int, height: Int)

    /// What went wrong and how to fix it.
    public var description: String {
        switch self {
        case .noFrames:
            return "GIF: no frames to write; record at least one rendered frame"
        case .frameSizeMismatch(let i, let w, let h, let ew, let eh):
            return "GIF: frame \(i) is \(w)×\(h) but frame 0 is \(ew)×\(eh); every frame of an animation must have one size"
        case .invalidSize(let w, let h):
            return "GIF: a \(w)×\(h) frame cannot be stored; sides must be 1...65535 pixels (lower the scale)"
        }
    }
}

/// Writes animated GIFs (GIF89a) with no library.
///
/// File layout: header `GIF89a`; logical screen descriptor with a global colour table (`GIFPalette`:
/// exact for ≤ 256 colours, else a 6×7×6 cube); the `NETSCAPE2.0` application extension (loop count,
/// 0 = forever); then per frame a graphic control extension (delay in 1/100 s, disposal "do not
/// dispose"), an image descriptor covering the whole screen, the LZW minimum code size and the LZW data in
/// sub-blocks of at most 255 bytes ended by a zero-length block; finally the trailer `0x3B`.
///
/// LZW (GIF's variant): codes are packed least-significant bit first, starting at `minCodeSize + 1` bits;
/// the stream opens with a clear code `2^minCodeSize` and ends with end-of-information `clear + 1`. After a
/// code is written, if the next free table code has reached `2^size` the size grows by one bit (at most
/// 12); when all 4096 codes are in use a clear code is written and the table starts over.
public enum GIFEncoder {
    /// The GIF bytes of `frames` (all one size), each shown for `delay` hundredths of a second, each pixel
    /// drawn as a `scale × scale` block, looping `loopCount` times (0 = forever).
    public static func encode(frames: [Frame], delay: Int = 10, scale: Int = 1, loopCount: Int = 0) throws -> [UInt8] {
        guard let first = frames.first else { throw GIFError.noFrames }
        for (i, f) in frames.enumerated() where f.width != first.width || f.height != first.height {
            throw GIFError.frameSizeMismatch(index: i, width: f.width, height: f.height,
                                             expectedWidth: first.width, expectedHeight: first.height)
        }
        let s = max(1, scale)
        let width = first.width * s, height = first.height * s
        guard width >= 1, height >= 1, width <= 65535, height <= 65535 else {
            throw GIFError.invalidSize(width: width, height: height)
        }
        let palette = GIFPalette(for: frames)
        let sizeField = palette.tableSizeField
        let minCodeSize = max(2, sizeField + 1)

        var out: [UInt8] = Array("GIF89a".utf8)
        out.reserveCapacity(1024 + frames.count * (width * height / 2))
        appendUInt16(width, to: &out)
        appendUInt16(height, to: &out)
        out.append(0x80 | UInt8(sizeField) << 4 | UInt8(sizeField))  // global table, colour resolution, size
        out.append(0)  // background colour index
        out.append(0)  // pixel aspect ratio: unspecified
        out += palette.colors
        out += [UInt8](repeating: 0, count: 3 * (1 << (sizeField + 1)) - palette.colors.count)

        out += [0x21, 0xFF, 0x0B] + Array("NETSCAPE2.0".utf8) + [0x03, 0x01]
        appendUInt16(min(max(loopCount, 0), 65535), to: &out)
        out.append(0)

        for frame in frames {
            out += [0x21, 0xF9, 0x04, 0x04]  // graphic control: disposal 1 (do not dispose), no transparency
            appendUInt16(min(max(delay, 0), 65535), to: &out)
            out += [0x00, 0x00]  // transparent index (unused), block terminator
            out.append(0x2C)  // image descriptor
            appendUInt16(0, to: &out)
            appendUInt16(0, to: &out)
            appendUInt16(width, to: &out)
            appendUInt16(height, to: &out)
            out.append(0)  // no local colour table, not interlaced
            out.append(UInt8(minCodeSize))
            let indices = upscaled(palette.indices(of: frame), width: frame.width, height: frame.height, scale: s)
            appendSubBlocks(lzwCompress(indices, minCodeSize: minCodeSize), to: &out)
        }
        out.append(0x3B)
        return out
    }

    /// GIF's LZW code stream (before sub-blocking) of palette `indices`, each `< 2^minCodeSize`
    /// (`minCodeSize` ∈ 2...8): clear code first, end-of-information last, codes packed LSB first.
    public static func lzwCompress(_ indices: [UInt8], minCodeSize: Int) -> [UInt8] {
        precondition((2...8).contains(minCodeSize), "LZW minimum code size must be 2...8, got \(minCodeSize)")
        let clear = 1 << minCodeSize, endOfInformation = clear + 1
        var writer = BitWriter()
        var table = LZWTable()
        var size = minCodeSize + 1
        var next = clear + 2
        writer.write(clear, bits: size)
        guard var prefix = indices.first.map(Int.init) else {
            writer.write(endOfInformation, bits: size)
            return writer.finish()
        }
        for k in indices.dropFirst() {
            let key = prefix << 8 | Int(k)
            if let code = table.code(for: key) {
                prefix = code
                continue
            }
            writer.write(prefix, bits: size)
            if next >= 1 << size && size < 12 { size += 1 }
            if next == 4096 {
                writer.write(clear, bits: size)
                table.removeAll()
                size = minCodeSize + 1
                next = clear + 2
            } else {
                table.insert(key, code: next)
                next += 1
            }
            prefix = Int(k)
        }
        writer.write(prefix, bits: size)
        if next >= 1 << size && size < 12 { size += 1 }
        writer.write(endOfInformation, bits: size)
        return writer.finish()
    }

    /// Nearest-neighbour upscaling of a `width × height` index image by `scale`.
    static func upscaled(_ indices: [UInt8], width: Int, height: Int, scale: Int) -> [UInt8] {
        guard scale > 1 else { return indices }
        var out = [UInt8](repeating: 0, count: width * height * scale * scale)
        let outWidth = width * scale
        for y in 0..<(height * scale) {
            let src = (y / scale) * width
            for x in 0..<outWidth { out[y * outWidth + x] = indices[src + x / scale] }
        }
        return out
    }

    static func appendUInt16(_ v: Int, to out: inout [UInt8]) {
        out.append(UInt8(v & 0xFF))
        out.append(UInt8((v >> 8) & 0xFF))
    }

    /// `data` as sub-blocks of ≤ 255 bytes, each preceded by its length, then a zero-length terminator.
    static func appendSubBlocks(_ data: [UInt8], to out: inout [UInt8]) {
        var i = 0
        while i < data.count {
            let n = min(255, data.count - i)
            out.append(UInt8(n))
            out += data[i..<(i + n)]
            i += n
        }
        out.append(0)
    }
}

/// Packs variable-width codes least-significant bit first.
private struct BitWriter {
    var bytes: [UInt8] = []
    var buffer: UInt32 = 0
    var count = 0

    mutating func write(_ code: Int, bits: Int) {
        buffer |= UInt32(code) << UInt32(count)
        count += bits
        while count >= 8 {
            bytes.append(UInt8(buffer & 0xFF))
            buffer >>= 8
            count -= 8
        }
    }

    mutating func finish() -> [UInt8] {
        if count > 0 { bytes.append(UInt8(buffer & 0xFF)) }
        buffer = 0
        count = 0
        return bytes
    }
}

/// The LZW string table: open addressing from `prefix·256 + byte` to its code (at most 4096 entries in a
/// table of 8192 slots, so probes stay short).
private struct LZWTable {
    static let slots = 8192
    var keys = [Int32](repeating: -1, count: slots)
    var codes = [Int16](repeating: 0, count: slots)

    func code(for key: Int) -> Int? {
        var h = ((key &* 0x9E37_79B1) >> 12) & (LZWTable.slots - 1)
        while keys[h] >= 0 {
            if Int(keys[h]) == key { return Int(codes[h]) }
            h = (h + 1) & (LZWTable.slots - 1)
        }
        return nil
    }

    mutating func insert(_ key: Int, code: Int) {
        var h = ((key &* 0x9E37_79B1) >> 12) & (LZWTable.slots - 1)
        while keys[h] >= 0 { h = (h + 1) & (LZWTable.slots - 1) }
        keys[h] = Int32(key)
        codes[h] = Int16(code)
    }

    mutating func removeAll() {
        for i in 0..<LZWTable.slots { keys[i] = -1 }
    }
}
