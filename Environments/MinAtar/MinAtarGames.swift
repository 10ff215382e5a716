import LatticeRL

/// The catalogue of MinAtar environments and a factory by id, for the runtime registry to wrap.
public enum MinAtarGames {
    /// The five games, in the reference's order.
    public static let names = ["Asterix", "Breakout", "Freeway", "Seaquest", "SpaceInvaders"]

    /// Every id: `MinAtar/<Game>-v0` (all 6 actions) and `MinAtar/<Game>-v1` (minimal action set).
    public static let ids: [String] = names.flatMap { ["MinAtar/\($0)-v0", "MinAtar/\($0)-v1"] }

    /// Builds the environment named `id` (one of `ids`) with `options`.
    /// Throws `MinAtarError.unknownID` (listing the known ids) for any other id, and
    /// `EnvironmentError.invalidOption` for an option out of range.
    public static func make(id: String, options: MinAtarOptions = MinAtarOptions()) throws -> any Environment {
        guard ids.contains(id) else {
            throw MinAtarError.unknownID(id, suggestion: nearestID(to: id), known: ids)
        }
        let minimal = id.hasSuffix("-v1")
        switch id.dropFirst("MinAtar/".count).dropLast(3) {
        case "Asterix": return try Asterix(minimalActionSet: minimal, options: options)
        case "Breakout": return try Breakout(minimalActionSet: minimal, options: options)
        case "Freeway": return try Freeway(minimalActionSet: minimal, options: options)
        case "Seaquest": return try Seaquest(minimalActionSet: minimal, options: options)
        default: return try SpaceInvaders(minimalActionSet: minimal, options: options)
        }
    }

    /// The known id closest to `id` by case-insensitive edit distance, if reasonably close.
    static func nearestID(to id: String) -> String? {
        let query = Array(id.lowercased())
        var best: (String, Int)? = nil
        for candidate in ids {
            let d = editDistance(query, Array(candidate.lowercased()))
            if best == nil || d < best!.1 { best = (candidate, d) }
        }
        guard let best, best.1 <= max(3, query.count / 3) else { return nil }
        return best.0
    }

    /// Levenshtein distance between two character arrays.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1,
                                 previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}

/// Why `MinAtarGames.make` refused an id.
public enum MinAtarError: Error, Equatable, CustomStringConvertible {
    /// The id is not a MinAtar environment; carries the nearest known id and the full list.
    case unknownID(String, suggestion: String?, known: [String])

    /// The message: the bad id, the nearest known one and the full list.
    public var description: String {
        switch self {
        case .unknownID(let id, let suggestion, let known):
            let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
            return "unknown MinAtar environment '\(id)'\(hint) known: \(known.joined(separator: ", "))"
        }
    }
}
