extension Glob {
    /// Alternatives a brace expansion may produce before it stops (`{a,b}{c,d}…` doubles with
    /// every group, so a short hostile pattern could otherwise ask for millions).
    public static let braceExpansionLimit = 256

    /// `a{b,c}d` as `abd` and `acd` (nested braces expand too), at most `braceExpansionLimit`
    /// of them; text without braces as itself.
    public static func expandingBraces(_ pattern: String) -> [String] {
        braceExpansion(pattern).patterns
    }

    /// The alternatives in order, and whether they are all of them (`complete` is false when
    /// the expansion stopped at `limit`).
    public static func braceExpansion(_ pattern: String, limit: Int = braceExpansionLimit)
        -> (patterns: [String], complete: Bool) {
        var done: [String] = []
        // Depth first, first alternative first: the stack's last element is the next to expand.
        var stack = [pattern]
        var complete = true
        while let next = stack.popLast() {
            guard let options = firstGroup(next) else {
                done.append(next)
                if done.count >= limit {
                    complete = complete && stack.isEmpty
                    break
                }
                continue
            }
            stack.append(contentsOf: options.reversed())
            let room = limit - done.count
            if stack.count > room {
                // Every pending pattern yields at least one result: keep only what can be used.
                stack.removeFirst(stack.count - room)
                complete = false
            }
        }
        return (done, complete)
    }

    /// The patterns made from the first brace group's top-level alternatives, nil when the
    /// pattern has no complete group (then it is taken literally, as before).
    private static func firstGroup(_ pattern: String) -> [String]? {
        let characters = Array(pattern)
        guard let open = characters.firstIndex(of: "{") else { return nil }
        var depth = 0
        var options: [String] = []
        var current = ""
        for index in (open + 1)..<characters.count {
            let character = characters[index]
            if character == "{" { depth += 1 }
            if character == "}" {
                if depth == 0 {
                    options.append(current)
                    let head = String(characters[..<open])
                    let tail = String(characters[(index + 1)...])
                    return options.map { head + $0 + tail }
                }
                depth -= 1
            }
            if character == "," && depth == 0 {
                options.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        return nil
    }
}
