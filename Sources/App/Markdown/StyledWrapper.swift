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
        let width: Int
        var lines: [StyledLine] = []
        var line: [Segment] = []
        var lineWidth = 0
        var spaces: [Segment] = []
        var word: [(Character, Style, Int)] = []
        var wordWidth = 0
        /// True at the start of a line made by a soft break: its leading spaces are dropped.
        var afterSoftBreak = false

        init(width: Int) { self.width = width }

        /// Adds `runs` after what was added so far.
        mutating func add(_ runs: [Segment]) {
            for run in runs {
                for character in run.text { add(character, style: run.style) }
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
                word.append((character, style, columns))
                wordWidth += columns
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
            for (character, style, columns) in word {
                if lineWidth + columns > width && lineWidth > 0 {
                    emitLine()
                    afterSoftBreak = true
                }
                append(String(character), style, columns)
            }
            word.removeAll()
            wordWidth = 0
            afterSoftBreak = false
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
