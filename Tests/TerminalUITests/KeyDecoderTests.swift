import Testing
@testable import TerminalUI

@Suite(.timeLimit(.minutes(2))) struct KeyDecoderTests {
    func scalars(_ text: String) -> [RawInput] { text.unicodeScalars.map { .scalar($0.value) } }

    @Test func printableAndControlKeys() {
        var decoder = KeyDecoder()
        let events = decoder.feed(scalars("a你\r") + [.scalar(0x03), .scalar(0x7F), .scalar(0x0A), .key(.up)])
        #expect(events == [.character("a"), .character("你"), .enter, .control("c"), .backspace, .control("j"), .up])
    }

    @Test func escapeAloneIsEscapeAndEscapePlusKeyIsAlt() {
        var decoder = KeyDecoder()
        #expect(decoder.feed([.scalar(0x1B)]) == [.escape])
        #expect(decoder.feed(scalars("\u{1B}b")) == [.alt("b")])
        #expect(decoder.feed(scalars("\u{1B}\r")) == [.altEnter])
    }

    @Test func bracketedPasteArrivesAsOneEvent() {
        var decoder = KeyDecoder()
        let events = decoder.feed(scalars("x\u{1B}[200~line one\rline two\u{1B}[201~y"))
        #expect(events == [.character("x"), .paste("line one\nline two"), .character("y")])
    }

    @Test func aPasteSplitAcrossReadsIsCompleted() {
        var decoder = KeyDecoder()
        #expect(decoder.feed(scalars("\u{1B}[20")).isEmpty)
        #expect(decoder.feed(scalars("0~你好\u{1B}[2")).isEmpty)
        #expect(decoder.isInPaste)
        #expect(decoder.feed(scalars("01~")) == [.paste("你好")])
        #expect(!decoder.isInPaste)
    }

    @Test func anEscapeInsidePastedTextIsKept() {
        var decoder = KeyDecoder()
        #expect(decoder.feed(scalars("\u{1B}[200~a\u{1B}b\u{1B}[201~")) == [.paste("a\u{1B}b")])
    }
}

@Suite(.timeLimit(.minutes(2))) struct MouseReportTests {
    func scalars(_ text: String) -> [RawInput] { text.unicodeScalars.map { .scalar($0.value) } }

    @Test func sgrWheelReportsBecomeWheelKeys() {
        var decoder = KeyDecoder()
        let events = decoder.feed(scalars("a\u{1B}[<64;10;5M\u{1B}[<65;1;1Mb"))
        #expect(events == [.character("a"), .mouseWheelUp, .mouseWheelDown, .character("b")])
    }

    @Test func wheelWithModifiersAndWideColumnsIsStillTheWheel() {
        var decoder = KeyDecoder()
        // Ctrl (16) + wheel up at column 300: beyond what the X10 encoding can express.
        #expect(decoder.feed(scalars("\u{1B}[<80;300;2M")) == [.mouseWheelUp])
    }

    @Test func clicksAndReleasesAreConsumedWithoutAnEvent() {
        var decoder = KeyDecoder()
        #expect(decoder.feed(scalars("\u{1B}[<0;3;4M\u{1B}[<0;3;4mx")) == [.character("x")])
    }

    @Test func aReportSplitAcrossReadsIsCompleted() {
        var decoder = KeyDecoder()
        #expect(decoder.feed(scalars("\u{1B}[<6")).isEmpty)
        #expect(decoder.feed(scalars("5;12;")).isEmpty)
        #expect(decoder.feed(scalars("7Mz")) == [.mouseWheelDown, .character("z")])
    }

    @Test func somethingElseAfterEscapeBracketIsNotEaten() {
        var decoder = KeyDecoder()
        #expect(decoder.feed(scalars("\u{1B}[<x")) == [.alt("["), .character("<"), .character("x")])
        #expect(decoder.feed(scalars("\u{1B}[200~p\u{1B}[201~")) == [.paste("p")])
    }

    @Test func matchReportsLengthAndEndings() {
        let report = "\u{1B}[<64;1;1M".unicodeScalars.map(\.value)
        #expect(MouseReport.match(report) == .complete(event: .mouseWheelUp, length: report.count))
        #expect(MouseReport.match(Array(report.prefix(5))) == .incomplete)
        #expect(MouseReport.match("\u{1B}[<1;2;3;4M".unicodeScalars.map(\.value)) == .none)
        #expect(MouseReport.match(("\u{1B}[<" + String(repeating: "1", count: 40)).unicodeScalars.map(\.value)) == .none)
    }
}

@Suite(.timeLimit(.minutes(2))) struct UntranslatedSequenceTests {
    func decode(_ text: String) -> [KeyEvent] {
        var decoder = KeyDecoder()
        return decoder.feed(text.unicodeScalars.map { RawInput.scalar($0.value) })
    }

    @Test func keysTheTerminalLibraryDidNotTranslateAreDecodedNotTyped() {
        #expect(decode("\u{1B}[4~") == [.end])
        #expect(decode("\u{1B}[1~x") == [.home, .character("x")])
        #expect(decode("\u{1B}[5~\u{1B}[6~") == [.pageUp, .pageDown])
        #expect(decode("\u{1B}OA\u{1B}[B") == [.up, .down])
        #expect(decode("\u{1B}[15~") == [.function(5)])
        #expect(decode("\u{1B}[1;5C") == [.right])
    }

    @Test func unknownSequencesAreDroppedAndAltKeysStillWork() {
        #expect(decode("\u{1B}[99~a") == [.character("a")])
        #expect(decode("\u{1B}[2J") == [])
        #expect(decode("\u{1B}b") == [.alt("b")])
        #expect(decode("\u{1B}[<x") == [.alt("["), .character("<"), .character("x")])
    }
}
