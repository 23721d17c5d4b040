import Testing
@testable import TerminalUI

/// Every invisible character is shown, as a marker piece (D56).
@Suite(.timeLimit(.minutes(2))) struct VisibleTextTests {
    func shown(_ text: String) -> String { VisibleText.pieces(text).map(\.text).joined() }

    @Test func tabsControlsAndDeleteAreSpelledOut() {
        #expect(shown("true\t&& echo X") == "true→&& echo X")
        #expect(shown("a\u{1B}[31mb\u{07}\u{0}\u{7F}\u{85}\u{9B}c") == #"a\x1b[31mb\x07\x00\x7f\x85\x9bc"#)
        #expect(shown("a\rb") == #"a\x0db"#)
        #expect(VisibleText.string("one\ntwo") == #"one\x0atwo"#)
    }

    @Test func formatBidiZeroWidthAndOddSpacesAreEscaped() {
        #expect(shown("a\u{200B}b\u{202E}c\u{2066}d\u{2069}e\u{FEFF}f") == #"a\u{200B}b\u{202E}c\u{2066}d\u{2069}e\u{FEFF}f"#)
        #expect(shown("x\u{A0}y\u{3000}z\u{2007}w") == #"x\u{00A0}y\u{3000}z\u{2007}w"#)
        #expect(shown("soft\u{AD}hyphen\u{3164}filler\u{2028}") == #"soft\u{00AD}hyphen\u{3164}filler\u{2028}"#)
        // A joiner inside an ordinary cluster is shown; inside an emoji sequence it is the picture.
        #expect(shown("a\u{200D}b") == #"a\u{200D}b"#)
        #expect(shown("👨‍👩‍👧 é ✔️ 你好") == "👨‍👩‍👧 é ✔️ 你好")
        // A combining mark with nothing to sit on would draw nothing.
        #expect(shown("\u{301}x") == #"\u{0301}x"#)
    }

    @Test func trailingSpacesAreDotsAndMarkersArePiecesOfTheirOwn() {
        #expect(shown("code  ") == "code··")
        #expect(shown("  \t") == "··→")
        #expect(shown("a b") == "a b")
        #expect(VisibleText.pieces("a\tb  ") == [
            .init("a", isMarker: false), .init("→", isMarker: true), .init("b", isMarker: false),
            .init("··", isMarker: true),
        ])
        #expect(VisibleText.pieces("keep  ", marksTrailingSpaces: false) == [.init("keep  ", isMarker: false)])
    }

    @Test func linesSplitAtEveryNewlineAndKeepTheCarriageReturnVisible() {
        let lines = VisibleText.lines("a\r\nb\n\nc").map { $0.map(\.text).joined() }
        #expect(lines == [#"a\x0d"#, "b", "", "c"])
    }

    @Test func everyMarkerHasAWidthTheScreenDraws() {
        let samples = "\t\u{1B}\u{7F}\u{85}\u{200B}\u{202E}\u{FEFF}\u{A0}\u{301} "
        for piece in VisibleText.pieces(samples) {
            #expect(DisplayWidth.of(piece.text) == piece.text.count, "\(piece.text)")
        }
    }
}
