/// Word wrapping by display width.
public enum TextWrapper {
    /// Wraps `text` into lines of at most `width` columns.
    ///
    /// Breaks after spaces where it can and inside a word only when the word alone is
    /// wider than a line; `\n` starts a new line; tabs become up to 4 spaces; spaces at a
    /// soft break are dropped (indentation after `\n` is kept); wide characters never
    /// straddle the edge.
    public static func wrap(_ text: some StringProtocol, width: Int) -> [String] {
        wrapLines(text, width: width)
    }

    /// The same for a `String`, without the generic form's witness-table iteration (it is
    /// not specialized across modules, and the sidebar wraps its lines every frame, D149).
    public static func wrap(_ text: String, width: Int) -> [String] {
        wrapLines(text, width: width)
    }

    /// The same for a `Substring`.
    public static func wrap(_ text: Substring, width: Int) -> [String] {
        wrapLines(text, width: width)
    }

    /// The one implementation, specialized in this module for each form above.
    private static func wrapLines(_ text: some StringProtocol, width: Int) -> [String] {
        guard width > 0 else { return [] }
        // Printable ASCII that fits is one line as it is (trailing spaces dropped, as below):
        // the sidebar and the meter wrap such lines every frame (D181).
        if text.utf8.count <= width, text.utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) {
            return [LineBuilder.trimmed(String(text))]
        }
        // `\r` goes before grapheme breaking: dropped while building a line, it let the
        // characters either side join into one cluster of another width (`0`, `\r`, U+FE0F
        // became a 2-column `0️` counted as 1; found by the width fuzzer), and `\r\n`, one
        // Character, never ended a line.
        if text.utf8.contains(0x0D) {
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: text.unicodeScalars.lazy.filter { $0 != "\r" })
            return wrap(String(scalars), width: width)
        }
        var lines: [String] = []
        var start = text.startIndex
        while true {
            let end = text[start...].firstIndex(of: "\n") ?? text.endIndex
            var state = LineBuilder(width: width)
            for character in text[start..<end] { state.add(character, into: &lines) }
            lines.append(state.finishedLine())
            if end == text.endIndex { break }
            start = text.index(after: end)
        }
        return lines
    }

    /// Accumulates one paragraph, emitting full lines as they fill.
    private struct LineBuilder {
        let width: Int
        var line = ""
        var lineWidth = 0
        /// Index in `line` just after the last space, and the width up to it.
        var breakIndex: String.Index?
        var breakWidth = 0
        /// True right after a soft break: leading spaces are dropped.
        var atSoftBreak = false

        init(width: Int) { self.width = width }

        mutating func add(_ character: Character, into lines: inout [String]) {
            switch character {
            case "\t":
                for _ in 0..<(4 - lineWidth % 4) { add(" ", columns: 1, into: &lines) }
            default:
                add(character, columns: DisplayWidth.of(character), into: &lines)
            }
        }

        mutating func add(_ character: Character, columns: Int, into lines: inout [String]) {
            if character == " " && atSoftBreak { return }
            while lineWidth + columns > width && lineWidth > 0 {
                if character == " " { breakHere(into: &lines); return }
                if let cut = breakIndex, cut < line.endIndex {
                    lines.append(Self.trimmed(String(line[..<cut])))
                    line = String(line[cut...])
                    lineWidth -= breakWidth
                } else {
                    lines.append(Self.trimmed(line))
                    line = ""
                    lineWidth = 0
                }
                breakIndex = nil
                breakWidth = 0
            }
            atSoftBreak = false
            line.append(character)
            lineWidth += columns
            if character == " " {
                breakIndex = line.endIndex
                breakWidth = lineWidth
            }
        }

        private mutating func breakHere(into lines: inout [String]) {
            lines.append(Self.trimmed(line))
            line = ""
            lineWidth = 0
            breakIndex = nil
            breakWidth = 0
            atSoftBreak = true
        }

        func finishedLine() -> String { Self.trimmed(line) }

        static func trimmed(_ text: String) -> String {
            var text = text
            while text.last == " " { text.removeLast() }
            return text
        }
    }
}
