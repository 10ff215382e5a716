import Foundation
import LatticeTensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SafetensorsFile {
    /// The file's bytes, as the reference writer lays them out: tensors sorted by name (all F32, so
    /// the reference's dtype-size order adds nothing) and packed; the header JSON holds `__metadata__`
    /// first (keys sorted, omitted when empty), then the tensors in that order, and is padded with
    /// spaces so the data buffer starts at a multiple of 8 bytes.
    public func encoded() -> Data {
        let order = tensors.sorted { $0.name < $1.name }
        var json = "{"
        var first = true
        if !metadata.isEmpty {
            json += "\"__metadata__\":{"
            json += metadata.keys.sorted().map { "\(SafetensorsJSON.quoted($0)):\(SafetensorsJSON.quoted(metadata[$0]!))" }
                .joined(separator: ",")
            json += "}"
            first = false
        }
        var offset = 0
        for (name, tensor) in order {
            let bytes = tensor.scalarCount * 4
            if !first { json += "," }
            first = false
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            json += "\(SafetensorsJSON.quoted(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + bytes)]}"
            offset += bytes
        }
        json += "}"
        var header = Array(json.utf8)
        while header.count % 8 != 0 { header.append(0x20) }

        var data = Data(capacity: 8 + header.count + offset)
        var length = UInt64(header.count).littleEndian
        withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for (_, tensor) in order {
            tensor.withUnsafeBufferPointer { b in
                #if _endian(big)
                for x in b { var le = x.bitPattern.littleEndian; withUnsafeBytes(of: &le) { data.append(contentsOf: $0) } }
                #else
                data.append(contentsOf: UnsafeRawBufferPointer(b))
                #endif
            }
        }
        return data
    }

    /// Writes the file atomically: the bytes go to a temporary file in the same directory, which is
    /// flushed to disk (fsync) and then renamed over `url`, so a crash leaves either the old file or the
    /// new one, never a partial one. The directory is fsynced too (best effort).
    public func write(to url: URL) throws {
        try SafetensorsFile.writeAtomically(encoded(), to: url)
    }

    /// Writes `data` to `url` through a temporary file, fsync and rename.
    static func writeAtomically(_ data: Data, to url: URL) throws {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-" + UUID().uuidString
        func failure(_ what: String) -> CheckpointError {
            CheckpointError.cannotWrite(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("cannot create a temporary file in '\(directory)'") }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        let written: Bool = data.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                #if canImport(Glibc)
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                #else
                let n = Darwin.write(fd, raw.baseAddress! + done, raw.count - done)
                #endif
                if n < 0 { if errno == EINTR { continue }; return false }
                done += n
            }
            return true
        }
        guard written else { let e = failure("write failed"); close(fd); throw e }
        guard fsync(fd) == 0 else { let e = failure("fsync failed"); close(fd); throw e }
        guard close(fd) == 0 else { throw failure("close failed") }
        guard rename(temporary, path) == 0 else { throw failure("rename into place failed") }
        ok = true
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 { _ = fsync(dirFD); close(dirFD) }
    }
}
