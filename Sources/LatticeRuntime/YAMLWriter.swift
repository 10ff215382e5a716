import Yams

/// Writes a config tree back to YAML that re-runs the experiment exactly and that Python's
/// `yaml.safe_load` reads with the same types.
///
/// Rules: block style, two-space indents; a mapping or list whose children are all scalars is written
/// in flow style (`{filters: 16, kernel: 3}`) when it fits in 100 columns; floats always have a dot and a
/// signed exponent when they have one (`1.0e-05`, `100000.0`), because YAML 1.1 (PyYAML) reads `1e-05` as
/// a string; strings are quoted when a plain scalar would read as another type or contain YAML syntax.
public enum YAMLWriter {
    /// The YAML text of `node` (a document ending with a newline).
    public static func write(_ node: ConfigNode) -> String {
        var out = ""
        switch node.content {
        case .mapping(let entries) where !entries.isEmpty: writeMapping(entries, indent: 0, into: &out)
        case .sequence(let items) where !items.isEmpty: writeSequence(items, indent: 0, into: &out)
        default: out = inline(node) + "\n"
        }
        return out
    }

    /// A double as a YAML 1.1 float both Yams and PyYAML read back bit-exactly: the shortest
    /// round-trip digits, always with a dot, with a signed exponent (`1.0e-05`, `2.5e+20`), and
    /// `.inf`, `-.inf`, `.nan` for the special values.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
        let text = "\(value)"  // shortest digits that round-trip: "1e-05", "100000.0", "1.5e+20"
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            return text.contains(".") ? text : text + ".0"
        }
        var mantissa = String(text[..<e])
        var exponent = String(text[text.index(after: e)...])
        if !mantissa.contains(".") { mantissa += ".0" }
        if !exponent.hasPrefix("-") && !exponent.hasPrefix("+") { exponent = "+" + exponent }
        return mantissa + "e" + exponent
    }

    /// A scalar as YAML text (quoted when needed).
    public static func scalarText(_ scalar: ConfigScalar) -> String {
        switch scalar {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return format(d)
        case .string(let s): return quotedIfNeeded(s)
        }
    }

    /// `s` plain when safe, else double-quoted with escapes.
    public static func quotedIfNeeded(_ s: String) -> String {
        if isPlainSafe(s) { return s }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    let hex = String(u.value, radix: 16, uppercase: true)
                    out += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// Plain style is safe for strings of letters, digits and `_ . / + -` (inner spaces allowed) that
    /// do not start with `-`/`+`/`.`-syntax and that YAML would not resolve to null, bool, int or float.
    private static func isPlainSafe(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return false }
        if first == " " || last == " " || first == "-" || first == "+" { return false }
        for u in s.unicodeScalars {
            let ok = (u >= "a" && u <= "z") || (u >= "A" && u <= "Z") || (u >= "0" && u <= "9")
                || u == "_" || u == "." || u == "/" || u == "-" || u == "+" || u == " " || u.value >= 0x80
            if !ok { return false }
        }
        if s.contains("  ") { return false }
        let tag = Resolver.default.resolveTag(of: Node(s)).rawValue
        return tag == Tag.Name.str.rawValue
    }

    private static func isScalar(_ node: ConfigNode) -> Bool { node.scalar != nil }

    /// Flow text for scalars, empty collections and collections of scalars; `nil` if too nested.
    private static func flow(_ node: ConfigNode) -> String? {
        switch node.content {
        case .scalar(let s): return scalarText(s)
        case .sequence(let items):
            guard items.allSatisfy(isScalar) else { return nil }
            return "[" + items.map { scalarText($0.scalar!) }.joined(separator: ", ") + "]"
        case .mapping(let entries):
            guard entries.allSatisfy({ isScalar($0.value) }) else { return nil }
            return "{" + entries.map { quotedIfNeeded($0.key) + ": " + scalarText($0.value.scalar!) }
                .joined(separator: ", ") + "}"
        }
    }

    private static func inline(_ node: ConfigNode) -> String { flow(node) ?? "null" }

    private static func fitsFlow(_ node: ConfigNode, prefixWidth: Int) -> String? {
        guard let text = flow(node) else { return nil }
        if isScalar(node) { return text }
        let isEmpty = node.entries?.isEmpty ?? node.elements?.isEmpty ?? false
        return isEmpty || prefixWidth + text.count <= 100 ? text : nil
    }

    private static func writeMapping(_ entries: [ConfigEntry], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for entry in entries {
            let key = quotedIfNeeded(entry.key)
            if let text = fitsFlow(entry.value, prefixWidth: indent + key.count + 2) {
                out += "\(pad)\(key): \(text)\n"
            } else {
                out += "\(pad)\(key):\n"
                writeBlock(entry.value, indent: indent + 2, into: &out)
            }
        }
    }

    private static func writeSequence(_ items: [ConfigNode], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in items {
            if let text = fitsFlow(item, prefixWidth: indent + 2) {
                out += "\(pad)- \(text)\n"
                continue
            }
            // Write the item's block at indent + 2, then put "- " in place of the first line's padding.
            var block = ""
            writeBlock(item, indent: indent + 2, into: &block)
            out += pad + "- " + block.dropFirst(indent + 2)
        }
    }

    private static func writeBlock(_ node: ConfigNode, indent: Int, into out: inout String) {
        switch node.content {
        case .mapping(let entries): writeMapping(entries, indent: indent, into: &out)
        case .sequence(let items): writeSequence(items, indent: indent, into: &out)
        case .scalar(let s): out += String(repeating: " ", count: indent) + scalarText(s) + "\n"
        }
    }
}
