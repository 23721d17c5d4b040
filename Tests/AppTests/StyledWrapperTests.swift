import Testing
import TerminalUI
@testable import App

/// The wrapper takes runs of plain ASCII a word at a time (D191) and anything else a
/// character at a time; whatever the text, styles, widths and split into runs, both give the
/// same lines, and a copy resumed later continues as the original.
@Suite(.timeLimit(.minutes(2))) struct StyledWrapperTests {
    static let pieces = [
        "word", "tok1 ", " ", "  ", "\t", "\n", "\n\n", "a", "Supercalifragilisticexpialidocious",
        String(repeating: "x", count: 45), "x-y-z", "你好", "🙂", "e\u{301}", "\u{301}", "\r", "\r\n", "\u{7}",
        "\u{7F}", "—", "end.", "(paren)", "~!@#$%^&*",
    ]
    static let styles = [Style(), Style(attributes: .bold), Style(foreground: .cyan)]

    /// Random runs of random pieces in random styles.
    static func runs(seed: UInt64) -> [StyledWrapper.Segment] {
        var random = SplitMix(state: seed)
        return (0..<Int.random(in: 1...30, using: &random)).map { _ in
            let text = (0..<Int.random(in: 1...4, using: &random))
                .map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }.joined()
            return (text, styles[Int.random(in: 0..<styles.count, using: &random)])
        }
    }

    /// The lines of `runs` fed one character at a time (the general path only).
    static func characterAtATime(_ runs: [StyledWrapper.Segment], width: Int) -> [StyledLine] {
        var builder = StyledWrapper.Builder(width: width)
        for run in runs {
            for character in run.text { builder.add(character, style: run.style) }
        }
        return builder.finished()
    }

    @Test func wordAtATimeEqualsCharacterAtATime() {
        for seed in 0..<400 as Range<UInt64> {
            let runs = Self.runs(seed: seed)
            for width in [1, 2, 5, 13, 40, 120] {
                let fast = StyledWrapper.wrap(runs, width: width)
                let reference = ReferenceWrapper.wrap(runs, width: width)
                #expect(fast == reference, "seed \(seed), width \(width)")
                #expect(Self.characterAtATime(runs, width: width) == reference, "seed \(seed), width \(width)")
            }
        }
    }

    @Test func aResumedCopyContinuesAsTheOriginal() {
        for seed in 0..<200 as Range<UInt64> {
            let runs = Self.runs(seed: seed)
            let split = runs.count / 2
            var first = StyledWrapper.Builder(width: 17)
            first.add(Array(runs[..<split]))
            var resumed = first
            resumed.add(Array(runs[split...]))
            #expect(resumed.finished() == StyledWrapper.wrap(runs, width: 17), "seed \(seed)")
        }
    }

    @Test func aLongASCIIWordIsCutAtTheEdgeAndSpacesAtASoftBreakAreDropped() {
        let lines = StyledWrapper.wrap([("ab " + String(repeating: "x", count: 12) + "   cd", Style())], width: 5)
        #expect(lines.map { $0.segments.map(\.text).joined() } == ["ab", "xxxxx", "xxxxx", "xx", "cd"])
    }

    @Test func stylesStayApartInsideAWord() {
        let lines = StyledWrapper.wrap([("fo", Style()), ("o", Style(attributes: .bold)), ("bar", Style())], width: 3)
        #expect(lines.map { $0.segments.map(\.text) } == [["fo", "o"], ["bar"]])
        #expect(lines[0].segments.map(\.style) == [Style(), Style(attributes: .bold)])
    }
}

/// Plain prose (ASCII without markup characters) skips the inline parser (D191): its runs and
/// its cut are those the parser gives, character by character.
@Suite(.timeLimit(.minutes(2))) struct PlainInlineTests {
    static let pieces = ["tok1", " ", "  ", "word.", "a", "(x)", "-", "!", "#", "1.", "http://a.b/c", "x=y", ">", "\n",
                         "\t", "~", "&", "\r", "*", "_", "`", "[", "<", "\\", "é", ""]

    @Test func plainTextParsesAsTheParserWould() {
        for seed in 0..<2_000 as Range<UInt64> {
            var random = SplitMix(state: seed)
            let text = (0..<Int.random(in: 0...12, using: &random))
                .map { _ in Self.pieces[Int.random(in: 0..<Self.pieces.count, using: &random)] }.joined()
            let fast = InlineMarkdown.parseWithCut(text)
            let slow = InlineMarkdown.parseWithCutCharacterwise(text)
            #expect(fast.cut == slow.cut, "\(text.debugDescription)")
            #expect(fast.runs.map(\.text) == slow.runs.map(\.text), "\(text.debugDescription)")
            #expect(fast.runs.map(\.traits) == slow.runs.map(\.traits), "\(text.debugDescription)")
            let whole = InlineMarkdown.parse(text)
            #expect(whole.map(\.text) == InlineMarkdown.parseCharacterwise(text).map(\.text), "\(text.debugDescription)")
        }
    }

    @Test func theCutOfPlainTextIsAfterItsLastSpaceBeforeTheLastCharacter() {
        #expect(InlineMarkdown.parseWithCut("tok1 tok2 tok3").cut == 10)
        #expect(InlineMarkdown.parseWithCut("tok1 tok2 t").cut == 5)
        #expect(InlineMarkdown.parseWithCut("tok1 tok2 to").cut == 10)
        #expect(InlineMarkdown.parseWithCut("tok1 tok2 ").cut == 5)
        #expect(InlineMarkdown.parseWithCut("tok1").cut == nil)
        #expect(InlineMarkdown.parseWithCut("").runs.isEmpty)
    }
}

/// The wrapper as it was before D191, one character at a time with no pieces: the oracle.
private struct ReferenceWrapper {
    let width: Int
    var lines: [StyledLine] = []
    var line: [StyledWrapper.Segment] = []
    var lineWidth = 0
    var spaces: [StyledWrapper.Segment] = []
    var word: [(Character, Style, Int)] = []
    var wordWidth = 0
    var afterSoftBreak = false

    static func wrap(_ runs: [StyledWrapper.Segment], width: Int) -> [StyledLine] {
        var wrapper = ReferenceWrapper(width: width)
        for run in runs {
            for character in run.text { wrapper.add(character, style: run.style) }
        }
        wrapper.finishWord()
        wrapper.emitLine()
        return wrapper.lines
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
        if lineWidth + spaces.count + wordWidth > width { spaces.removeAll() }
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
