/// One layer of a model as written in a config: a registry id and its parameter section.
///
/// Written `- relu` (bare id, no parameters) or `- conv2d: {filters: 16, kernel: 3}` (one-key mapping
/// from id to parameters).
public struct LayerSpec: Sendable, Equatable {
    /// The layer's registry id.
    public var id: String
    /// Its parameters (an empty mapping when none), with positions and key paths for errors.
    public var config: ConfigNode
    /// The list entry itself (for error positions).
    public var node: ConfigNode

    /// A layer spec built in code.
    public init(id: String, config: ConfigNode = .emptyMapping, node: ConfigNode? = nil) {
        self.id = id
        self.config = config
        self.node = node ?? ConfigNode(.scalar(.string(id)))
    }

    /// Reads one list entry; the error for a mis-indented entry says how to fix it.
    public init(node: ConfigNode) throws {
        self.node = node
        if let id = node.stringValue {
            self.id = id
            self.config = ConfigNode(.mapping([]), location: node.location, path: node.path)
            return
        }
        guard let entries = node.entries else {
            throw node.typeMismatch(expected: "a layer: '- id' or '- id: {parameters}'")
        }
        guard entries.count == 1, let only = entries.first else {
            let keys = entries.map(\.key).joined(separator: ", ")
            throw ConfigError(.invalidValue, at: node.location, path: node.pathText,
                              "a layer entry is '- id' or '- id: {parameters}', found keys \(keys); "
                              + "indent the parameters under the layer id (or use flow style {…})")
        }
        id = only.key
        let params = node[only.key]!
        config = try params.requireMapping()
    }

    /// Reads a list of layers (`model.trunk`).
    public static func list(from node: ConfigNode) throws -> [LayerSpec] {
        guard let items = node.elements else { throw node.typeMismatch(expected: "a list of layers") }
        return try items.map(LayerSpec.init(node:))
    }
}

/// A model as written in a config: one list of layers, or named networks (`trunk`, `policyHead`,
/// `valueHead`, `generator`, `discriminator`), each a list of layers.
public struct ModelSpec: Sendable, Equatable {
    /// The names a model section may use for its networks.
    public static let networkNames = ["layers", "trunk", "policyHead", "valueHead", "generator", "discriminator"]

    /// The networks in the order written; a model written as a bare list has one network, `layers`.
    public var networks: [(name: String, layers: [LayerSpec])]

    /// Reads the `model` section.
    public init(node: ConfigNode) throws {
        if node.elements != nil {
            networks = [("layers", try LayerSpec.list(from: node))]
            return
        }
        let section = try node.requireMapping()
        try section.checkNoUnknownKeys(allowed: Self.networkNames)
        networks = try section.keys.map { ($0, try LayerSpec.list(from: section[$0]!)) }
    }

    /// The layers of network `name`, or `nil`.
    public subscript(name: String) -> [LayerSpec]? { networks.first { $0.name == name }?.layers }

    /// Equal when the networks have the same names and layers, in order.
    public static func == (a: ModelSpec, b: ModelSpec) -> Bool {
        a.networks.map(\.name) == b.networks.map(\.name) && a.networks.map(\.layers) == b.networks.map(\.layers)
    }
}
