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
struct InlineMarkdown {
    private let characters: [Character]
    private var index = 0
    private var traits: InlineTraits = []
    private var runs: [(text: String, traits: InlineTraits)] = []

    /// The runs of `text` with their traits, adjacent runs of equal traits merged.
    static func parse(_ text: some StringProtocol) -> [(text: String, traits: InlineTraits)] {
        var parser = InlineMarkdown(characters: Array(text))
        parser.run()
        return parser.runs
    }

    private init(characters: [Character]) { self.characters = characters }

    private mutating func emit(_ text: String, _ extra: InlineTraits = []) {
        let combined = traits.union(extra)
        if let last = runs.last, last.traits == combined {
            runs[runs.count - 1].text += text
        } else {
            runs.append((text, combined))
        }
    }

    private mutating func run() {
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "\\" where index + 1 < characters.count && Self.isPunctuation(characters[index + 1]):
                emit(String(characters[index + 1]))
                index += 2
            case "`": codeSpan()
            case "*", "_": emphasis(character)
            case "[": if !link() { emit("["); index += 1 }
            case "<": if !autolink() { emit("<"); index += 1 }
            default:
                emit(String(character))
                index += 1
            }
        }
    }

    private mutating func codeSpan() {
        let length = runLength(at: index, of: "`")
        var search = index + length
        while search < characters.count {
            if characters[search] == "`" {
                let closing = runLength(at: search, of: "`")
                if closing == length {
                    var content = String(characters[(index + length)..<search])
                    if content.count > 2 && content.first == " " && content.last == " " {
                        content = String(content.dropFirst().dropLast())
                    }
                    emit(content.replacing("\n", with: " "), .code)
                    index = search + length
                    return
                }
                search += closing
            } else {
                search += 1
            }
        }
        emit(String(repeating: "`", count: length))
        index += length
    }

    private mutating func emphasis(_ marker: Character) {
        var remaining = runLength(at: index, of: marker)
        while remaining > 0 {
            let size = remaining >= 2 ? 2 : 1
            let trait: InlineTraits = size == 2 ? .bold : .italic
            let before = index > 0 ? characters[index - 1] : " "
            let after = index + remaining < characters.count ? characters[index + remaining] : " "
            if traits.contains(trait) && !before.isWhitespace {
                traits.remove(trait)
            } else if !traits.contains(trait) && !after.isWhitespace
                        && !(marker == "_" && (before.isLetter || before.isNumber))
                        && hasCloser(marker, size: size, from: index + remaining) {
                traits.insert(trait)
            } else {
                emit(String(repeating: marker, count: size))
            }
            index += size
            remaining -= size
        }
    }

    /// Whether a closing `marker` run of exactly `size` follows (after a non-space).
    private func hasCloser(_ marker: Character, size: Int, from start: Int) -> Bool {
        var search = start
        while search < characters.count {
            guard characters[search] == marker else { search += 1; continue }
            let length = runLength(at: search, of: marker)
            let before = characters[search - 1]
            let after = search + length < characters.count ? characters[search + length] : " "
            let fits = size == 2 ? length >= 2 : (length == 1 || length >= 3)
            if fits && !before.isWhitespace && !(marker == "_" && (after.isLetter || after.isNumber)) { return true }
            search += length
        }
        return false
    }

    /// `[text](url)`: the text as a link, then ` (url)` unless the text is the URL.
    private mutating func link() -> Bool {
        guard let close = characters[index...].firstIndex(of: "]"), close + 1 < characters.count,
              characters[close + 1] == "(",
              let end = characters[(close + 2)...].firstIndex(of: ")") else { return false }
        let label = String(characters[(index + 1)..<close])
        let url = String(characters[(close + 2)..<end]).split(separator: " ").first.map(String.init) ?? ""
        guard !label.contains("\n"), !url.isEmpty || !label.isEmpty else { return false }
        if label == url || label.isEmpty {
            emit(url, .link)
        } else {
            for run in InlineMarkdown.parse(label) { emit(run.text, run.traits.union(.link)) }
            if !url.isEmpty { emit(" (" + url + ")", .url) }
        }
        index = end + 1
        return true
    }

    /// `<https://…>` shown as the URL.
    private mutating func autolink() -> Bool {
        guard let end = characters[index...].firstIndex(of: ">") else { return false }
        let inner = String(characters[(index + 1)..<end])
        guard inner.hasPrefix("http://") || inner.hasPrefix("https://") || inner.hasPrefix("mailto:"),
              !inner.contains(" ") else { return false }
        emit(inner, .link)
        index = end + 1
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
