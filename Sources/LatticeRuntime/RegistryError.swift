/// Why a registry refused a registration or a lookup. Every message names the fix.
public enum RegistryError: Error, Equatable, CustomStringConvertible {
    /// An id that is not `[namespace/]Name[-vN]`.
    case invalidID(String, reason: String)
    /// No entry has this id; `known` lists every registered id, `suggestion` the nearest one.
    case unknownID(kind: String, id: String, known: [String], suggestion: String?)
    /// Two registrations of one id; `first` and `second` name where each came from.
    case duplicateID(kind: String, id: String, first: String, second: String)

    /// A readable one-line form.
    public var description: String {
        switch self {
        case .invalidID(let id, let reason):
            return "invalid registry id '\(id)': \(reason)"
        case .unknownID(let kind, let id, let known, let suggestion):
            let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
            let list = known.isEmpty ? "none are registered" : "known: \(known.joined(separator: ", "))"
            return "unknown \(kind) '\(id)'\(hint) \(list)"
        case .duplicateID(let kind, let id, let first, let second):
            return "duplicate \(kind) id '\(id)': registered by \(first) and again by \(second); "
                + "rename one of them or bump its version (-vN)"
        }
    }
}
