import TerminalUI

/// Word wrapping of styled text by display width, with the same rules as `TextWrapper`:
/// breaks after spaces, inside a word only when it alone is wider than a line, `\n` starts
/// a new line, spaces at a soft break are dropped, wide characters never straddle the edge.
enum StyledWrapper {
    typealias Segment = (text: String, style: Style)

    /// Wraps `runs` into lines of at most `width` columns.
    static func wrap(_ runs: [Segment], width: Int) -> [StyledLine] {
        var builder = Builder(width: max(1, width))
        builder.add(runs)
        return builder.finished()
    }

    /// Wrapping in progress, resumable: a copy taken after some runs continues exactly as
    /// the original would (the open line's layout keeps one, D148).
    struct Builder {
        /// Part of the word being collected: a run of printable ASCII in one style (one column
        /// per byte), or one other character with its width.
        struct WordPiece {
            var text: String
            var style: Style
            var columns: Int
            var isASCII: Bool
        }

        let width: Int
        var lines: [StyledLine] = []
        var line: [Segment] = []
        var lineWidth = 0
        var spaces: [Segment] = []
        var word: [WordPiece] = []
        var wordWidth = 0
        /// True at the start of a line made by a soft break: its leading spaces are dropped.
        var afterSoftBreak = false

        init(width: Int) { self.width = width }

        /// Adds `runs` after what was added so far. A run of printable ASCII, spaces, tabs and
        /// `\n` is taken a word at a time (most of a reply, D191); any other run a character at
        /// a time. Both give the same lines.
        mutating func add(_ runs: [Segment]) {
            for run in runs {
                var text = run.text
                let simple = text.withUTF8 { bytes in
                    guard bytes.allSatisfy(Self.isSimple) else { return false }
                    addSimple(bytes, style: run.style)
                    return true
                }
                if !simple {
                    for character in run.text { add(character, style: run.style) }
                }
            }
        }

        /// A byte the word-at-a-time path handles: printable ASCII, space, tab or `\n`.
        private static func isSimple(_ byte: UInt8) -> Bool {
            (byte >= 0x20 && byte <= 0x7E) || byte == 0x0A || byte == 0x09
        }

        /// `add(character:style:)` for each byte of `bytes` (all `isSimple`), a word per step.
        private mutating func addSimple(_ bytes: UnsafeBufferPointer<UInt8>, style: Style) {
            var index = 0
            while index < bytes.count {
                switch bytes[index] {
                case 0x0A:
                    finishWord()
                    emitLine()
                    afterSoftBreak = false
                    index += 1
                case 0x20, 0x09:
                    finishWord()
                    if !afterSoftBreak { spaces.append((" ", style)) }
                    index += 1
                default:
                    var end = index + 1
                    while end < bytes.count, bytes[end] > 0x20, bytes[end] <= 0x7E { end += 1 }
                    let piece = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
                    appendToWord(WordPiece(text: piece, style: style, columns: end - index, isASCII: true))
                    index = end
                }
            }
        }

        /// The lines of everything added, the last one ended (this builder is left as it is).
        func finished() -> [StyledLine] {
            var copy = self
            copy.finishWord()
            copy.emitLine()
            return copy.lines
        }

        mutating func add(_ character: Character, style: Style) {
            switch character {
            case "\n":
                finishWord()
                emitLine()
                afterSoftBreak = false
            case " ", "\t":
                finishWord()
                if !afterSoftBreak { spaces.append((" ", style)) }
            case "\r":
                return
            default:
                let columns = DisplayWidth.of(character)
                if columns == 0 && word.isEmpty && character.unicodeScalars.first?.properties.generalCategory == .control {
                    return
                }
                let ascii = character.isASCII && columns == 1
                appendToWord(WordPiece(text: String(character), style: style, columns: columns, isASCII: ascii))
            }
        }

        private mutating func appendToWord(_ piece: WordPiece) {
            wordWidth += piece.columns
            if piece.isASCII, let last = word.last, last.isASCII, last.style == piece.style {
                word[word.count - 1].text += piece.text
                word[word.count - 1].columns += piece.columns
            } else {
                word.append(piece)
            }
        }

        mutating func finishWord() {
            guard !word.isEmpty else { return }
            if lineWidth + spaces.count + wordWidth > width && lineWidth > 0 {
                emitLine()
                afterSoftBreak = true
                spaces.removeAll()
            }
            if lineWidth + spaces.count + wordWidth > width {
                // Leading spaces that do not fit are dropped; a word wider than a line is cut.
                spaces.removeAll()
            }
            for space in spaces { append(space.text, space.style, 1) }
            spaces.removeAll()
            for piece in word { appendPiece(piece) }
            word.removeAll()
            wordWidth = 0
            afterSoftBreak = false
        }

        /// Appends a word's piece, starting a line wherever the next character would not fit
        /// (an ASCII piece is cut between bytes: each is a character of one column).
        private mutating func appendPiece(_ piece: WordPiece) {
            guard piece.isASCII else {
                if lineWidth + piece.columns > width && lineWidth > 0 {
                    emitLine()
                    afterSoftBreak = true
                }
                append(piece.text, piece.style, piece.columns)
                return
            }
            var rest = piece.text.utf8[...]
            while !rest.isEmpty {
                if lineWidth >= width && lineWidth > 0 {
                    emitLine()
                    afterSoftBreak = true
                }
                let taken = rest.prefix(max(1, width - lineWidth))
                if taken.count == rest.count, taken.startIndex == piece.text.startIndex {
                    append(piece.text, piece.style, taken.count)
                } else {
                    append(String(Substring(taken)), piece.style, taken.count)
                }
                rest = rest[taken.endIndex...]
            }
        }

        mutating func append(_ text: String, _ style: Style, _ columns: Int) {
            if let last = line.last, last.style == style {
                line[line.count - 1].text += text
            } else {
                line.append((text, style))
            }
            lineWidth += columns
        }

        mutating func emitLine() {
            lines.append(StyledLine(line))
            line.removeAll()
            lineWidth = 0
            spaces.removeAll()
        }
    }
}
