/// A small GIF decoder written from the GIF89a specification, independent of `GIFEncoder`, to check it.
/// Handles what the tests need: a global colour table, extensions, full-screen images without local tables.
enum TestGIFDecoder {
    struct Decoded {
        var width = 0, height = 0
        var palette: [UInt8] = []
        var loopCount: Int? = nil
        var delays: [Int] = []
        /// RGB bytes per frame.
        var frames: [[UInt8]] = []
        /// Palette indices per frame.
        var indexFrames: [[UInt8]] = []
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    static func decode(_ b: [UInt8]) throws -> Decoded {
        var d = Decoded()
        guard b.count > 13, Array(b[0..<6]) == Array("GIF89a".utf8) else { throw Failure(description: "no GIF89a header") }
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        d.width = u16(6); d.height = u16(8)
        let packed = b[10]
        var p = 13
        if packed & 0x80 != 0 {
            let n = 1 << (Int(packed & 7) + 1)
            d.palette = Array(b[p..<(p + 3 * n)])
            p += 3 * n
        }
        func subBlocks() throws -> [UInt8] {
            var data: [UInt8] = []
            while true {
                guard p < b.count else { throw Failure(description: "truncated sub-blocks") }
                let n = Int(b[p]); p += 1
                if n == 0 { return data }
                data += b[p..<(p + n)]; p += n
            }
        }
        while p < b.count {
            switch b[p] {
            case 0x21:
                let label = b[p + 1]; p += 2
                let data = try subBlocks()
                if label == 0xF9 { d.delays.append(Int(data[1]) | Int(data[2]) << 8) }
                if label == 0xFF, String(decoding: data[0..<11], as: UTF8.self) == "NETSCAPE2.0" {
                    d.loopCount = Int(data[12]) | Int(data[13]) << 8
                }
            case 0x2C:
                let w = u16(p + 5), h = u16(p + 7)
                guard w == d.width, h == d.height, b[p + 9] & 0x80 == 0 else { throw Failure(description: "unsupported image descriptor") }
                p += 10
                let minCodeSize = Int(b[p]); p += 1
                let indices = try lzwDecode(try subBlocks(), minCodeSize: minCodeSize)
                guard indices.count == w * h else { throw Failure(description: "LZW gave \(indices.count) pixels for \(w)×\(h)") }
                d.indexFrames.append(indices)
                d.frames.append(indices.flatMap { Array(d.palette[(3 * Int($0))..<(3 * Int($0) + 3)]) })
            case 0x3B:
                return d
            default:
                throw Failure(description: "unknown block 0x\(String(b[p], radix: 16)) at \(p)")
            }
        }
        throw Failure(description: "no trailer")
    }

    /// Decodes GIF LZW: codes LSB first, width grows when the table's next free code reaches 2^width.
    static func lzwDecode(_ data: [UInt8], minCodeSize: Int) throws -> [UInt8] {
        let clear = 1 << minCodeSize, end = clear + 1
        var table: [[UInt8]] = (0..<clear).map { [UInt8($0)] } + [[], []]
        var width = minCodeSize + 1
        var bitPos = 0
        var out: [UInt8] = []
        var previous: [UInt8]? = nil
        func read() -> Int? {
            guard bitPos + width <= data.count * 8 else { return nil }
            var v = 0
            for i in 0..<width where data[(bitPos + i) / 8] >> UInt8((bitPos + i) % 8) & 1 == 1 { v |= 1 << i }
            bitPos += width
            return v
        }
        while let code = read() {
            if code == clear {
                table.removeSubrange((clear + 2)...)
                width = minCodeSize + 1
                previous = nil
                continue
            }
            if code == end { return out }
            let entry: [UInt8]
            if code < table.count {
                entry = table[code]
            } else if code == table.count, let prev = previous {
                entry = prev + [prev[0]]
            } else {
                throw Failure(description: "bad code \(code) with table size \(table.count)")
            }
            out += entry
            if let prev = previous, table.count < 4096 {
                table.append(prev + [entry[0]])
                if table.count == 1 << width && width < 12 { width += 1 }
            }
            previous = entry
        }
        throw Failure(description: "no end-of-information code")
    }
}
