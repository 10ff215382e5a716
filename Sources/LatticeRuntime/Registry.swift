import Foundation

/// One documented parameter of a registry entry, for `lattice list` and error messages.
public struct ParameterInfo: Sendable, Equatable {
    /// The config key (`filters`).
    public var name: String
    /// The expected type, as a user reads it (`int`, `float`, `[int]`).
    public var type: String
    /// The default as YAML text, or `nil` when the key is required.
    public var defaultValue: String?
    /// One line on what it does.
    public var summary: String

    /// Documents a parameter: name, type, default (YAML text, `nil` = required), summary.
    public init(_ name: String, _ type: String, default defaultValue: String? = nil, _ summary: String = "") {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.summary = summary
    }
}

/// A name → factory table for one kind of plugin product (layers, environments, …).
///
/// Ids follow `[namespace/]Name[-vN]`. Asking for an id without `-vN` picks the newest registered
/// version (an entry registered without a version counts as the exact match for the bare name).
/// Unknown ids throw an error listing the known ids and the nearest one; duplicates are errors that
/// name both registrations. A registry is a value: build it once at start-up and pass it down.
public struct Registry<Product>: Sendable {
    /// Builds a product from its config section (a mapping, possibly empty) and the registries
    /// (so containers can build their children).
    public typealias Factory = @Sendable (_ config: ConfigNode, _ registries: Registries) throws -> Product

    /// One registration.
    public struct Entry: Sendable {
        /// The full id as registered.
        public let id: RegistryID
        /// One line on what it is.
        public let summary: String
        /// Its documented config keys.
        public let parameters: [ParameterInfo]
        /// Where it was registered (`#fileID` of the call by default, so the module is named).
        public let registeredBy: String
        /// Builds the product.
        public let factory: Factory
    }

    /// The result of looking an id up: the entry, the id it resolved to and a note when the request
    /// had no version and the newest one was chosen.
    public struct Resolution: Sendable {
        /// The entry found.
        public let entry: Entry
        /// The full id of the entry (`MinAtar/Breakout-v1`).
        public var resolvedID: String { entry.id.description }
        /// Set when a bare id was resolved to a version: "'Breakout' resolved to 'Breakout-v1' (newest of 1)".
        public let note: String?
    }

    /// The kind of product, used in messages (`layer`, `environment`).
    public let kind: String
    private var entries: [String: Entry] = [:]

    /// An empty registry of products called `kind` in messages.
    public init(kind: String) { self.kind = kind }

    /// Every registered id, sorted.
    public var ids: [String] { entries.keys.sorted() }

    /// Every entry, sorted by id.
    public var allEntries: [Entry] { ids.map { entries[$0]! } }

    /// Registers `factory` under `id`. Throws `RegistryError.duplicateID` if the id is taken,
    /// naming both registrations.
    public mutating func register(
        _ id: String, summary: String = "", parameters: [ParameterInfo] = [],
        registeredBy: String = #fileID, factory: @escaping Factory
    ) throws {
        let parsed = try RegistryID(parsing: id)
        let key = parsed.description
        if let existing = entries[key] {
            throw RegistryError.duplicateID(kind: kind, id: key, first: existing.registeredBy, second: registeredBy)
        }
        entries[key] = Entry(id: parsed, summary: summary, parameters: parameters,
                             registeredBy: registeredBy, factory: factory)
    }

    /// Whether `id` resolves to an entry.
    public func contains(_ id: String) -> Bool { (try? resolve(id)) != nil }

    /// Finds the entry for `id`; a bare id resolves to the newest version and says so in `note`.
    public func resolve(_ id: String) throws -> Resolution {
        let parsed = try RegistryID(parsing: id)
        if let exact = entries[parsed.description] { return Resolution(entry: exact, note: nil) }
        if parsed.version == nil {
            let versions = entries.values.filter { $0.id.unversioned == parsed.unversioned && $0.id.version != nil }
            if let newest = versions.max(by: { $0.id.version! < $1.id.version! }) {
                let note = "'\(id)' resolved to '\(newest.id)' (newest of \(versions.count) version"
                    + (versions.count == 1 ? ")" : "s)")
                return Resolution(entry: newest, note: note)
            }
        }
        // An unknown version of a known name suggests the newest version of that name.
        let sameName = entries.values.filter { $0.id.unversioned == parsed.unversioned }
        let suggestion = sameName.max { ($0.id.version ?? -1) < ($1.id.version ?? -1) }?.id.description
            ?? EditDistance.nearest(to: id, in: ids + Set(entries.values.map { $0.id.unversioned }).subtracting(ids))
        throw RegistryError.unknownID(kind: kind, id: id, known: ids, suggestion: suggestion)
    }

    /// Builds the product registered under `id` from its config section.
    public func make(_ id: String, config: ConfigNode = .emptyMapping, registries: Registries) throws -> Product {
        try resolve(id).entry.factory(config, registries)
    }

    /// Builds the product and also returns how the id was resolved (for logging the resolution note).
    public func makeResolved(_ id: String, config: ConfigNode = .emptyMapping,
                             registries: Registries) throws -> (product: Product, resolution: Resolution) {
        let resolution = try resolve(id)
        return (try resolution.entry.factory(config, registries), resolution)
    }
}
