import Foundation

/// Writes metrics as a wide CSV (`metrics.csv`): one row per `write`, a `step` column, then one column
/// per metric key.
///
/// Columns: `step`, then the keys of the first write sorted; keys seen later are appended (sorted
/// among themselves) and the file is rewritten once with the wider header, earlier rows padded with
/// empty cells. A key absent from a write leaves its cell empty. Numbers use Swift's shortest
/// round-trip form (`0.1`, `1e-05`, `nan`, `inf`), which pandas and Python's `float()` read.
/// Each row is written to disk as soon as it arrives, so an interrupted run keeps its metrics.
public final class CSVSink: MetricsSink {
    /// The file written.
    public let url: URL
    /// The current columns after `step`.
    public private(set) var columns: [String] = []
    /// The first I/O error, after which writes are ignored.
    public private(set) var lastError: Error?
    private var handle: FileHandle?
    private var isClosed = false

    /// Creates (or truncates) the CSV at `url`.
    public init(url: URL) throws {
        self.url = url
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)
    }

    /// Records `metrics` at `step` (see the type's documentation for the format).
    public func write(step: Int, metrics: [String: Double]) {
        guard !isClosed, lastError == nil else { return }
        do {
            let newKeys = metrics.keys.filter { !columns.contains($0) }.sorted()
            if !newKeys.isEmpty {
                let hadHeader = !columns.isEmpty
                columns += newKeys
                if hadHeader { try rewrite(padding: newKeys.count) } else { try append(header) }
            }
            var cells = [String(step)]
            for key in columns { cells.append(metrics[key].map(Self.format) ?? "") }
            try append(cells.joined(separator: ",") + "\n")
        } catch {
            lastError = error
        }
    }

    /// Flushes and closes; later writes are ignored.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        try? handle?.close()
        handle = nil
    }

    deinit { try? handle?.close() }

    /// A number as written in a cell.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return "\(value)"
    }

    private var header: String { (["step"] + columns.map(Self.escape)).joined(separator: ",") + "\n" }

    private static func escape(_ key: String) -> String {
        key.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + key.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : key
    }

    private func append(_ text: String) throws {
        try handle?.write(contentsOf: Data(text.utf8))
    }

    private func rewrite(padding: Int) throws {
        try handle?.close()
        let old = try String(contentsOf: url, encoding: .utf8)
        let pad = String(repeating: ",", count: padding)
        var text = header
        for line in old.split(separator: "\n", omittingEmptySubsequences: true).dropFirst() {
            text += line + pad + "\n"
        }
        try Data(text.utf8).write(to: url, options: .atomic)
        handle = try FileHandle(forWritingTo: url)
        try handle?.seekToEnd()
    }
}
