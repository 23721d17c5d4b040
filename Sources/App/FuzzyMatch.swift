/// Incremental fuzzy filtering for pickers: every character of the query must appear in
/// order (case-insensitive); contiguous runs, word starts and early matches score higher.
public enum FuzzyMatch {
    /// The score of `candidate` for `query`, `nil` when it does not match. Empty queries match all.
    public static func score(_ query: String, in candidate: String) -> Int? {
        let needle = Array(query.lowercased().filter { !$0.isWhitespace })
        guard !needle.isEmpty else { return 0 }
        let haystack = Array(candidate.lowercased())
        var score = 0
        var position = 0
        var previousMatch = -2
        for character in needle {
            guard let found = haystack[position...].firstIndex(of: character) else { return nil }
            score += 1
            if found == previousMatch + 1 { score += 5 }
            if found == 0 || !haystack[found - 1].isLetter && !haystack[found - 1].isNumber { score += 3 }
            previousMatch = found
            position = found + 1
        }
        return score * 100 - (haystack.count - needle.count) - (previousMatch - needle.count)
    }
}
