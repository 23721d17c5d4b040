import Testing
@testable import TerminalUI

/// A cell's grapheme cluster as plain data (D186).
@Suite(.timeLimit(.minutes(1))) struct GlyphTests {
    static let family = "👨\u{200D}👩\u{200D}👧"
    static let familyOfFour = "👨\u{200D}👩\u{200D}👧\u{200D}👦"

    @Test func clustersThatFitACellComeBackWhole() {
        for text in ["a", " ", "~", "é", "e\u{301}\u{302}", "你", "👍🏽", "🇫🇷", "❤\u{FE0F}", Self.family,
                     "🏳\u{FE0F}\u{200D}🌈", "\u{10FFFF}"] {
            let glyph = Glyph(Character(text))
            #expect(glyph.character == Character(text), "\(text)")
            #expect(glyph.scalars == text.unicodeScalars.map(\.value), "\(text)")
        }
    }

    @Test func asciiGlyphsEqualTheGeneralForm() {
        for byte in UInt8(0x20)...UInt8(0x7E) {
            #expect(Glyph(ascii: byte) == Glyph(Character(Unicode.Scalar(byte))))
        }
        #expect(Cell.blank == Cell(" "))
    }

    /// What a curses cell can hold: a longer ZWJ sequence keeps its first emoji, never a
    /// trailing joiner; a base with many combining marks keeps the first five scalars.
    @Test func longerClustersAreCutAsACellCutsThem() {
        #expect(Glyph(Character(Self.familyOfFour)).scalars == [0x1F468])
        let zalgo = "a" + String(repeating: "\u{301}", count: 40)
        let glyph = Glyph(Character(zalgo))
        #expect(glyph.scalarCount == Glyph.capacity)
        #expect(glyph.character == Character("a" + String(repeating: "\u{301}", count: 4)))
        #expect(Glyph(Character(zalgo)) == Glyph(Character("a" + String(repeating: "\u{301}", count: 9))))
    }

    /// The diff's row check compares bytes: rows that differ in one cell's glyph, style or
    /// continuation flag are found; equal rows are not.
    @Test func theDiffFindsEveryKindOfChangeAndNothingElse() {
        var before = ScreenBuffer(width: 20, height: 3)
        before.put("hello 👍🏽 world", x: 0, y: 0, style: .plain)
        before.put("second", x: 0, y: 1, style: .plain)
        #expect(before.diff(from: before).isEmpty)
        var glyph = before
        glyph.put("e\u{301}", x: 1, y: 0, style: .plain)
        #expect(glyph.diff(from: before).map(\.y) == [0])
        var styled = before
        styled.put("s", x: 0, y: 1, style: Style(attributes: .bold))
        #expect(styled.diff(from: before).map(\.y) == [1])
        var wide = before
        wide.put("你", x: 5, y: 2, style: .plain)
        #expect(wide.diff(from: before).first.map { ($0.y, $0.x, $0.cells.count) } ?? (0, 0, 0) == (2, 5, 2))
    }
}
