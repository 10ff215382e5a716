import Foundation
import Yams

extension ConfigNode {
    /// Parses YAML text into a config tree; `file` names the source in error positions.
    ///
    /// Uses Yams' composed `Node` tree so every value keeps its line and column. An empty document is
    /// an empty mapping. Aliases are expanded; merge keys (`<<: *base`) add the entries the mapping
    /// lacks (explicit keys win, whichever comes first). Throws `ConfigError(.syntax)` at the position
    /// libyaml reports for bad YAML, and for non-string and duplicate keys.
    public static func parse(yaml: String, file: String = "<string>") throws -> ConfigNode {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw convert(error, file: file, text: yaml)
        }
        guard let root else { return ConfigNode(.mapping([]), location: SourceLocation(file: file, line: 1, column: 1)) }
        return try convert(root, file: file, path: [])
    }

    /// Reads and parses a YAML file.
    public static func load(contentsOf url: URL) throws -> ConfigNode {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ConfigError(.syntax, at: nil, path: "",
                              "cannot read config file '\(url.path)': \(error.localizedDescription); check the path")
        }
        return try parse(yaml: text, file: url.path)
    }

    private static func location(_ mark: Mark?, _ file: String) -> SourceLocation? {
        mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
    }

    private static func convert(_ error: YamlError, file: String, text: String) -> ConfigError {
        func make(_ problem: String, _ context: YamlError.Context?, _ mark: Mark) -> ConfigError {
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let line = mark.line - 1 < lines.count ? lines[mark.line - 1] : ""
            if line.unicodeScalars.dropFirst(mark.column - 1).first == "\t" {
                message += "; YAML does not allow tabs for indentation: use spaces"
            } else {
                message += "; check indentation, colons, brackets and quotes here and on the lines above"
            }
            return ConfigError(.syntax, at: location(mark, file), path: "", message)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _): return make(problem, context, mark)
        case .parser(let context, let problem, let mark, _): return make(problem, context, mark)
        case .composer(let context, let problem, let mark, _): return make(problem, context, mark)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigError(.syntax, at: location(context.mark, file), path: "",
                               "duplicate key(s) \(duplicates.sorted().joined(separator: ", ")) in one mapping; keep one")
        default:
            return ConfigError(.syntax, at: nil, path: "", "invalid YAML: \(error)")
        }
    }

    private static let nullTag = Tag.Name.null.rawValue, boolTag = Tag.Name.bool.rawValue
    private static let intTag = Tag.Name.int.rawValue, floatTag = Tag.Name.float.rawValue

    private static func convert(_ node: Node, file: String, path: [String]) throws -> ConfigNode {
        let loc = location(node.mark, file)
        switch node {
        case .scalar(let scalar):
            let tag = node.tag.description
            let value: ConfigScalar
            if tag == nullTag {
                value = .null
            } else if tag == boolTag, let b = node.bool {
                value = .bool(b)
            } else if tag == intTag, let i = node.int {
                value = .int(i)
            } else if tag == floatTag, let d = node.float {
                value = .float(d)
            } else if tag == intTag || tag == floatTag {
                throw ConfigError(.syntax, at: loc, path: path.joined(separator: "."),
                                  "number '\(scalar.string)' does not fit a 64-bit value; quote it for a string")
            } else {
                value = .string(scalar.string)
            }
            return ConfigNode(.scalar(value), location: loc, path: path)
        case .sequence(let sequence):
            let items = try sequence.enumerated().map { i, item in
                try convert(item, file: file, path: path + [String(i)])
            }
            return ConfigNode(.sequence(items), location: loc, path: path)
        case .mapping(let mapping):
            var entries: [ConfigEntry] = []
            var mergedKeys = Set<String>()
            for (keyNode, valueNode) in mapping {
                let keyLocation = location(keyNode.mark, file)
                guard case .scalar(let keyScalar) = keyNode else {
                    throw ConfigError(.syntax, at: keyLocation, path: path.joined(separator: "."),
                                      "mapping keys must be plain names, not lists or mappings")
                }
                let key = keyScalar.string
                if key == "<<", keyScalar.style == .plain {
                    // YAML merge key: `<<: *base` (or a list of them) adds the entries not already present.
                    let merged = try convert(valueNode, file: file, path: path)
                    let sources = merged.elements ?? [merged]
                    for source in sources {
                        guard let sourceEntries = source.entries else {
                            throw ConfigError(.syntax, at: keyLocation, path: path.joined(separator: "."),
                                              "'<<' merges a mapping (or a list of mappings) into this one")
                        }
                        for e in sourceEntries where !entries.contains(where: { $0.key == e.key }) {
                            mergedKeys.insert(e.key)
                            entries.append(ConfigEntry(key: e.key, keyLocation: e.keyLocation,
                                                       value: e.value.withPath(path + [e.key])))
                        }
                    }
                    continue
                }
                if mergedKeys.remove(key) != nil { entries.removeAll { $0.key == key } }
                if let first = entries.first(where: { $0.key == key }) {
                    let was = first.keyLocation.map { " (first at line \($0.line), column \($0.column))" } ?? ""
                    throw ConfigError(.syntax, at: keyLocation, path: (path + [key]).joined(separator: "."),
                                      "duplicate key '\(key)'\(was); keep one")
                }
                let value = try convert(valueNode, file: file, path: path + [key])
                entries.append(ConfigEntry(key: key, keyLocation: keyLocation, value: value))
            }
            return ConfigNode(.mapping(entries), location: loc, path: path)
        case .alias:
            throw ConfigError(.syntax, at: loc, path: path.joined(separator: "."),
                              "YAML aliases are not supported in Lattice configs; write the value out")
        }
    }
}
