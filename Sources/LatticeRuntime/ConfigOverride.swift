import Foundation

/// A command-line change to a config, in Hydra's syntax.
///
/// - `a.b=value` sets an existing key (error if absent: use `+`); on a list entry that is a one-key
///   mapping (`- conv2d: {filters: 16}`), a string value replaces the layer id and keeps its parameters,
///   so `model.trunk.0=coordconv2d` is a one-word swap.
/// - `+a.b=value` adds a key that must not exist; on a list, `+list.N=value` inserts at N (N = count appends).
/// - `++a.b=value` sets or adds.
/// - `~a.b` removes a key or list entry.
///
/// Values are parsed as YAML (`1e-3` is a float, `true` a bool, `[1, 2]` a list, `'3'` a string).
public struct ConfigOverride: Sendable, Equatable, CustomStringConvertible {
    /// What the override does.
    public enum Operation: Sendable, Equatable {
        /// `path=value`.
        case set(ConfigNode)
        /// `+path=value`.
        case add(ConfigNode)
        /// `++path=value`.
        case setOrAdd(ConfigNode)
        /// `~path`.
        case remove
    }

    /// The dotted path split into components (`["model", "trunk", "0"]`).
    public var path: [String]
    /// The change.
    public var operation: Operation
    /// The override as typed.
    public var text: String

    /// Parses `text`; throws `ConfigError(.invalidOverride)` with the expected syntax.
    public init(parsing text: String) throws {
        self.text = text
        let source = "override '\(text)'"
        func fail(_ message: String) -> ConfigError {
            ConfigError(.invalidOverride, at: SourceLocation(file: source, line: 1, column: 1), path: "", message)
        }
        var body = Substring(text)
        var prefix = ""
        if body.hasPrefix("++") { prefix = "++" } else if body.hasPrefix("+") { prefix = "+" } else if body.hasPrefix("~") { prefix = "~" }
        body = body.dropFirst(prefix.count)
        let keyPart: Substring
        var valueNode: ConfigNode?
        if let eq = body.firstIndex(of: "=") {
            keyPart = body[..<eq]
            let valueText = String(body[body.index(after: eq)...])
            let valueColumn = prefix.count + keyPart.count + 2
            var node = try ConfigNode.parse(yaml: valueText, file: source)
            node = ConfigOverride.shift(node, columns: valueColumn - 1)
            if valueText.trimmingCharacters(in: .whitespaces).isEmpty { node = .scalar(.null, location: node.location) }
            valueNode = node
        } else {
            keyPart = body
        }
        let components = keyPart.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !keyPart.isEmpty, components.allSatisfy({ !$0.isEmpty && !$0.contains(" ") }) else {
            throw fail("expected 'key.path=value', '+key.path=value', '++key.path=value' or '~key.path'")
        }
        path = components
        switch (prefix, valueNode) {
        case ("~", nil): operation = .remove
        case ("~", _?): throw fail("'~' removes a key and takes no value; write '~\(keyPart)'")
        case (_, nil): throw fail("missing '=value'; write '\(prefix)\(keyPart)=value' (or '~\(keyPart)' to remove)")
        case ("+", let v?): operation = .add(v)
        case ("++", let v?): operation = .setOrAdd(v)
        case (_, let v?): operation = .set(v)
        }
    }

    /// A readable one-line form.
    public var description: String { text }

    private static func shift(_ node: ConfigNode, columns: Int) -> ConfigNode {
        var copy = node
        if var loc = copy.location, loc.line == 1 { loc.column += columns; copy.location = loc }
        switch copy.content {
        case .scalar: break
        case .sequence(let items): copy.content = .sequence(items.map { shift($0, columns: columns) })
        case .mapping(let entries):
            copy.content = .mapping(entries.map { e in
                var keyLoc = e.keyLocation
                if var k = keyLoc, k.line == 1 { k.column += columns; keyLoc = k }
                return ConfigEntry(key: e.key, keyLocation: keyLoc, value: shift(e.value, columns: columns))
            })
        }
        return copy
    }
}

extension ConfigNode {
    /// This config with `overrides` applied in order.
    public func applying(_ overrides: [ConfigOverride]) throws -> ConfigNode {
        var result = self
        for override in overrides { try result.apply(override) }
        return result.withPath([])
    }

    /// This config with overrides given as text (`["trainer.learningRate=1e-3", "~logging.tensorboard"]`).
    public func applying(overrides texts: [String]) throws -> ConfigNode {
        try applying(texts.map { try ConfigOverride(parsing: $0) })
    }

    /// Applies one override in place.
    public mutating func apply(_ override: ConfigOverride) throws {
        try apply(override, depth: 0)
    }

    private func overrideError(_ override: ConfigOverride, _ message: String) -> ConfigError {
        ConfigError(.invalidOverride, at: SourceLocation(file: "override '\(override.text)'", line: 1, column: 1),
                    path: override.path.joined(separator: "."), message)
    }

    private func available(_ override: ConfigOverride, depth: Int) -> String {
        let here = override.path.prefix(depth).joined(separator: ".")
        let name = here.isEmpty ? "the top level" : "'\(here)'"
        switch content {
        case .mapping(let entries):
            let keys = entries.map(\.key)
            let hint = EditDistance.nearest(to: override.path[depth], in: keys).map { "did you mean '\($0)'? " } ?? ""
            return "\(hint)keys available in \(name): \(keys.isEmpty ? "none" : keys.joined(separator: ", "))"
        case .sequence(let items):
            return "\(name) is a list of \(items.count) entries (indices 0…\(max(0, items.count - 1)))"
        case .scalar(let s):
            return "\(name) is a scalar (\(s.typeName)), not a mapping or list"
        }
    }

    private mutating func apply(_ override: ConfigOverride, depth: Int) throws {
        let key = override.path[depth]
        let isLast = depth == override.path.count - 1
        let shown = override.path.prefix(depth + 1).joined(separator: ".")
        switch content {
        case .mapping(var entries):
            let index = entries.firstIndex { $0.key == key }
            if !isLast {
                guard let index else {
                    throw overrideError(override, "no key '\(shown)'; \(available(override, depth: depth))")
                }
                try entries[index].value.apply(override, depth: depth + 1)
            } else {
                switch (override.operation, index) {
                case (.set(let v), let i?), (.setOrAdd(let v), let i?):
                    entries[i].value = v
                case (.setOrAdd(let v), nil), (.add(let v), nil):
                    entries.append(ConfigEntry(key: key, keyLocation: v.location, value: v))
                case (.set, nil):
                    throw overrideError(override, "no key '\(shown)' to set; \(available(override, depth: depth)); "
                                        + "to add a new key write '+\(override.path.joined(separator: "."))=…'")
                case (.add, _?):
                    throw overrideError(override, "key '\(shown)' already exists; to change it write "
                                        + "'\(override.path.joined(separator: "."))=…' (without '+')")
                case (.remove, let i?):
                    entries.remove(at: i)
                case (.remove, nil):
                    throw overrideError(override, "no key '\(shown)' to remove; \(available(override, depth: depth))")
                }
            }
            content = .mapping(entries)
        case .sequence(var items):
            guard let i = Int(key), i >= 0 else {
                throw overrideError(override, "'\(key)' is not a list index; \(available(override, depth: depth))")
            }
            let insertable: Bool = {
                if case .add = override.operation { return isLast }
                if case .setOrAdd = override.operation { return isLast }
                return false
            }()
            if insertable, case .add(let v) = override.operation, i <= items.count {
                items.insert(v, at: i)
            } else if i < items.count {
                if !isLast {
                    try items[i].apply(override, depth: depth + 1)
                } else {
                    switch override.operation {
                    case .set(let v), .setOrAdd(let v): items[i] = items[i].replacingListEntry(with: v)
                    case .remove: items.remove(at: i)
                    case .add: break
                    }
                }
            } else if insertable, case .setOrAdd(let v) = override.operation, i == items.count {
                items.append(v)
            } else {
                throw overrideError(override, "index \(i) is out of range; \(available(override, depth: depth))")
            }
            content = .sequence(items)
        case .scalar:
            throw overrideError(override, "cannot go into '\(shown)'; \(available(override, depth: depth))")
        }
    }

    /// The list-entry swap rule: a string replacing a one-key mapping renames the key (keeps the
    /// parameters); anything else replaces the entry.
    private func replacingListEntry(with value: ConfigNode) -> ConfigNode {
        guard case .string(let newID)? = value.scalar, var entries = self.entries, entries.count == 1 else {
            return value
        }
        entries[0].key = newID
        var copy = self
        copy.content = .mapping(entries)
        return copy
    }
}
