/// Levenshtein edit distance and nearest-name lookup, for "did you mean …?" hints in error messages.
public enum EditDistance {
    /// The Levenshtein distance between `a` and `b`: the fewest single-character insertions, deletions
    /// and substitutions that turn one into the other (case-sensitive, over Unicode characters).
    ///
    /// d(i, j) = min(d(i−1, j) + 1, d(i, j−1) + 1, d(i−1, j−1) + [aᵢ ≠ bⱼ]).
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let substitution = previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    /// The candidate closest to `name` (compared case-insensitively), or `nil` when none is within
    /// `max(1, name.count / 3)` edits — far-off names make poor suggestions. Ties go to the first
    /// candidate in sorted order, so the hint is deterministic.
    public static func nearest(to name: String, in candidates: some Sequence<String>) -> String? {
        let lowered = name.lowercased()
        var best: (String, Int)?
        for candidate in candidates.sorted() {
            let d = distance(lowered, candidate.lowercased())
            if best == nil || d < best!.1 { best = (candidate, d) }
        }
        guard let (candidate, d) = best, d <= max(1, name.count / 3) else { return nil }
        return candidate
    }
}
