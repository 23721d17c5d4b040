/// A key in `agents.config.json` that nothing reads, reported (not refused) so a typo like
/// `"approvalmode"` does not pass silently.
public struct ConfigWarning: Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// Where the key is written.
    public var position: SourcePosition
    /// The key's field path (`approvalmode`, `providers.local.apikey`).
    public var field: String
    /// The known key it is nearest to, if one is close.
    public var suggestion: String?

    public init(path: String, position: SourcePosition, field: String, suggestion: String?) {
        self.path = path
        self.position = position
        self.field = field
        self.suggestion = suggestion
    }

    /// `agents.config.json:3:5: unknown key "approvalmode" is ignored (did you mean approvalMode?)`
    public var description: String {
        "\(path):\(position.line):\(position.column): unknown key \"\(field)\" is ignored"
            + (suggestion.map { " (did you mean \($0)?)" } ?? "")
    }
}

/// Finds the keys nothing reads: at the top level, in provider entries and in `budget` (the
/// other objects, `pricing` entries, `permissions` and `sandbox`, refuse unknown keys).
/// In nanocoder's shape only near misses are reported: its other keys are nanocoder's own.
struct ConfigKeyCheck {
    let path: String

    static let topLevel = ["providers", "nanocoder", "defaultProvider", "approvalMode", "alwaysAllow", "maxSteps",
                           "theme", "pricing", "pricingFile", "budget", "permissions", "sandbox", "passEnv",
                           "denyEnv", "compaction", "mcpServers", "$schema"]
    static let providerKeys = ["type", "apiKey", "model", "models", "headers", "contextWindow", "timeoutSeconds",
                               "maxRetries", "maxOutputTokens"]
    /// Keys of a `models` entry written as an object.
    static let modelKeys = ["id", "maxOutputTokens"]
    static let budgetKeys = ["sessionUSD", "dailyUSD"]
    static let compactionKeys = ["auto", "threshold", "keepRecentTurns"]

    func warnings(root: JSONValue, entries: [ProviderEntry]) -> [ConfigWarning] {
        var found = check(root, field: nil, known: Self.topLevel, nearMissesOnly: false)
        for entry in entries {
            let known = Self.providerKeys + [entry.shape.baseURLKey] + (entry.shape == .nanocoder ? ["name"] : [])
            found += check(entry.node, field: entry.field, known: known, nearMissesOnly: entry.shape == .nanocoder)
            for (index, model) in (entry.node["models"]?.elements ?? []).enumerated() where model.members != nil {
                found += check(model, field: "\(entry.field).models[\(index)]", known: Self.modelKeys,
                               nearMissesOnly: false)
            }
        }
        if let budget = root["budget"] {
            found += check(budget, field: "budget", known: Self.budgetKeys, nearMissesOnly: false)
        }
        for member in root["mcpServers"]?.members ?? [] {
            found += check(member.value, field: "mcpServers.\(member.key)", known: MCPServerDecoder.entryKeys,
                           nearMissesOnly: false)
        }
        if let compaction = root["compaction"] {
            found += check(compaction, field: "compaction", known: Self.compactionKeys, nearMissesOnly: false)
        }
        return found
    }

    private func check(_ node: JSONValue, field: String?, known: [String], nearMissesOnly: Bool) -> [ConfigWarning] {
        guard let members = node.members else { return [] }
        var seen: Set<String> = []
        var found: [ConfigWarning] = []
        for member in members where !known.contains(member.key) && seen.insert(member.key).inserted {
            let suggestion = EditDistance.nearest(to: member.key, among: known)
            if nearMissesOnly, suggestion == nil { continue }
            let path = field.map { "\($0).\(member.key)" } ?? member.key
            found.append(ConfigWarning(path: self.path, position: member.keyPosition, field: path, suggestion: suggestion))
        }
        return found
    }
}

/// Damerau–Levenshtein distance (optimal string alignment), capped: for suggesting the key a
/// typo meant. Keys are short; the cap keeps hostile long keys cheap.
public enum EditDistance {
    /// Longer strings are not compared (no suggestion).
    static let maximumLength = 64

    /// The edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous2 = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[y.count]
    }

    /// The candidate nearest to `key` when it is close: equal ignoring case, or within a
    /// third of the key's length (at least 1, at most 3) edits. Ties go to the first candidate.
    public static func nearest(to key: String, among candidates: [String]) -> String? {
        guard key.count <= maximumLength else { return nil }
        if let sameLetters = candidates.first(where: { $0.lowercased() == key.lowercased() }) { return sameLetters }
        let limit = min(3, max(1, key.count / 3))
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate.count <= maximumLength {
            let lengthGap = abs(candidate.count - key.count)
            guard lengthGap <= limit else { continue }
            let found = distance(key.lowercased(), candidate.lowercased())
            if found <= limit, found < (best?.distance ?? .max) { best = (candidate, found) }
        }
        return best?.name
    }
}
