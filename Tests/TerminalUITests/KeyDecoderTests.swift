import Testing
@testable import TerminalUI

@Suite struct KeyDecoderTests {
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
