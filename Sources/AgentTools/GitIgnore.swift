/// The rules of one `.gitignore` file, matched the way git matches them. Pure.
///
/// Hand-written because no Swift package offers a gitignore matcher. Supported, following
/// `gitignore(5)`: blank lines and `#` comments; `\#`, `\!` and `\ ` escapes; trailing
/// spaces trimmed; `!` negation (the last matching rule of a file wins); a trailing `/`
/// matching directories only; a pattern with a `/` at its start or middle anchored to the
/// file's directory, one without matching at any depth; `*`, `?`, `[...]` and `**` as in
/// `GlobPattern`. Nested files are combined by `IgnoreStack`, and a file inside an ignored
/// directory is never seen because the walker does not enter that directory (git's "cannot
/// re-include a file if a parent directory is excluded").
struct GitIgnore: Sendable, Hashable {
    struct Rule: Sendable, Hashable {
        var pattern: GlobPattern
        var negated: Bool
        var directoryOnly: Bool
    }

    let rules: [Rule]

    init(_ text: String) {
        rules = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).compactMap(Self.rule)
    }

    /// Reads one line's rule by Unicode scalars, as git reads bytes: as Characters, a
    /// combining mark after `/`, `!` or `#` joins it and hides it (the `gitignore` fuzzer
    /// found `/` + a name starting with U+0594 not anchored, docs/FUZZING.md).
    private static func rule(_ line: Substring) -> Rule? {
        var text = Array(line.unicodeScalars)[...]
        if text.first == "#" { return nil }
        // Trailing spaces go unless the last one is escaped.
        while text.last == " " && !(text.count >= 2 && text[text.endIndex - 2] == "\\") { text.removeLast() }
        var negated = false
        if text.first == "!" {
            negated = true
            text.removeFirst()
        }
        var directoryOnly = false
        while text.last == "/" {
            directoryOnly = true
            text.removeLast()
        }
        guard !text.isEmpty else { return nil }
        let anchored = text.contains("/")
        if text.first == "/" { text.removeFirst() }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text)
        let pattern = String(scalars)
        return Rule(pattern: GlobPattern(anchored ? pattern : "**/" + pattern), negated: negated,
                    directoryOnly: directoryOnly)
    }

    /// For a path relative to this file's directory: true when ignored, false when
    /// re-included by a `!` rule, nil when no rule matches.
    func decision(for path: String, isDirectory: Bool) -> Bool? {
        for rule in rules.reversed() where (isDirectory || !rule.directoryOnly) && rule.pattern.matches(path) {
            return !rule.negated
        }
        return nil
    }
}

/// The `.gitignore` files that apply in one directory: the project's `.git/info/exclude`,
/// then one file per directory from the root down. Deeper files take precedence.
struct IgnoreStack: Sendable {
    private var layers: [(base: String, rules: GitIgnore)] = []

    /// Adds the rules of a directory (its path relative to the root, "" for the root).
    mutating func push(base: String, rules: GitIgnore) {
        guard !rules.rules.isEmpty else { return }
        layers.append((base, rules))
    }

    /// True when `path` (relative to the root) is ignored.
    func isIgnored(_ path: String, isDirectory: Bool) -> Bool {
        for layer in layers.reversed() {
            let relative: Substring
            if layer.base.isEmpty {
                relative = path[...]
            } else if path.utf8.starts(with: (layer.base + "/").utf8) {
                // By bytes: `/` and a combining mark after it are one Character.
                relative = Substring(path.utf8.dropFirst(layer.base.utf8.count + 1))
            } else {
                continue
            }
            if let ignored = layer.rules.decision(for: String(relative), isDirectory: isDirectory) { return ignored }
        }
        return false
    }
}
