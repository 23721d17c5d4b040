#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One source line of markdown (after its quote markers), classified on its own (no
/// look-behind), so that block boundaries depend only on the line and the block it follows.
enum MarkdownLine: Equatable {
    case blank
    case fence(marker: Character, length: Int, info: Substring)
    case heading(level: Int, text: Substring)
    case rule
    case listItem(indent: Int, marker: Substring, content: Substring)
    case text(indent: Int, content: Substring)
    /// A line starting with `|`: a row of a GFM table (or text, when no delimiter row follows).
    case tableRow(content: Substring)

    init(_ line: Substring) {
        let indent = line.prefix { $0 == " " || $0 == "\t" }.reduce(0) { $0 + ($1 == "\t" ? 4 : 1) }
        let body = line.drop { $0 == " " || $0 == "\t" }
        if body.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { self = .blank; return }
        if indent < 4, let fence = Self.fence(body) { self = fence; return }
        if indent < 4, let heading = Self.heading(body) { self = heading; return }
        if indent < 4, Self.isRule(body) { self = .rule; return }
        if let item = Self.listItem(body, indent: indent) { self = item; return }
        if indent < 4, body.first == "|" { self = .tableRow(content: body); return }
        self = .text(indent: indent, content: body)
    }

    private static func fence(_ body: Substring) -> MarkdownLine? {
        guard let marker = body.first, marker == "`" || marker == "~" else { return nil }
        let length = body.prefix { $0 == marker }.count
        guard length >= 3 else { return nil }
        let info = body.dropFirst(length).drop { $0 == " " }
        if marker == "`" && info.contains("`") { return nil }
        let trimmed = info.reversed().drop { $0 == " " || $0 == "\r" }.count
        return .fence(marker: marker, length: length, info: info.prefix(trimmed))
    }

    private static func heading(_ body: Substring) -> MarkdownLine? {
        let level = body.prefix { $0 == "#" }.count
        guard (1...6).contains(level) else { return nil }
        let rest = body.dropFirst(level)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        var text = rest.drop { $0 == " " || $0 == "\t" }
        while text.last == " " || text.last == "\r" { text = text.dropLast() }
        // A closing run of #s (preceded by a space) is not part of the text.
        let closing = text.reversed().prefix { $0 == "#" }.count
        if closing > 0 && (closing == text.count || text.dropLast(closing).last == " ") {
            text = text.dropLast(closing)
            while text.last == " " { text = text.dropLast() }
        }
        return .heading(level: level, text: text)
    }

    private static func isRule(_ body: Substring) -> Bool {
        guard let marker = body.first, marker == "-" || marker == "*" || marker == "_" else { return false }
        var count = 0
        for character in body {
            if character == marker { count += 1 } else if character != " " && character != "\t" && character != "\r" { return false }
        }
        return count >= 3
    }

    private static func listItem(_ body: Substring, indent: Int) -> MarkdownLine? {
        guard let first = body.first else { return nil }
        if first == "-" || first == "*" || first == "+" {
            let rest = body.dropFirst()
            guard rest.isEmpty || rest.first == " " else { return nil }
            return .listItem(indent: indent, marker: body.prefix(1), content: rest.drop { $0 == " " })
        }
        let digits = body.prefix { $0.isASCII && $0.isNumber }
        guard (1...9).contains(digits.count) else { return nil }
        let afterDigits = body.dropFirst(digits.count)
        guard let delimiter = afterDigits.first, delimiter == "." || delimiter == ")" else { return nil }
        let rest = afterDigits.dropFirst()
        guard rest.isEmpty || rest.first == " " else { return nil }
        return .listItem(indent: indent, marker: body.prefix(digits.count + 1), content: rest.drop { $0 == " " })
    }
}

/// A run of source lines forming one markdown block.
struct MarkdownBlock {
    enum Kind: Equatable {
        case blank
        case paragraph
        case heading(level: Int)
        case rule
        case code(marker: Character, length: Int, info: Substring)
        case listItem(indent: Int, marker: Substring)
        case table
    }

    var kind: Kind
    /// Block-quote nesting: how many `>` markers its lines start with (0: not quoted).
    var depth: Int
    /// The lines as classified (for code blocks: the raw lines after the opening fence).
    var lines: [(raw: Substring, line: MarkdownLine)]
    /// Where the block starts and ends in the text (end: after its last line's newline).
    var start: String.Index
    var end: String.Index
    var firstLineComplete: Bool
    var lastLineComplete: Bool
    /// True when no further line can join (a heading, a rule, a closed code fence).
    var isClosed: Bool

    /// Whether `line` (quoted `depth` deep) continues this block (false: it starts a new one).
    func accepts(_ line: MarkdownLine, depth: Int) -> Bool {
        if isClosed || depth != self.depth { return false }
        switch (kind, line) {
        case (.code, _): return true
        case (.blank, .blank): return true
        case (.paragraph, .text): return true
        case (.table, .tableRow): return true
        case (.listItem(let indent, let marker), .text(let lineIndent, _)):
            return lineIndent >= indent + min(marker.count + 1, 4)
        default: return false
        }
    }

    /// A block begun by `line`.
    static func starting(with line: MarkdownLine, raw: Substring, depth: Int, start: String.Index,
                         end: String.Index, complete: Bool) -> MarkdownBlock {
        let kind: Kind
        var closed = false
        var lines = [(raw, line)]
        switch line {
        case .blank: kind = .blank
        case .fence(let marker, let length, let info):
            kind = .code(marker: marker, length: length, info: info)
            lines = []
        case .heading(let level, _): kind = .heading(level: level); closed = true
        case .rule: kind = .rule; closed = true
        case .listItem(let indent, let marker, _): kind = .listItem(indent: indent, marker: marker)
        case .text: kind = .paragraph
        case .tableRow: kind = .table
        }
        return MarkdownBlock(kind: kind, depth: depth, lines: lines, start: start, end: end, firstLineComplete: complete,
                             lastLineComplete: complete, isClosed: closed)
    }

    /// Adds a line that `accepts` said continues the block.
    mutating func append(_ line: MarkdownLine, raw: Substring, end: String.Index, complete: Bool) {
        self.end = end
        lastLineComplete = complete
        if case .code(let marker, let length, _) = kind, case .fence(marker, let closing, let info) = line,
           closing >= length, info.isEmpty {
            isClosed = true
            return
        }
        lines.append((raw, line))
    }

    /// Splits `text[from...]` into blocks. A final line without a newline is included
    /// (marked incomplete); an empty one is not.
    static func split(_ text: String, from start: String.Index) -> [MarkdownBlock] {
        var blocks: [MarkdownBlock] = []
        var lineStart = start
        while lineStart < text.endIndex {
            let newline = firstNewline(in: text, from: lineStart)
            var contentEnd = newline ?? text.endIndex
            if let newline, newline > lineStart, text.utf8[text.utf8.index(before: newline)] == UInt8(ascii: "\r") {
                contentEnd = text.utf8.index(before: newline)  // CRLF: "\r\n" is one Character
            }
            let source = text[lineStart..<contentEnd]
            let end = newline.map { text.utf8.index(after: $0) } ?? text.endIndex
            let complete = newline != nil
            if let last = blocks.last, case .code = last.kind, !last.isClosed {
                // Inside a fence, only as many markers as the fence had are markers.
                let (depth, raw) = QuotePrefix.strip(source, upTo: last.depth)
                if depth == last.depth {
                    blocks[blocks.count - 1].append(MarkdownLine(raw), raw: raw, end: end, complete: complete)
                    lineStart = end
                    continue
                }
            }
            let (depth, raw) = QuotePrefix.strip(source, upTo: Int.max)
            let line = MarkdownLine(raw)
            if let last = blocks.last, last.accepts(line, depth: depth) {
                blocks[blocks.count - 1].append(line, raw: raw, end: end, complete: complete)
            } else {
                blocks.append(starting(with: line, raw: raw, depth: depth, start: lineStart, end: end, complete: complete))
            }
            lineStart = end
        }
        return blocks
    }
}

extension MarkdownBlock {
    /// The first `\n` at or after `start`, with `memchr` on native strings: the open line of
    /// a reply is searched every frame (D149).
    static func firstNewline(in text: String, from start: String.Index) -> String.Index? {
        let offset = text.utf8.distance(from: text.utf8.startIndex, to: start)
        let found: Int?? = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            guard let base = bytes.baseAddress, offset < bytes.count else { return nil }
            guard let hit = memchr(base + offset, 0x0A, bytes.count - offset) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        if let found { return found.map { text.utf8.index(text.utf8.startIndex, offsetBy: $0) } }
        return text.utf8[start...].firstIndex(of: UInt8(ascii: "\n"))
    }
}

/// The block-quote markers at the start of a line, read in one pass (D54): any number of
/// `>` (each after at most three spaces, and taking one space after it) give the depth; the
/// rest of the line is classified as usual. No recursion, however deep the quote.
enum QuotePrefix {
    /// The number of markers (at most `limit`) and the line after them.
    static func strip(_ line: Substring, upTo limit: Int) -> (depth: Int, rest: Substring) {
        var depth = 0
        var rest = line
        while depth < limit {
            var position = rest.startIndex
            var indent = 0
            while position < rest.endIndex, rest[position] == " " || rest[position] == "\t", indent < 4 {
                indent += rest[position] == "\t" ? 4 : 1
                position = rest.index(after: position)
            }
            guard indent < 4, position < rest.endIndex, rest[position] == ">" else { break }
            position = rest.index(after: position)
            if position < rest.endIndex, rest[position] == " " { position = rest.index(after: position) }
            rest = rest[position...]
            depth += 1
        }
        return (depth, rest)
    }
}
