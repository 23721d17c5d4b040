/// What `InlineMarkdown` needs to know about the text ahead of it, built in one pass so that
/// no opener rescans the rest of the text (D54).
struct InlineDelimiters {
    /// Start of every maximal backtick run, by run length, in text order; with a cursor per
    /// length that only moves forward (the parser asks with growing positions).
    private var backticks: [Int: (starts: [Int], next: Int)] = [:]
    /// The runs of `*` / `_` that can close emphasis of size 1 and of size 2, as (start, end)
    /// in text order, each with a cursor that only moves forward (the parser asks with growing
    /// positions): "the first closer at or after p" costs amortized constant time. The end
    /// (the character after the run) is the furthest the answer looked (`InlineMarkdown`'s cut).
    private var closers: [Character: (single: Closers, double: Closers)] = ["*": (Closers(), Closers()), "_": (Closers(), Closers())]

    struct Closers {
        var runs: [(start: Int, end: Int)] = []
        var next = 0

        /// The first run starting at or after `position`.
        mutating func first(atOrAfter position: Int) -> (start: Int, end: Int)? {
            if next > 0 && next <= runs.count && runs[next - 1].start >= position { next = 0 }
            while next < runs.count && runs[next].start < position { next += 1 }
            return next < runs.count ? runs[next] : nil
        }
    }

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
                    if length == 1 || length >= 3 { closers[character]?.single.runs.append((position, end)) }
                    if length >= 2 { closers[character]?.double.runs.append((position, end)) }
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

    /// The first run of `marker` that can close emphasis of `size` (1 or 2) at or after
    /// `position`: a run of the right length, after a non-space, and for `_` not inside a word.
    mutating func closer(_ marker: Character, size: Int, atOrAfter position: Int) -> (start: Int, end: Int)? {
        size == 2 ? closers[marker]?.double.first(atOrAfter: position) : closers[marker]?.single.first(atOrAfter: position)
    }

    /// Whether such a closer exists.
    mutating func hasCloser(_ marker: Character, size: Int, atOrAfter position: Int) -> Bool {
        closer(marker, size: size, atOrAfter: position) != nil
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
