/// Emphasis and other inline markup a piece of text carries.
struct InlineTraits: OptionSet, Hashable {
    let rawValue: UInt8
    static let bold = InlineTraits(rawValue: 1 << 0)
    static let italic = InlineTraits(rawValue: 1 << 1)
    static let code = InlineTraits(rawValue: 1 << 2)
    static let link = InlineTraits(rawValue: 1 << 3)
    static let url = InlineTraits(rawValue: 1 << 4)
}

/// Parses inline markdown: `**bold**`, `*italic*`/`_italic_`, `` `code` ``, `[text](url)`,
/// `<https://…>`, backslash escapes. An opening delimiter without a closer stays literal,
/// so half-streamed emphasis shows as typed until it is closed.
///
/// Linear in the length of the text (D54): one left-to-right pass; every "is there a closer
/// further on?" question is answered from tables built in one pass (`InlineDelimiters`) or by
/// a forward-only cursor, never by rescanning the rest of the text for each opener.
struct InlineMarkdown {
    private let characters: [Character]
    private let allowsLinks: Bool
    private var index = 0
    private var traits: InlineTraits = []
    private var runs: [(text: String, traits: InlineTraits)] = []
    private var delimiters: InlineDelimiters
    private var closeBracket = ForwardFinder("]")
    private var closeParenthesis = ForwardFinder(")")
    private var newline = ForwardFinder("\n")
    private var closeAngle = ForwardFinder(">")
    private var space = ForwardFinder(" ")
    /// The furthest character any decision so far depended on (`Int.max`: a decision waits
    /// for text not seen yet, such as an opener whose closer has not arrived).
    private var horizon = -1
    /// The last cut: a character index after a space where the parser stands with no markup
    /// open and no decision looking at or beyond it (see `parseWithCut`).
    private var lastCut: Int?

    /// The runs of `text` with their traits, adjacent runs of equal traits merged.
    static func parse(_ text: some StringProtocol) -> [(text: String, traits: InlineTraits)] {
        parse(text, allowsLinks: true)
    }

    private static func parse(_ text: some StringProtocol, allowsLinks: Bool) -> [(text: String, traits: InlineTraits)] {
        if isPlain(text) { return text.isEmpty ? [] : [(String(text), InlineTraits())] }
        return parseCharacterwise(text, allowsLinks: allowsLinks)
    }

    /// The parser itself, character by character (the plain-text shortcut's oracle in tests).
    static func parseCharacterwise(_ text: some StringProtocol, allowsLinks: Bool = true)
        -> [(text: String, traits: InlineTraits)] {
        var parser = InlineMarkdown(characters: Array(text), allowsLinks: allowsLinks)
        parser.run()
        return parser.runs
    }

    /// The runs of `text`, and the last cut in it as a UTF-8 offset (nil: none).
    ///
    /// A cut is a position right after a space, before the last character, where no emphasis,
    /// code span or link is open and every decision made before it (is there a closer, a `]`,
    /// a `(`, how long is this run of markers, is this `\` an escape) was answered by text
    /// before it. Then more text can change nothing before the cut, and the runs from the cut
    /// on are those of parsing `text[cut...]` on its own (a fresh parser there also sees a
    /// space behind it), so a growing line can be parsed from its last cut only (D148).
    static func parseWithCut(_ text: some StringProtocol) -> (runs: [(text: String, traits: InlineTraits)], cut: Int?) {
        guard isPlain(text) else { return parseWithCutCharacterwise(text) }
        // No markup: one plain run, and the cut is after the last space before the last
        // character (a byte offset, since every character is one ASCII byte).
        let string = String(text)
        let bytes = string.utf8
        let space = bytes.dropLast(2).lastIndex(of: UInt8(ascii: " "))
        return (string.isEmpty ? [] : [(string, InlineTraits())],
                space.map { bytes.distance(from: bytes.startIndex, to: $0) + 1 })
    }

    /// `parseWithCut` character by character (the plain-text shortcut's oracle in tests).
    static func parseWithCutCharacterwise(_ text: some StringProtocol)
        -> (runs: [(text: String, traits: InlineTraits)], cut: Int?) {
        var parser = InlineMarkdown(characters: Array(text), allowsLinks: true)
        parser.run()
        guard let cut = parser.lastCut else { return (parser.runs, nil) }
        let offset = parser.characters[..<cut].reduce(0) { $0 + $1.utf8.count }
        return (parser.runs, offset)
    }

    /// True when `text` is ASCII with none of the characters markup starts with (`\\`, `` ` ``,
    /// `*`, `_`, `[`, `<`) and no `\r` (which pairs with `\n` into one character): then every
    /// character is emitted as it is, in one run (most of a reply's prose, D191).
    private static func isPlain(_ text: some StringProtocol) -> Bool {
        text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "["),
                 UInt8(ascii: "<"), UInt8(ascii: "\r"): false
            default: byte < 0x80
            }
        }
    }

    /// Notes that a decision depended on the character at `position` (`Int.max`: on text
    /// not seen yet).
    private mutating func looked(at position: Int) {
        if position > horizon { horizon = position }
    }

    private init(characters: [Character], allowsLinks: Bool) {
        self.characters = characters
        self.allowsLinks = allowsLinks
        delimiters = InlineDelimiters(characters)
    }

    private mutating func emit(_ text: String, _ extra: InlineTraits = []) {
        let combined = traits.union(extra)
        if let last = runs.last, last.traits == combined {
            runs[runs.count - 1].text += text
        } else {
            runs.append((text, combined))
        }
    }

    private mutating func emit(_ character: Character) {
        if let last = runs.last, last.traits == traits {
            runs[runs.count - 1].text.append(character)
        } else {
            runs.append((String(character), traits))
        }
    }

    private mutating func run() {
        while index < characters.count {
            if index > 0, horizon < index, traits.isEmpty, characters[index - 1] == " ", index + 1 < characters.count {
                lastCut = index
            }
            let character = characters[index]
            switch character {
            case "\\" where index + 1 < characters.count && Self.isPunctuation(characters[index + 1]):
                looked(at: index + 1)
                emit(characters[index + 1])
                index += 2
            case "\\":
                looked(at: index + 1 < characters.count ? index + 1 : Int.max)
                emit(character)
                index += 1
            case "`": codeSpan()
            case "*", "_": emphasis(character)
            case "[": if !link() { emit(character); index += 1 }
            case "<": if !autolink() { emit(character); index += 1 }
            default:
                looked(at: index)
                emit(character)
                index += 1
            }
        }
    }

    private mutating func codeSpan() {
        let length = runLength(at: index, of: "`")
        guard let closing = delimiters.backtickRun(length: length, atOrAfter: index + length) else {
            looked(at: Int.max)
            emit(String(repeating: "`", count: length))
            index += length
            return
        }
        looked(at: closing + length)
        var content = String(characters[(index + length)..<closing])
        if content.count > 2 && content.first == " " && content.last == " " {
            content = String(content.dropFirst().dropLast())
        }
        emit(content.utf8.contains(UInt8(ascii: "\n")) ? content.replacing("\n", with: " ") : content, .code)
        index = closing + length
    }

    private mutating func emphasis(_ marker: Character) {
        var remaining = runLength(at: index, of: marker)
        looked(at: index + remaining)
        while remaining > 0 {
            let size = remaining >= 2 ? 2 : 1
            let trait: InlineTraits = size == 2 ? .bold : .italic
            let before = index > 0 ? characters[index - 1] : " "
            let after = index + remaining < characters.count ? characters[index + remaining] : " "
            if traits.contains(trait) && !before.isWhitespace {
                traits.remove(trait)
            } else if !traits.contains(trait) && !after.isWhitespace
                        && !(marker == "_" && (before.isLetter || before.isNumber))
                        && hasCloser(marker, size: size, atOrAfter: index + remaining) {
                traits.insert(trait)
            } else {
                emit(String(repeating: marker, count: size))
            }
            index += size
            remaining -= size
        }
    }

    /// Whether a closer of emphasis `size` follows (`InlineDelimiters`), noting how far the
    /// answer looked: to the end of that closer's run, or beyond the text when there is none.
    private mutating func hasCloser(_ marker: Character, size: Int, atOrAfter position: Int) -> Bool {
        guard let closer = delimiters.closer(marker, size: size, atOrAfter: position) else {
            looked(at: Int.max)
            return false
        }
        looked(at: closer.end)
        return true
    }

    /// `[text](url)`: the text as a link, then ` (url)` unless the text is the URL.
    private mutating func link() -> Bool {
        guard allowsLinks, let close = closeBracket.first(atOrAfter: index, in: characters),
              close + 1 < characters.count, characters[close + 1] == "(",
              let end = closeParenthesis.first(atOrAfter: close + 2, in: characters) else {
            looked(at: linkFailureHorizon())
            return false
        }
        looked(at: end)
        if let lineBreak = newline.first(atOrAfter: index, in: characters), lineBreak < close { return false }
        let label = String(characters[(index + 1)..<close])
        let url = String(characters[(close + 2)..<end]).split(separator: " ").first.map(String.init) ?? ""
        guard !url.isEmpty || !label.isEmpty else { return false }
        if label == url || label.isEmpty {
            emit(url, .link)
        } else {
            // The label holds no `]`, so links cannot nest: one level of parsing, never more.
            for run in InlineMarkdown.parse(label, allowsLinks: false) { emit(run.text, run.traits.union(.link)) }
            if !url.isEmpty { emit(" (" + url + ")", .url) }
        }
        index = end + 1
        return true
    }

    /// How far a failed `[` looked: to a `]` not followed by `(` (it can never become a
    /// link), else beyond the text (a later `]` or `)` would make it one).
    private mutating func linkFailureHorizon() -> Int {
        guard allowsLinks, let close = closeBracket.first(atOrAfter: index, in: characters),
              close + 1 < characters.count, characters[close + 1] != "(" else { return Int.max }
        return close + 1
    }

    /// `<https://…>` shown as the URL.
    private mutating func autolink() -> Bool {
        guard let end = closeAngle.first(atOrAfter: index, in: characters) else {
            // With a space before any `>` can come, it never becomes an autolink.
            looked(at: space.first(atOrAfter: index, in: characters) ?? Int.max)
            return false
        }
        looked(at: end)
        if let blank = space.first(atOrAfter: index, in: characters), blank < end { return false }
        let start = index + 1
        guard ["http://", "https://", "mailto:"].contains(where: { hasPrefix($0, at: start, before: end) }) else {
            return false
        }
        emit(String(characters[start..<end]), .link)
        index = end + 1
        return true
    }

    private func hasPrefix(_ prefix: String, at start: Int, before end: Int) -> Bool {
        var position = start
        for character in prefix {
            guard position < end, characters[position] == character else { return false }
            position += 1
        }
        return true
    }

    private func runLength(at start: Int, of marker: Character) -> Int {
        var end = start
        while end < characters.count && characters[end] == marker { end += 1 }
        return end - start
    }

    private static func isPunctuation(_ character: Character) -> Bool {
        character.isASCII && (character.isPunctuation || character.isSymbol)
    }
}
