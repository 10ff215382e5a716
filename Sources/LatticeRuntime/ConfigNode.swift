/// Where a config value came from: a file (or a command-line override), line and column, from 1.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    /// The file path, or a description such as `override 'trainer.learningRate=1e-3'`.
    public var file: String
    /// Line, from 1.
    public var line: Int
    /// Column, from 1, counted in Unicode scalars (as libyaml counts).
    public var column: Int

    /// A position in `file`.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and terminals turn into links.
    /// Command-line overrides read `override 'a.b=x' column 5` since they have one line.
    public var description: String {
        file.hasPrefix("override '") ? "\(file) column \(column)" : "\(file):\(line):\(column)"
    }
}

/// A YAML scalar after tag resolution (YAML 1.1 rules, as Yams and PyYAML resolve plain scalars).
public enum ConfigScalar: Sendable, Equatable {
    /// `null`, `~` or an empty value.
    case null
    /// `true`/`false` (also `yes`/`no`/`on`/`off`).
    case bool(Bool)
    /// An integer.
    case int(Int)
    /// A floating-point number.
    case float(Double)
    /// Anything else, or any quoted scalar.
    case string(String)

    /// The type's name as a user reads it in an error (`int`, `float`, `string`…).
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "string"
        }
    }

    /// The value as it would be written in YAML, for error messages.
    public var displayText: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return YAMLWriter.format(d)
        case .string(let s): return "'\(s)'"
        }
    }
}

/// One `key: value` pair of a mapping, keeping the key's position.
public struct ConfigEntry: Sendable, Equatable {
    /// The key.
    public var key: String
    /// Where the key is written.
    public var keyLocation: SourceLocation?
    /// The value.
    public var value: ConfigNode

    /// An entry.
    public init(key: String, keyLocation: SourceLocation? = nil, value: ConfigNode) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
    }

    /// Equal when keys and values are equal; positions are ignored.
    public static func == (a: ConfigEntry, b: ConfigEntry) -> Bool { a.key == b.key && a.value == b.value }
}

/// A config value tree (from YAML), each node keeping where it was written and its key path.
///
/// Mappings keep their key order. Equality compares content only (not positions or paths), so
/// `parse(write(config)) == config` is the round-trip rule.
public struct ConfigNode: Sendable, Equatable {
    /// The node's content.
    public enum Content: Sendable, Equatable {
        /// A scalar.
        case scalar(ConfigScalar)
        /// A list.
        case sequence([ConfigNode])
        /// An ordered mapping with string keys.
        case mapping([ConfigEntry])
    }

    /// The content.
    public var content: Content
    /// Where the value starts, if it came from text.
    public var location: SourceLocation?
    /// The key path from the root (`["model", "trunk", "0"]`), set when the node is reached through
    /// the accessors; used in error messages.
    public var path: [String] = []

    /// A node with `content`, its position and key path.
    public init(_ content: Content, location: SourceLocation? = nil, path: [String] = []) {
        self.content = content
        self.location = location
        self.path = path
    }

    /// A scalar node.
    public static func scalar(_ value: ConfigScalar, location: SourceLocation? = nil) -> ConfigNode {
        ConfigNode(.scalar(value), location: location)
    }

    /// An empty mapping `{}` (the config of a layer written without parameters).
    public static var emptyMapping: ConfigNode { ConfigNode(.mapping([])) }

    /// Equal when contents are equal (positions and paths ignored).
    public static func == (a: ConfigNode, b: ConfigNode) -> Bool { a.content == b.content }

    /// The dotted key path (`model.trunk.0`), or `<root>`.
    public var pathText: String { path.isEmpty ? "<root>" : path.joined(separator: ".") }

    /// The scalar, if this is one.
    public var scalar: ConfigScalar? { if case .scalar(let s) = content { return s } else { return nil } }

    /// The entries, if this is a mapping.
    public var entries: [ConfigEntry]? { if case .mapping(let e) = content { return e } else { return nil } }

    /// The elements with their paths set, if this is a sequence.
    public var elements: [ConfigNode]? {
        guard case .sequence(let items) = content else { return nil }
        return items.enumerated().map { i, item in item.withPath(path + [String(i)]) }
    }

    /// The keys of a mapping, in order (empty otherwise).
    public var keys: [String] { entries?.map(\.key) ?? [] }

    /// Whether this is `null`.
    public var isNull: Bool { scalar == .null }

    /// The string value of a string scalar.
    public var stringValue: String? { if case .string(let s)? = scalar { return s } else { return nil } }

    /// What this node is, for "expected … found …" messages.
    public var kindDescription: String {
        switch content {
        case .scalar(let s): return "\(s.typeName) \(s.displayText)"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// The value under `key` with its path set, or `nil` (also `nil` when this is not a mapping).
    public subscript(key: String) -> ConfigNode? {
        guard let entry = entries?.first(where: { $0.key == key }) else { return nil }
        return entry.value.withPath(path + [key])
    }

    /// The entry for `key` (to reach its key's position).
    public func entry(_ key: String) -> ConfigEntry? { entries?.first { $0.key == key } }

    /// A copy whose path is `newPath` and whose descendants' paths follow from it.
    public func withPath(_ newPath: [String]) -> ConfigNode {
        var copy = self
        copy.path = newPath
        switch content {
        case .scalar: break
        case .sequence(let items):
            copy.content = .sequence(items.enumerated().map { i, item in item.withPath(newPath + [String(i)]) })
        case .mapping(let entries):
            copy.content = .mapping(entries.map { e in
                ConfigEntry(key: e.key, keyLocation: e.keyLocation, value: e.value.withPath(newPath + [e.key]))
            })
        }
        return copy
    }
}
