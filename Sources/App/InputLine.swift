/// The input editor's text and cursor (a grapheme index). Multi-line: `\n` separates
/// lines; line-wise keys (Ctrl-A/E/K/U, Up/Down) act on the cursor's line.
public struct InputLine: Sendable, Hashable {
    public var text: String = ""
    public var cursor: Int = 0

    public init(text: String = "") {
        self.text = text
        cursor = text.count
    }

    /// True when the text has more than one line.
    public var isMultiline: Bool { text.contains("\n") }

    /// Applies an editing command; false when `command` is not an editing command.
    mutating func apply(_ command: Command) -> Bool {
        switch command {
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .wordLeft: cursor = wordStart(before: cursor)
        case .wordRight: cursor = wordEnd(after: cursor)
        case .lineStart: cursor = lineBounds.start
        case .lineEnd: cursor = lineBounds.end
        case .deleteBackward: deleteBackward()
        case .deleteForward: deleteForward()
        case .deleteWordBackward: remove(wordStart(before: cursor)..<cursor)
        case .deleteWordForward: remove(cursor..<wordEnd(after: cursor))
        case .killToEnd: remove(cursor..<max(cursor + (lineBounds.end == cursor ? 1 : 0), lineBounds.end))
        case .killToStart: remove(lineBounds.start..<cursor)
        case .newline: insert("\n")
        default: return false
        }
        return true
    }

    /// Inserts text at the cursor.
    /// The cursor moves by the characters the text grew by, which can be fewer than
    /// `fragment.count`: a combining mark, skin tone or flag half joins the character before.
    public mutating func insert(_ fragment: String) {
        let before = text.count
        text.insert(contentsOf: fragment, at: index(min(cursor, before)))
        cursor = min(text.count, min(cursor, before) + text.count - before)
    }

    mutating func deleteBackward() {
        guard cursor > 0 else { return }
        text.remove(at: index(cursor - 1))
        cursor -= 1
    }

    mutating func deleteForward() {
        guard cursor < text.count else { return }
        text.remove(at: index(cursor))
    }

    /// Moves to the line above (same column, clamped); false on the first line.
    mutating func moveUp() -> Bool {
        let (start, _) = lineBounds
        guard start > 0 else { return false }
        let column = cursor - start
        let previous = bounds(ofLineEndingAt: start - 1)
        cursor = min(previous.start + column, previous.end)
        return true
    }

    /// Moves to the line below; false on the last line.
    mutating func moveDown() -> Bool {
        let (start, end) = lineBounds
        guard end < text.count else { return false }
        let column = cursor - start
        let next = bounds(ofLineStartingAt: end + 1)
        cursor = min(next.start + column, next.end)
        return true
    }

    // MARK: - Positions

    private func index(_ offset: Int) -> String.Index {
        text.index(text.startIndex, offsetBy: offset)
    }

    private mutating func remove(_ range: Range<Int>) {
        let clamped = max(0, range.lowerBound)..<min(text.count, range.upperBound)
        guard !clamped.isEmpty else { return }
        text.removeSubrange(index(clamped.lowerBound)..<index(clamped.upperBound))
        cursor = clamped.lowerBound
    }

    /// Start and end (exclusive of the newline) of the cursor's line.
    var lineBounds: (start: Int, end: Int) {
        let characters = Array(text)
        var start = min(cursor, characters.count)
        while start > 0 && characters[start - 1] != "\n" { start -= 1 }
        var end = min(cursor, characters.count)
        while end < characters.count && characters[end] != "\n" { end += 1 }
        return (start, end)
    }

    private func bounds(ofLineEndingAt end: Int) -> (start: Int, end: Int) {
        let characters = Array(text)
        var start = end
        while start > 0 && characters[start - 1] != "\n" { start -= 1 }
        return (start, end)
    }

    private func bounds(ofLineStartingAt start: Int) -> (start: Int, end: Int) {
        let characters = Array(text)
        var end = start
        while end < characters.count && characters[end] != "\n" { end += 1 }
        return (start, end)
    }

    private func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }

    private func wordStart(before position: Int) -> Int {
        let characters = Array(text)
        var start = position
        while start > 0 && !isWordCharacter(characters[start - 1]) { start -= 1 }
        while start > 0 && isWordCharacter(characters[start - 1]) { start -= 1 }
        return start
    }

    private func wordEnd(after position: Int) -> Int {
        let characters = Array(text)
        var end = position
        while end < characters.count && !isWordCharacter(characters[end]) { end += 1 }
        while end < characters.count && isWordCharacter(characters[end]) { end += 1 }
        return end
    }
}

/// Sent messages, newest last, browsed with Up/Down; persisted across runs by the shell.
public struct InputHistory: Sendable, Hashable {
    public private(set) var entries: [String]
    /// The entry shown, `nil` while editing a new message.
    private var position: Int?
    /// The unsent text kept while browsing.
    private var draft = ""
    public static let limit = 500

    public init(entries: [String] = []) { self.entries = Array(entries.suffix(Self.limit)) }

    /// Records a sent message (not repeating the last one).
    public mutating func record(_ text: String) {
        position = nil
        guard entries.last != text else { return }
        entries.append(text)
        if entries.count > Self.limit { entries.removeFirst(entries.count - Self.limit) }
    }

    /// The older entry to show, keeping `current` as the draft; nil at the oldest.
    mutating func previous(current: String) -> String? {
        guard !entries.isEmpty else { return nil }
        if position == nil { draft = current }
        let next = (position ?? entries.count) - 1
        guard next >= 0 else { return nil }
        position = next
        return entries[next]
    }

    /// The newer entry, or the draft after the newest; nil when not browsing.
    mutating func next() -> String? {
        guard let current = position else { return nil }
        if current + 1 < entries.count {
            position = current + 1
            return entries[current + 1]
        }
        position = nil
        return draft
    }
}
