import Testing
@testable import TerminalUI

@Suite(.timeLimit(.minutes(2))) struct TextWrapperTests {
    /// Found by the `width` fuzzer: dropping `\r` while building the line joined `0` and
    /// U+FE0F U+FE0F into one 2-column cluster counted as 1, so the line was 7 columns at 6.
    @Test func carriageReturnsNeverJoinTheirNeighbours() {
        let lines = TextWrapper.wrap("aaaaa0\r\u{FE0F}\r\u{FE0F}so", width: 6)
        for line in lines { #expect(DisplayWidth.of(line) <= 6) }
        #expect(lines.joined() == "aaaaa0\u{FE0F}\u{FE0F}so")
        #expect(TextWrapper.wrap("one\r\ntwo", width: 20) == ["one", "two"])
    }

    @Test func wrapsAtSpaces() {
        #expect(TextWrapper.wrap("the quick brown fox jumps", width: 10) == ["the quick", "brown fox", "jumps"])
    }

    @Test func hardBreaksAWordLongerThanTheLine() {
        #expect(TextWrapper.wrap("abcdefghijkl", width: 5) == ["abcde", "fghij", "kl"])
    }

    @Test func keepsNewlinesAndIndentation() {
        #expect(TextWrapper.wrap("a\n  b\n\nc", width: 10) == ["a", "  b", "", "c"])
    }

    @Test func cjkWrapsByDisplayWidth() {
        // 6 CJK characters = 12 columns; at width 5 each line holds 2 (4 columns).
        #expect(TextWrapper.wrap("你好世界和平", width: 5) == ["你好", "世界", "和平"])
        #expect(TextWrapper.wrap("ab你好", width: 5) == ["ab你", "好"])
    }

    @Test func emojiNeverStraddlesTheEdge() {
        let lines = TextWrapper.wrap("🙂🙂🙂", width: 5)
        #expect(lines == ["🙂🙂", "🙂"])
        for line in lines { #expect(DisplayWidth.of(line) <= 5) }
    }

    @Test func combiningMarksStayWithTheirBase() {
        let lines = TextWrapper.wrap("e\u{301}e\u{301}e\u{301}", width: 2)
        #expect(lines == ["e\u{301}e\u{301}", "e\u{301}"])
    }

    @Test func dropsSpacesAtSoftBreaks() {
        #expect(TextWrapper.wrap("aaaa     bbbb", width: 4) == ["aaaa", "bbbb"])
    }

    @Test func tabsExpandToFourColumnStops() {
        #expect(TextWrapper.wrap("a\tb", width: 20) == ["a   b"])
    }

    @Test func everyLineFitsForMixedText() {
        let text = "Mixed 日本語 text with emoji 🎉🎉 and accents e\u{301}te\u{301} repeated " + String(repeating: "漢字かな ", count: 20)
        for width in [3, 7, 13, 40] {
            for line in TextWrapper.wrap(text, width: width) { #expect(DisplayWidth.of(line) <= width, "width \(width): \(line)") }
        }
    }
}
