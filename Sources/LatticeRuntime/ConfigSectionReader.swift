/// Reads a plugin's config section key by key and, at `finish()`, rejects any key it was not asked for —
/// so a trainer or layer declares each key once, with its default, and unknown keys are still errors
/// with line and column.
///
/// ```swift
/// var reader = try ConfigSectionReader(section)
/// let learningRate = try reader.read("learningRate", default: 2.5e-4)
/// let clipEpsilon = try reader.read("clipEpsilon", default: 0.2)
/// try reader.finish()   // "unknown key 'clipEpsilom'; did you mean 'clipEpsilon'? valid keys: …"
/// ```
public struct ConfigSectionReader {
    /// The section (a mapping; `null` reads as empty).
    public let section: ConfigNode
    /// The keys read so far, in order; the valid keys listed by `finish()`.
    public private(set) var knownKeys: [String] = []

    /// A reader over `section`; throws `wrongType` if it is not a mapping.
    public init(_ section: ConfigNode) throws { self.section = try section.requireMapping() }

    private mutating func note(_ key: String) { if !knownKeys.contains(key) { knownKeys.append(key) } }

    /// The value under `key`, or `defaultValue` when absent or `null`.
    public mutating func read<T: ConfigValue>(_ key: String, default defaultValue: T) throws -> T {
        note(key)
        return try section.decode(T.self, key, default: defaultValue)
    }

    /// The required value under `key`.
    public mutating func read<T: ConfigValue>(_ key: String, as type: T.Type = T.self) throws -> T {
        note(key)
        return try section.decode(T.self, key)
    }

    /// The value under `key`, or `nil`.
    public mutating func readIfPresent<T: ConfigValue>(_ key: String, as type: T.Type = T.self) throws -> T? {
        note(key)
        return try section.decodeIfPresent(T.self, key)
    }

    /// Declares keys that are valid but read elsewhere (for example by a nested builder).
    public mutating func allow(_ keys: String...) { for key in keys { note(key) } }

    /// Throws `unknownKey` at the first key of the section that was never read or allowed.
    public func finish() throws { try section.checkNoUnknownKeys(allowed: knownKeys) }
}
