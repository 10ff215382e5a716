/// A config problem, with where it is (file:line:column), the key path and the fix.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    /// What went wrong, for tests and tools.
    public enum Kind: Equatable, Sendable {
        /// The YAML does not parse.
        case syntax
        /// A key that is not allowed here.
        case unknownKey(String)
        /// A value of the wrong type.
        case wrongType(expected: String, found: String)
        /// A required key is absent.
        case missingKey(String)
        /// A value of the right type that is not acceptable (out of range, unknown option).
        case invalidValue
        /// A command-line override that does not parse or whose path does not exist.
        case invalidOverride
    }

    /// What went wrong.
    public var kind: Kind
    /// Where, if known.
    public var location: SourceLocation?
    /// The dotted key path (`model.trunk.1.conv2d.filters`), empty for the whole file.
    public var path: String
    /// The explanation with the fix.
    public var message: String

    /// A config error of `kind` at `location` and key `path`, with the explanation and fix.
    public init(_ kind: Kind, at location: SourceLocation?, path: String, _ message: String) {
        self.kind = kind
        self.location = location
        self.path = path
        self.message = message
    }

    /// `file:line:column: error: at 'path': message`.
    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        let at = path.isEmpty ? "" : "at '\(path)': "
        return "\(place)error: \(at)\(message)"
    }

    /// The error for keys of a mapping outside `allowed`: lists the valid keys and the nearest one.
    static func unknownKey(_ key: String, at location: SourceLocation?, path: String,
                           allowed: [String]) -> ConfigError {
        let hint = EditDistance.nearest(to: key, in: allowed).map { "did you mean '\($0)'? " } ?? ""
        let valid = allowed.isEmpty ? "this section takes no keys" : "valid keys: \(allowed.joined(separator: ", "))"
        return ConfigError(.unknownKey(key), at: location, path: path, "unknown key '\(key)'; \(hint)\(valid)")
    }
}
