/// What `InlineMarkdown` needs to know about the text ahead of it, built in one pass so that
/// no opener rescans the rest of the text (D54).
struct InlineDelimiters {
    /// Start of every maximal backtick run, by run length, in text order; with a cursor per
    /// length that only moves forward (the parser asks with growing positions).
    private var backticks: [Int: (starts: [Int], next: Int)] = [:]
    /// The start of the last run of `*` / `_` that can close emphasis of size 1 and of size 2
    /// (-1: none). "A closer exists at or after p" is then one comparison.
    private var lastCloser: [Character: (single: Int, double: Int)] = ["*": (-1, -1), "_": (-1, -1)]

    init(_ characters: [Character]) {
        var position = 0
        while position < characters.count {
            let character = characters[position]
            guard character == "`" || character == "*" || character == "_" else {
                position += 1
                continue
            }
            var end = position
            while end < characters.count && characters[end] == character { end += 1 }
            let length = end - position
            if character == "`" {
                backticks[length, default: ([], 0)].starts.append(position)
            } else if position > 0 && !characters[position - 1].isWhitespace {
                let after = end < characters.count ? characters[end] : " "
                if !(character == "_" && (after.isLetter || after.isNumber)) {
                    var last = lastCloser[character] ?? (-1, -1)
                    if length == 1 || length >= 3 { last.single = position }
                    if length >= 2 { last.double = position }
                    lastCloser[character] = last
                }
            }
            position = end
        }
    }

    /// The start of the first backtick run of exactly `length` at or after `position`.
    mutating func backtickRun(length: Int, atOrAfter position: Int) -> Int? {
        guard var entry = backticks[length] else { return nil }
        if entry.next > 0 && entry.next <= entry.starts.count && entry.starts[entry.next - 1] >= position {
            entry.next = 0  // asked about an earlier position than before: start over (not expected)
        }
        while entry.next < entry.starts.count && entry.starts[entry.next] < position { entry.next += 1 }
        backticks[length] = entry
        return entry.next < entry.starts.count ? entry.starts[entry.next] : nil
    }

    /// Whether a run of `marker` that can close emphasis of `size` (1 or 2) starts at or after
    /// `position`: a run of the right length, after a non-space, and for `_` not inside a word.
    func hasCloser(_ marker: Character, size: Int, atOrAfter position: Int) -> Bool {
        guard let last = lastCloser[marker] else { return false }
        return (size == 2 ? last.double : last.single) >= position
    }
}

/// The first position of one character at or after a position, for questions asked with
/// positions that only grow: each character of the text is looked at once in all.
struct ForwardFinder {
    let target: Character
    /// The last question and its answer (`nil`: no such character at or after `askedFrom`).
    private var askedFrom = -1
    private var answer: Int?

    init(_ target: Character) { self.target = target }

    mutating func first(atOrAfter start: Int, in characters: [Character]) -> Int? {
        if askedFrom >= 0 && start >= askedFrom {
            guard let known = answer else { return nil }
            if known >= start {
                askedFrom = start
                return known
            }
        }
        var position = start
        while position < characters.count && characters[position] != target { position += 1 }
        askedFrom = start
        answer = position < characters.count ? position : nil
        return answer
    }
}
