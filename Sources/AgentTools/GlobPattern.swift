/// A shell-style glob matched against `/`-separated relative paths. Pure.
///
/// `*` matches any run of characters except `/`, `?` one character except `/`, `[abc]`,
/// `[a-z]` and `[!a]`/`[^a]` one character of (or not of) a set, `\x` the character `x`, and a
/// whole `**` segment any number of directories, including none (`**/*.swift`, `src/**`).
/// Braces are not part of a pattern; `expandingBraces` turns `*.{h,c}` into two patterns.
struct GlobPattern: Sendable, Hashable {
    enum Token: Sendable, Hashable {
        case literal(Character)
        case anyRun
        case anyOne
        case set(negated: Bool, ranges: [ClosedRange<Character>])
    }

    enum Segment: Sendable, Hashable {
        /// `**`: zero or more whole path components.
        case anyDirectories
        case name([Token])
    }

    let segments: [Segment]

    init(_ pattern: String) {
        segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map { part in
            part == "**" ? .anyDirectories : .name(Self.tokens(part))
        }
    }

    /// True when the whole of `path` (components separated by `/`) matches.
    func matches(_ path: String) -> Bool {
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        return matches(segmentIndex: 0, components: components[...])
    }

    private func matches(segmentIndex: Int, components: ArraySlice<Substring>) -> Bool {
        guard segmentIndex < segments.count else { return components.isEmpty }
        switch segments[segmentIndex] {
        case .anyDirectories:
            for skip in 0...components.count
            where matches(segmentIndex: segmentIndex + 1, components: components.dropFirst(skip)) {
                return true
            }
            return false
        case .name(let tokens):
            guard let first = components.first, Self.matchName(tokens[...], Array(first)[...]) else { return false }
            return matches(segmentIndex: segmentIndex + 1, components: components.dropFirst())
        }
    }

    /// Matches one path component against a segment's tokens.
    private static func matchName(_ tokens: ArraySlice<Token>, _ name: ArraySlice<Character>) -> Bool {
        guard let token = tokens.first else { return name.isEmpty }
        switch token {
        case .anyRun:
            let rest = tokens.dropFirst()
            if rest.isEmpty { return true }
            for start in name.indices + [name.endIndex] where matchName(rest, name[start...]) { return true }
            return false
        case .anyOne:
            return !name.isEmpty && matchName(tokens.dropFirst(), name.dropFirst())
        case .literal(let character):
            return name.first == character && matchName(tokens.dropFirst(), name.dropFirst())
        case .set(let negated, let ranges):
            guard let character = name.first else { return false }
            return ranges.contains(where: { $0.contains(character) }) != negated
                && matchName(tokens.dropFirst(), name.dropFirst())
        }
    }

    private static func tokens(_ part: Substring) -> [Token] {
        var tokens: [Token] = []
        var characters = Array(part)[...]
        while let character = characters.popFirst() {
            switch character {
            case "*":
                if tokens.last != .anyRun { tokens.append(.anyRun) }
            case "?": tokens.append(.anyOne)
            case "\\": tokens.append(.literal(characters.popFirst() ?? "\\"))
            case "[":
                if let (set, rest) = parseSet(characters) {
                    tokens.append(set)
                    characters = rest
                } else {
                    tokens.append(.literal("["))
                }
            default: tokens.append(.literal(character))
            }
        }
        return tokens
    }

    /// Parses what follows `[` up to its `]`; nil when there is no closing bracket.
    private static func parseSet(_ input: ArraySlice<Character>) -> (Token, ArraySlice<Character>)? {
        var rest = input
        let negated = rest.first == "!" || rest.first == "^"
        if negated { rest = rest.dropFirst() }
        var ranges: [ClosedRange<Character>] = []
        var first = true
        while let character = rest.popFirst() {
            if character == "]" && !first { return (.set(negated: negated, ranges: ranges), rest) }
            first = false
            var lower = character
            if lower == "\\", let escaped = rest.popFirst() { lower = escaped }
            if rest.first == "-", rest.count >= 2, rest[rest.startIndex + 1] != "]" {
                let upper = rest[rest.startIndex + 1]
                rest = rest.dropFirst(2)
                if lower <= upper { ranges.append(lower...upper) }
            } else {
                ranges.append(lower...lower)
            }
        }
        return nil
    }

    /// `a{b,c}d` as `abd` and `acd` (nested braces expand too); text without braces as itself.
    static func expandingBraces(_ pattern: String) -> [String] {
        let characters = Array(pattern)
        guard let open = characters.firstIndex(of: "{") else { return [pattern] }
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
                    return options.flatMap { expandingBraces(head + $0 + tail) }
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
        return [pattern]
    }
}
