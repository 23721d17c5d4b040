/// A shell-style wildcard pattern, matched without backtracking blow-up. Pure.
///
/// `*` matches any run of characters, `?` one character, `[abc]`, `[a-z]` and `[!a]`/`[^a]`
/// one character of (or not of) a set, `\x` the character `x`. In path mode (the default)
/// `/` separates components: `*`, `?` and sets never match `/`, and a whole `**` component
/// matches any number of components, including none (`**/*.swift`, `src/**`). Otherwise the
/// text is one name and `*` matches anything, `/` and spaces included (`git status*`).
///
/// Matching is the two-pointer wildcard algorithm (remember the last `*`, retry one further on
/// a mismatch), once over the characters of a name and once over the components of a path with
/// `**` as the star: O(pattern × text) in the worst case, never exponential, so a hostile
/// pattern like `*?*?*?*?*?*?*?*?Z` against a long name returns at once.
public struct Glob: Sendable, Hashable {
    public enum Token: Sendable, Hashable {
        case literal(Character)
        case anyRun
        case anyOne
        case set(negated: Bool, ranges: [ClosedRange<Character>])
    }

    public enum Segment: Sendable, Hashable {
        /// `**`: zero or more whole path components.
        case anyDirectories
        case name([Token])
    }

    public let segments: [Segment]
    /// Whether `/` separates components.
    public let paths: Bool

    public init(_ pattern: String, paths: Bool = true) {
        self.paths = paths
        guard paths else {
            segments = [.name(Self.tokens(pattern[...]))]
            return
        }
        segments = Self.components(pattern).map { part in
            part == "**" ? .anyDirectories : .name(Self.tokens(part))
        }
    }

    /// True when the whole of `text` matches.
    public func matches(_ text: String) -> Bool {
        guard paths else {
            guard case .name(let tokens) = segments.first else { return text.isEmpty }
            return Self.matchName(tokens, Array(text))
        }
        let components = Self.components(text)
        return Self.wildcardMatch(count: segments.count, length: components.count,
                                  isStar: { segments[$0] == .anyDirectories },
                                  matchesOne: { segment, component in
                                      guard case .name(let tokens) = segments[segment] else { return false }
                                      return Self.matchName(tokens, Array(components[component]))
                                  })
    }

    /// The `/`-separated components of `text`, split by Unicode scalars: as Characters, `/`
    /// and a combining mark after it are one, and the split would be missed (found by the
    /// `gitignore` fuzzer, docs/FUZZING.md).
    static func components(_ text: String) -> [Substring] {
        text.unicodeScalars.split(separator: "/", omittingEmptySubsequences: true).map(Substring.init)
    }

    /// Matches one name (a path component, or the whole text outside path mode).
    static func matchName(_ tokens: [Token], _ name: [Character]) -> Bool {
        wildcardMatch(count: tokens.count, length: name.count, isStar: { tokens[$0] == .anyRun },
                      matchesOne: { Self.matches(tokens[$0], name[$1]) })
    }

    /// The two-pointer wildcard algorithm over `count` pattern items and `length` text items:
    /// a star item matches any run of text items, every other item exactly one.
    static func wildcardMatch(count: Int, length: Int, isStar: (Int) -> Bool,
                              matchesOne: (Int, Int) -> Bool) -> Bool {
        var item = 0, position = 0
        var starItem = -1, starPosition = 0
        while position < length {
            if item < count {
                if isStar(item) {
                    starItem = item
                    starPosition = position
                    item += 1
                    continue
                }
                if matchesOne(item, position) {
                    item += 1
                    position += 1
                    continue
                }
            }
            guard starItem >= 0 else { return false }
            // Let the last star take one more item and try again from there.
            starPosition += 1
            position = starPosition
            item = starItem + 1
        }
        while item < count && isStar(item) { item += 1 }
        return item == count
    }

    private static func matches(_ token: Token, _ character: Character) -> Bool {
        switch token {
        case .literal(let literal): return literal == character
        case .anyOne: return true
        case .anyRun: return true
        case .set(let negated, let ranges): return ranges.contains(where: { $0.contains(character) }) != negated
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
}
