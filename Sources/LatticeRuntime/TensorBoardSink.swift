import Foundation

/// Writes a TensorBoard event file (`events.out.tfevents.<unix time>.<host>`) natively.
///
/// The file is a TFRecord stream: each record is the payload length (u64 little-endian), the masked
/// CRC-32C of those 8 bytes, the payload, and the masked CRC-32C of the payload. Each payload is a
/// protobuf `Event`: wall_time (1, double), step (2, int64), file_version (3, string — "brain.Event:2"
/// in the first record), summary (5). `Summary.Value`: tag (1), simple_value (2, float), image (4),
/// histo (5). Readable by the `tensorboard` package without TensorFlow.
public final class TensorBoardSink: MetricsSink, ImageSink {
    /// The event file.
    public let url: URL
    /// The first I/O error, after which writes are ignored.
    public private(set) var lastError: Error?
    private var handle: FileHandle?
    private let clock: @Sendable () -> Double

    /// Creates `directory` if needed and an event file in it, writing the file-version record.
    /// `clock` gives wall time in seconds since 1970 (injectable for tests).
    public init(directory: URL, hostName: String = ProcessInfo.processInfo.hostName,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) throws {
        self.clock = clock
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let now = clock()
        let host = hostName.isEmpty ? "localhost" : hostName.replacingOccurrences(of: "/", with: "_")
        url = directory.appendingPathComponent("events.out.tfevents.\(String(format: "%010d", Int(now))).\(host)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)
        var event = ProtobufWriter()
        event.double(1, now)
        event.int(2, 0)
        event.string(3, "brain.Event:2")
        append(Self.record(event.bytes))
    }

    /// Writes one event with a `simple_value` per metric (tags sorted).
    public func write(step: Int, metrics: [String: Double]) {
        var summary = ProtobufWriter()
        for key in metrics.keys.sorted() {
            var value = ProtobufWriter()
            value.string(1, key)
            value.float(2, Float(metrics[key]!))
            summary.message(1, value)
        }
        writeSummary(summary, step: step)
    }

    /// Writes a PNG image under `tag`; `channels` is 1 (grey), 3 (RGB) or 4 (RGBA).
    public func writeImage(tag: String, step: Int, png: [UInt8], width: Int, height: Int, channels: Int = 3) {
        var image = ProtobufWriter()
        image.int(1, Int64(height))
        image.int(2, Int64(width))
        image.int(3, Int64(channels))
        image.bytes(4, png)
        var value = ProtobufWriter()
        value.string(1, tag)
        value.message(4, image)
        var summary = ProtobufWriter()
        summary.message(1, value)
        writeSummary(summary, step: step)
    }

    /// Writes a `TrainingImage` (`ImageSink`).
    public func write(step: Int, image: TrainingImage) {
        writeImage(tag: image.tag, step: step, png: image.png, width: image.width, height: image.height, channels: image.channels)
    }

    /// Writes a histogram of `values` under `tag` (see `Histogram`).
    public func writeHistogram(tag: String, step: Int, values: [Double], bucketCount: Int = 30) {
        var value = ProtobufWriter()
        value.string(1, tag)
        value.message(5, Histogram(values: values, bucketCount: bucketCount).encoded())
        var summary = ProtobufWriter()
        summary.message(1, value)
        writeSummary(summary, step: step)
    }

    /// Flushes and closes; later writes are ignored.
    public func close() {
        try? handle?.close()
        handle = nil
    }

    deinit { try? handle?.close() }

    private func writeSummary(_ summary: ProtobufWriter, step: Int) {
        var event = ProtobufWriter()
        event.double(1, clock())
        event.int(2, Int64(step))
        event.message(5, summary)
        append(Self.record(event.bytes))
    }

    private func append(_ bytes: [UInt8]) {
        guard let handle, lastError == nil else { return }
        do { try handle.write(contentsOf: Data(bytes)) } catch { lastError = error }
    }

    /// One TFRecord: length (u64 LE), masked CRC-32C of the length bytes, payload, masked CRC of payload.
    public static func record(_ payload: [UInt8]) -> [UInt8] {
        var length = [UInt8]()
        for i in 0..<8 { length.append(UInt8(truncatingIfNeeded: UInt64(payload.count) >> (8 * UInt64(i)))) }
        var out = length
        out += littleEndian(CRC32C.masked(length))
        out += payload
        out += littleEndian(CRC32C.masked(payload))
        return out
    }

    private static func littleEndian(_ v: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * UInt32($0))) }
    }
}

/// A histogram in TensorBoard's `HistogramProto` form: min, max, count, sum, sum of squares, and
/// buckets given by their right edges (bucket i counts values in (limit[i−1], limit[i]]).
public struct Histogram: Sendable, Equatable {
    /// Smallest value.
    public var min: Double
    /// Largest value.
    public var max: Double
    /// Number of values.
    public var count: Double
    /// Σ x.
    public var sum: Double
    /// Σ x².
    public var sumSquares: Double
    /// Right edges of the buckets.
    public var bucketLimits: [Double]
    /// Counts per bucket.
    public var buckets: [Double]

    /// `bucketCount` equal-width buckets over [min, max] (one bucket when all values are equal,
    /// none for no values).
    public init(values: [Double], bucketCount: Int = 30) {
        let lo = values.min() ?? 0, hi = values.max() ?? 0
        min = lo
        max = hi
        count = Double(values.count)
        sum = values.reduce(0, +)
        sumSquares = values.reduce(0) { $0 + $1 * $1 }
        guard !values.isEmpty else { bucketLimits = []; buckets = []; return }
        let n = hi > lo ? Swift.max(1, bucketCount) : 1
        let width = (hi - lo) / Double(n)
        bucketLimits = (1...n).map { $0 == n ? hi : lo + width * Double($0) }
        buckets = [Double](repeating: 0, count: n)
        for v in values {
            let i = width > 0 ? Swift.min(n - 1, Swift.max(0, Int(((v - lo) / width).rounded(.up)) - 1)) : 0
            buckets[i] += 1
        }
    }

    /// The protobuf encoding (fields 1–7; limits and buckets packed).
    public func encoded() -> ProtobufWriter {
        var w = ProtobufWriter()
        w.double(1, min)
        w.double(2, max)
        w.double(3, count)
        w.double(4, sum)
        w.double(5, sumSquares)
        w.packedDoubles(6, bucketLimits)
        w.packedDoubles(7, buckets)
        return w
    }
}
