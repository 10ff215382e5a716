import Foundation

/// A parsed registry id `[namespace/]Name[-vN]`, e.g. `MinAtar/Breakout-v1`, `conv2d`.
public struct RegistryID: Hashable, Sendable, CustomStringConvertible {
    /// The namespace before the slash (`MinAtar`), or `nil`.
    public var namespace: String?
    /// The name (`Breakout`).
    public var name: String
    /// The version after `-v` (`1`), or `nil` when the id carries none.
    public var version: Int?

    /// Parses `text`; throws `RegistryError.invalidID` for an empty name or a malformed namespace.
    public init(parsing text: String) throws {
        var rest = Substring(text)
        if let slash = rest.lastIndex(of: "/") {
            let ns = rest[..<slash]
            guard !ns.isEmpty, !ns.contains("/") else {
                throw RegistryError.invalidID(text, reason: "expected at most one '/', as in 'namespace/Name-v1'")
            }
            namespace = String(ns)
            rest = rest[rest.index(after: slash)...]
        }
        version = nil
        if let dash = rest.range(of: "-v", options: .backwards),
           let v = Int(rest[dash.upperBound...]), v >= 0, !rest[dash.upperBound...].contains("+") {
            version = v
            rest = rest[..<dash.lowerBound]
        }
        guard !rest.isEmpty, !rest.contains(where: { $0.isWhitespace }) else {
            throw RegistryError.invalidID(text, reason: "the name must be non-empty and contain no spaces")
        }
        name = String(rest)
    }

    /// An id from its parts.
    public init(namespace: String? = nil, name: String, version: Int? = nil) {
        self.namespace = namespace
        self.name = name
        self.version = version
    }

    /// The id without its version: `[namespace/]Name`.
    public var unversioned: String { namespace.map { "\($0)/\(name)" } ?? name }

    /// The canonical text `[namespace/]Name[-vN]`.
    public var description: String { version.map { "\(unversioned)-v\($0)" } ?? unversioned }
}
