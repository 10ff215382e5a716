/// A type that can be read from a config node, with "expected … found …" errors at the node's position.
public protocol ConfigValue {
    /// The type's name in error messages (`int`, `float`, `[int]`).
    static var configTypeName: String { get }
    /// Reads the value from `node`; throws `ConfigError(.wrongType)` naming expected and found.
    init(configNode node: ConfigNode) throws
}

extension ConfigNode {
    /// The wrong-type error for this node.
    public func typeMismatch(expected: String) -> ConfigError {
        ConfigError(.wrongType(expected: expected, found: kindDescription), at: location, path: path.joined(separator: "."),
                    "expected \(expected), found \(kindDescription)")
    }
}

extension Int: ConfigValue {
    /// The type's name in config error messages.
    public static var configTypeName: String { "int" }
    /// Reads the value from a config node, or throws `wrongType`.
    public init(configNode node: ConfigNode) throws {
        guard case .int(let i)? = node.scalar else { throw node.typeMismatch(expected: Self.configTypeName) }
        self = i
    }
}

extension UInt64: ConfigValue {
    /// The type's name in config error messages.
    public static var configTypeName: String { "non-negative int" }
    /// Reads the value from a config node, or throws `wrongType`.
    public init(configNode node: ConfigNode) throws {
        guard case .int(let i)? = node.scalar, i >= 0 else { throw node.typeMismatch(expected: Self.configTypeName) }
        self = UInt64(i)
    }
}

extension Double: ConfigValue {
    /// The type's name in config error messages.
    public static var configTypeName: String { "float" }
    /// Accepts floats and ints (`1` reads as `1.0`).
    public init(configNode node: ConfigNode) throws {
        switch node.scalar {
        case .float(let d)?: self = d
        case .int(let i)?: self = Double(i)
        default: throw node.typeMismatch(expected: Self.configTypeName)
        }
    }
}

extension Float: ConfigValue {
    /// The type's name in config error messages.
    public static var configTypeName: String { "float" }
    /// Accepts floats and ints, rounded to the nearest Float32.
    public init(configNode node: ConfigNode) throws { self = Float(try Double(configNode: node)) }
}

extension Bool: ConfigValue {
    /// The type's name in config error messages.
    public static var configTypeName: String { "bool (true/false)" }
    /// Reads the value from a config node, or throws `wrongType`.
    public init(configNode node: ConfigNode) throws {
        guard case .bool(let b)? = node.scalar else { throw node.typeMismatch(expected: Self.configTypeName) }
        self = b
    }
}

extension String: ConfigValue {
    /// The type's name in config error messages.
    public static var configTypeName: String { "string" }
    /// Accepts strings only: a number where a name is expected is usually a mistake (quote it if not).
    public init(configNode node: ConfigNode) throws {
        guard case .string(let s)? = node.scalar else { throw node.typeMismatch(expected: Self.configTypeName) }
        self = s
    }
}

extension Array: ConfigValue where Element: ConfigValue {
    /// The type's name in config error messages.
    public static var configTypeName: String { "[\(Element.configTypeName)]" }
    /// Reads the value from a config node, or throws `wrongType`.
    public init(configNode node: ConfigNode) throws {
        guard let items = node.elements else { throw node.typeMismatch(expected: "a list of \(Element.configTypeName)") }
        self = try items.map { try Element(configNode: $0) }
    }
}

extension ConfigNode: ConfigValue {
    /// The type's name in config error messages.
    public static var configTypeName: String { "any value" }
    /// Reads the value from a config node, or throws `wrongType`.
    public init(configNode node: ConfigNode) throws { self = node }
}

extension ConfigNode {
    /// The required value under `key`: throws `missingKey` (at this mapping's position) when absent,
    /// `wrongType` when it does not read as `T`.
    public func decode<T: ConfigValue>(_ type: T.Type, _ key: String) throws -> T {
        let section = try requireMapping()
        guard let child = section[key] else {
            throw ConfigError(.missingKey(key), at: location, path: pathText == "<root>" ? "" : pathText,
                              "missing required key '\(key)' (\(T.configTypeName)); add '\(key): …' here")
        }
        return try T(configNode: child)
    }

    /// The value under `key`, or `defaultValue` when the key is absent or `null`.
    public func decode<T: ConfigValue>(_ type: T.Type, _ key: String, default defaultValue: T) throws -> T {
        try decodeIfPresent(type, key) ?? defaultValue
    }

    /// The value under `key`, or `nil` when absent or `null`.
    public func decodeIfPresent<T: ConfigValue>(_ type: T.Type, _ key: String) throws -> T? {
        let section = try requireMapping()
        guard let child = section[key], !child.isNull else { return nil }
        return try T(configNode: child)
    }

    /// This node as a mapping (`null` counts as an empty mapping); throws `wrongType` otherwise.
    public func requireMapping() throws -> ConfigNode {
        if entries != nil { return self }
        if isNull { var copy = self; copy.content = .mapping([]); return copy }
        throw typeMismatch(expected: "a mapping of key: value")
    }

    /// Throws `unknownKey` at the first key not in `allowed`, listing the valid keys and the nearest.
    public func checkNoUnknownKeys(allowed: [String]) throws {
        for entry in try requireMapping().entries ?? [] where !allowed.contains(entry.key) {
            throw ConfigError.unknownKey(entry.key, at: entry.keyLocation ?? location,
                                         path: (path + [entry.key]).joined(separator: "."), allowed: allowed)
        }
    }

    /// Throws `invalidValue` at `key`'s value with `message` unless `condition` holds
    /// (`try section.require("filters", filters > 0, "must be positive")`).
    public func require(_ key: String, _ condition: Bool, _ message: @autoclosure () -> String) throws {
        guard !condition else { return }
        let node = self[key]
        throw ConfigError(.invalidValue, at: node?.location ?? location,
                          path: (path + [key]).joined(separator: "."), message())
    }
}
