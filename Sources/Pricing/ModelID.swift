/// Model-id normalization: the keys under which a model's price may be filed.
public enum ModelID {
    /// OpenRouter variant tags that do not change which model runs (`:free` is one: its price of 0
    /// comes from OpenRouter's own list; without that list the paid model's price is used).
    static let variantTags = [":free", ":beta", ":thinking", ":extended", ":nitro", ":floor", ":exacto"]

    /// Lookup keys for `model`, most specific first, all lowercase: the id as given, then without
    /// provider prefixes (`openrouter/`, `openai/`, `azure/`, …), variant tags (`:free`), date
    /// suffixes (`-2024-08-06`, `-20241022`, `@20241022`), `-latest`, with Claude's dotted versions
    /// dashed (`claude-sonnet-4.5` → `claude-sonnet-4-5`), and last without a 4-digit snapshot suffix
    /// (`-0825`). With a `host` (the provider's configured name, e.g. `groq`), `host/…` keys come first.
    public static func candidates(for model: String, host: String? = nil) -> [String] {
        let lowered = model.trimmingSpaces.lowercased()
        guard !lowered.isEmpty else { return [] }
        var bases = [lowered]
        var rest = Substring(lowered)
        while let slash = rest.firstIndex(of: "/") {
            rest = rest[rest.index(after: slash)...]
            if !rest.isEmpty { bases.append(String(rest)) }
        }
        var keys: [String] = []
        for base in bases { keys.append(contentsOf: variants(of: base)) }
        for base in bases { if let short = withoutSnapshotSuffix(base) { keys.append(contentsOf: variants(of: short)) } }
        if let host = host?.trimmingSpaces.lowercased(), !host.isEmpty {
            keys = keys.filter { !$0.hasPrefix(host + "/") }.map { "\(host)/\($0)" } + keys
        }
        var seen = Set<String>()
        return keys.filter { seen.insert($0).inserted }
    }

    /// `base`, then successively without its variant tag, date suffix and `-latest`, then dashed.
    private static func variants(of base: String) -> [String] {
        var result = [base]
        var current = base
        for transform in [withoutVariantTag, withoutDateSuffix, withoutLatest, dashedClaudeVersion] {
            if let next = transform(current) {
                current = next
                result.append(next)
            }
        }
        return result
    }

    private static func withoutVariantTag(_ id: String) -> String? {
        guard let tag = variantTags.first(where: { id.hasSuffix($0) }) else { return nil }
        return String(id.dropLast(tag.count))
    }

    /// Strips `-YYYY-MM-DD`, `-YYYYMMDD` or `@YYYYMMDD`.
    static func withoutDateSuffix(_ id: String) -> String? {
        let chars = Array(id)
        func isDigits(_ range: Range<Int>) -> Bool { range.allSatisfy { chars[$0].isASCII && chars[$0].isNumber } }
        let count = chars.count
        if count > 11, chars[count - 11] == "-", chars[count - 6] == "-", chars[count - 3] == "-",
           isDigits(count - 10..<count - 6), isDigits(count - 5..<count - 3), isDigits(count - 2..<count) {
            return String(chars[0..<count - 11])
        }
        if count > 9, chars[count - 9] == "-" || chars[count - 9] == "@", isDigits(count - 8..<count),
           chars[count - 8] == "2" {
            return String(chars[0..<count - 9])
        }
        return nil
    }

    private static func withoutLatest(_ id: String) -> String? {
        id.hasSuffix("-latest") && id.count > 7 ? String(id.dropLast(7)) : nil
    }

    /// `claude-3.5-haiku` → `claude-3-5-haiku` (OpenRouter writes Claude versions with dots).
    private static func dashedClaudeVersion(_ id: String) -> String? {
        guard id.hasPrefix("claude"), id.contains(".") else { return nil }
        return id.replacingDots(with: "-")
    }

    /// Strips a trailing `-NNNN` snapshot (`grok-code-fast-1-0825`, `devstral-medium-2507`).
    private static func withoutSnapshotSuffix(_ id: String) -> String? {
        let chars = Array(id)
        let count = chars.count
        guard count > 5, chars[count - 5] == "-",
              chars[(count - 4)...].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return String(chars[0..<count - 5])
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    func replacingDots(with replacement: Character) -> String {
        String(map { $0 == "." ? replacement : $0 })
    }
}
