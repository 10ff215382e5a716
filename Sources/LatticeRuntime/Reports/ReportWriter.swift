import Foundation

/// Writes a report into a directory: `report.md` (Markdown text), `report.json` (the same numbers,
/// machine-readable) and each plot as `<name>.svg` plus a `<name>.png` copy. Used by `lattice compare`
/// and the `lattice reproduce …` commands; every file is written atomically.
public struct ReportWriter: Sendable {
    /// The directory the files go into (created if missing).
    public let directory: URL

    /// A writer into `directory`.
    public init(directory: URL) { self.directory = directory }

    /// Writes `plot` as `<name>.svg` and `<name>.png`; returns the two file names (for Markdown links).
    @discardableResult
    public func write(plot: Plot, name: String) throws -> (svg: String, png: String) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(plot.svg().utf8).write(to: directory.appendingPathComponent("\(name).svg"), options: .atomic)
        try plot.png().write(to: directory.appendingPathComponent("\(name).png"), options: .atomic)
        return ("\(name).svg", "\(name).png")
    }

    /// Writes `markdown` to `report.md` and `json` (any `Encodable`, keys sorted, pretty) to `report.json`.
    public func write<T: Encodable>(markdown: String, json: T) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(markdown.utf8).write(to: directory.appendingPathComponent("report.md"), options: .atomic)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try encoder.encode(json).write(to: directory.appendingPathComponent("report.json"), options: .atomic)
    }
}

/// A Markdown table: a header row, an alignment row, then one row per entry (cells escaped for `|`).
public struct MarkdownTable: Sendable {
    /// Column titles.
    public var headers: [String]
    /// The rows, each as many cells as `headers`.
    public var rows: [[String]] = []

    /// An empty table with these columns.
    public init(headers: [String]) { self.headers = headers }

    /// Appends a row; it must have one cell per column.
    public mutating func add(_ cells: [String]) {
        precondition(cells.count == headers.count, "MarkdownTable: \(cells.count) cells for \(headers.count) columns")
        rows.append(cells)
    }

    /// The table as Markdown text, ending with a newline.
    public var text: String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        return line(headers) + line(headers.map { _ in "---" }) + rows.map(line).joined()
    }
}
