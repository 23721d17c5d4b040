import FoundationEssentials
import Testing
@testable import TerminalUI

@Suite(.timeLimit(.minutes(2))) struct TerminalOutputSanitizerTests {
    private func visible(_ text: String) -> String { TerminalOutputSanitizer.sanitize(text) }

    @Test func clipboardWriteAndTitleChangeAreShownNotObeyed() {
        #expect(visible("a\u{1B}]52;c;cm0gLXJmIH4=\u{07}b") == #"a\x1b]52;c;cm0gLXJmIH4=\x07b"#)
        #expect(visible("\u{1B}]0;pwned\u{1B}\\") == #"\x1b]0;pwned\x1b\"#)
        #expect(visible("\u{1B}[2J\u{1B}[31mred") == #"\x1b[2J\x1b[31mred"#)
    }

    @Test func controlCharactersExceptNewlineAndTabAreEscaped() {
        #expect(visible("a\tb\nc") == "a\tb\nc")
        #expect(visible("\u{0}\u{7}\u{8}\u{7F}") == #"\x00\x07\x08\x7f"#)
        // A lone carriage return would let later text overwrite what the user should see.
        #expect(visible("rm -rf ~\rls      ") == #"rm -rf ~\x0dls      "#)
        #expect(visible("line\r\nnext\r") == "line\r\nnext\\x0d")
    }

    @Test func c1ControlsAndBidiOverridesAreEscaped() {
        #expect(visible("\u{9B}31m\u{9D}0;t\u{9C}") == #"\u{9b}31m\u{9d}0;t\u{9c}"#)
        #expect(visible("abc\u{202E}fed\u{202C}") == #"abc\u{202e}fed\u{202c}"#)
        #expect(visible("\u{2066}x\u{2069}\u{202A}") == #"\u{2066}x\u{2069}\u{202a}"#)
    }

    @Test func everythingElseIsKept() {
        let text = "Hello, 你好, 🙂 👍🏽, é (e\u{301}), עברית\u{200F}, 1 < 2 & \"quotes\" \\ backslash"
        #expect(visible(text) == text)
        #expect(visible("\u{A0}\u{FEFF}\u{10FFFF}") == "\u{A0}\u{FEFF}\u{10FFFF}")
    }

    @Test func bytesThatAreNotUTF8ShowAsHex() {
        var sanitizer = TerminalOutputSanitizer()
        let output = sanitizer.feed(bytes: [0xFF, 0x41, 0xC0, 0x80, 0xED, 0xA0, 0x80, 0xF4, 0x90, 0x80, 0x80, 0x42])
        #expect(String(decoding: output, as: UTF8.self)
                == #"\xffA\xc0\x80\xed\xa0\x80\xf4\x90\x80\x80B"#)
        // A sequence cut off by the end of the stream.
        #expect(sanitizer.feed(bytes: [0x43, 0xE4, 0xBD]).elementsEqual(Array("C".utf8)))
        #expect(sanitizer.finish() == #"\xe4\xbd"#)
    }

    /// Fed in two pieces at every possible split, or byte by byte, the output is what the
    /// whole input gives: a split UTF-8 sequence or `\r\n` is not mistaken for anything.
    @Test func chunkBoundariesDoNotChangeTheOutput() {
        let bytes = Array("ok 你\r\n🙂\u{1B}]52;c;x\u{07}\u{9B}é\r\u{202E}!\r".utf8) + [0xF0, 0x9F]
        var whole = TerminalOutputSanitizer()
        let expected = String(decoding: whole.feed(bytes: bytes), as: UTF8.self) + whole.finish()
        #expect(expected == "ok 你\r\n🙂\\x1b]52;c;x\\x07\\u{9b}é\\x0d\\u{202e}!\\x0d\\xf0\\x9f")
        for split in 0...bytes.count {
            var sanitizer = TerminalOutputSanitizer()
            var output = sanitizer.feed(bytes: Array(bytes[..<split]))
            output += sanitizer.feed(bytes: Array(bytes[split...]))
            #expect(String(decoding: output, as: UTF8.self) + sanitizer.finish() == expected, "split at \(split)")
        }
        var sanitizer = TerminalOutputSanitizer()
        var output: [UInt8] = []
        for byte in bytes { output += sanitizer.feed(bytes: [byte]) }
        #expect(String(decoding: output, as: UTF8.self) + sanitizer.finish() == expected)
    }

    @Test func streamedStringsKeepACarriageReturnLineFeedSplitAcrossChunks() {
        var sanitizer = TerminalOutputSanitizer()
        #expect(sanitizer.feed("one\r") == "one")
        #expect(sanitizer.feed("\ntwo\r") == "\r\ntwo")
        #expect(sanitizer.feed("three") == "\\x0dthree")
        #expect(sanitizer.finish() == "")
    }

    @Test func jsonNotationKeepsTheSameJSON() throws {
        struct Record: Codable, Equatable { var text: String }
        let record = Record(text: "a\u{9B}b\u{202E}c\u{7F}d\u{1B}]0;t\u{07}")
        let encoded = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
        let sanitized = TerminalOutputSanitizer.sanitize(encoded, notation: .json)
        #expect(!sanitized.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" })
        #expect(sanitized.contains(#"\u009b"#) && sanitized.contains(#"\u202e"#) && sanitized.contains(#"\u007f"#))
        #expect(try JSONDecoder().decode(Record.self, from: Data(sanitized.utf8)) == record)
    }

    @Test func aLongRunOfEscapesIsHandledWhole() {
        let text = String(repeating: "\u{1B}", count: 100_000)
        #expect(visible(text) == String(repeating: #"\x1b"#, count: 100_000))
    }
}
