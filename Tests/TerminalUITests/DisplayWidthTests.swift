import Testing
@testable import TerminalUI

@Suite(.timeLimit(.minutes(2))) struct DisplayWidthTests {
    @Test func asciiIsOneColumn() {
        #expect(DisplayWidth.of("hello") == 5)
    }

    @Test func cjkIsTwoColumnsEach() {
        #expect(DisplayWidth.of("你好") == 4)
        #expect(DisplayWidth.of("日本語テキスト") == 14)
    }

    @Test func emojiIsTwoColumns() {
        #expect(DisplayWidth.of("🙂") == 2)
        #expect(DisplayWidth.of("👍🏽") == 2)  // with a skin-tone modifier: one cluster
        #expect(DisplayWidth.of("❤️") == 2)  // text-default symbol with VS16
    }

    /// Found by the `width` fuzzer: TextWrapper drops a `\r`, which joined `a` and a lone
    /// U+FE0F into one cluster counted as an emoji (2 columns), so a line overflowed by one.
    @Test func variationSelectorWidensOnlyEmoji() {
        #expect(DisplayWidth.of("a\u{FE0F}") == 1)
        #expect(DisplayWidth.of("\u{FE0F}") == 0)
        #expect(DisplayWidth.of("1\u{FE0F}\u{20E3}") == 2)  // keycap: digits have an emoji form
        let line = "full signa\r\u{FE0F}."
        for wrapped in TextWrapper.wrap(line, width: 11) { #expect(DisplayWidth.of(wrapped) <= 11) }
    }

    @Test func combiningMarksAddNoWidth() {
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("Café") == 4)
        #expect(DisplayWidth.of("a\u{301}\u{302}b") == 2)
    }

    @Test func controlCharactersAreZero() {
        #expect(DisplayWidth.of("\u{7}") == 0)
    }

    @Test func prefixStopsBeforeAWideCharacterThatDoesNotFit() {
        let (text, width) = DisplayWidth.prefix(of: "ab你好", fitting: 5)
        #expect(text == "ab你")
        #expect(width == 4)
    }

    @Test func truncatedTextEndsInAnEllipsisAndNeverSplitsAWideCharacter() {
        #expect(DisplayWidth.truncated("short", toFit: 10) == "short")
        #expect(DisplayWidth.truncated("exactly10!", toFit: 10) == "exactly10!")
        #expect(DisplayWidth.truncated("a longer title", toFit: 8) == "a longe…")
        // 你好世界 is 8 columns: 5 columns hold 你好 (4) and the ellipsis, never half of 世.
        #expect(DisplayWidth.truncated("你好世界", toFit: 5) == "你好…")
        #expect(DisplayWidth.of(DisplayWidth.truncated("你好世界", toFit: 6)) <= 6)
        #expect(DisplayWidth.truncated("anything", toFit: 0) == "")
    }

    /// D196: counting lone scalars (ASCII, punctuation, box drawing, ...) agrees with counting `Character`s, on 5,000
    /// random strings and their slices built from ASCII, controls, `\r\n`, combining marks,
    /// joiners, emoji with modifiers, flags, CJK, a prepended mark, Hangul jamo, tags, box
    /// drawing, punctuation, the soft hyphen and other format characters.
    @Test func countingLoneScalarsAgreesWithCountingCharacters() {
        let pieces = ["a", "Z", " ", "~", "\r", "\n", "\r\n", "\t", "\u{7F}", "\u{0}", "\u{301}", "e\u{301}", "x\u{308}",
                      "👍", "🏽", "👍🏽", "\u{200D}", "👨\u{200D}👩", "🇫", "🇷", "界", "語", "\u{FE0F}", "❤", "\u{600}",
                      "1", "·", "▓", "░", "é", "\u{1F3F3}", "…", "−", "\u{AD}", "\u{2028}", "\u{2060}", "⌚", "→", "─",
                      "Ω", "ÿ", "\u{2FF}", "\u{300}", "\u{1100}", "\u{1161}", "가", "\u{E0041}", "\u{200B}"]
        var random = SplitMix(state: 196)
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            #expect(DisplayWidth.of(text) == DisplayWidth.ofCharacterwise(text), "\(text.unicodeScalars.map(\.value))")
            guard !text.isEmpty else { continue }
            let cut = text.index(text.startIndex, offsetBy: Int.random(in: 0..<text.count, using: &random))
            let slice = text[cut...]
            #expect(DisplayWidth.of(slice) == DisplayWidth.ofCharacterwise(slice), "slice of \(text.unicodeScalars.map(\.value))")
        }
    }
}
