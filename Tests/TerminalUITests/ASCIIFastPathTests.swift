import Testing
@testable import TerminalUI

/// `put`'s printable-ASCII fast path (D181) draws exactly what the general, per-grapheme path
/// draws, wherever the text starts and ends, whatever follows the visible part.
@Suite(.timeLimit(.minutes(2))) struct ASCIIFastPathTests {
    /// The general path: inside a generic function the `some StringProtocol` form is chosen.
    static func putGenerally<S: StringProtocol>(_ text: S, in buffer: inout ScreenBuffer, x: Int, y: Int,
                                                maxX: Int?) -> Int {
        buffer.put(text, x: x, y: y, style: .plain, maxX: maxX)
    }

    static let pieces = ["a", "Z", " ", "~", "{", "é", "e\u{301}", "\u{301}", "你", "👍🏽", "\t", "\r\n", "\u{1B}",
                         "\u{7F}", "\u{200B}", "1", "=", "\u{FE0F}"]

    /// A small deterministic generator (no flaky seeds).
    struct SplitMix {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    @Test func theFastPathDrawsWhatTheGeneralPathDraws() {
        var random = SplitMix(state: 42)
        for round in 0..<3_000 {
            // Mostly ASCII, sometimes not, so both the fast path and its refusals are exercised.
            let asciiOnly = random.next(3) != 0
            let count = random.next(30)
            var text = ""
            for _ in 0..<count {
                text += asciiOnly ? Self.pieces[random.next(5)] : Self.pieces[random.next(Self.pieces.count)]
            }
            if random.next(4) == 0 { text += Self.pieces[5 + random.next(Self.pieces.count - 5)] }
            let x = random.next(24) - 4
            let maxX: Int? = random.next(3) == 0 ? nil : random.next(22)
            var background = ScreenBuffer(width: 20, height: 2)
            background.put("你好 background 👍", x: 0, y: 1, style: .plain)
            var fast = background, general = background
            let fastEnd = fast.put(text, x: x, y: 1, style: .plain, maxX: maxX)
            let generalEnd = Self.putGenerally(text, in: &general, x: x, y: 1, maxX: maxX)
            #expect(fast == general, "round \(round): \(text.debugDescription) at \(x), maxX \(String(describing: maxX))")
            #expect(fastEnd == generalEnd, "round \(round): \(text.debugDescription)")
            var fromSubstring = background
            _ = fromSubstring.put(text[...], x: x, y: 1, style: .plain, maxX: maxX)
            #expect(fromSubstring == general, "round \(round), substring: \(text.debugDescription)")
        }
    }

    @Test func aCombiningMarkAfterTheVisiblePartIsNotCutFromItsLetter() {
        var fast = ScreenBuffer(width: 3, height: 1), general = ScreenBuffer(width: 3, height: 1)
        fast.put("abe\u{301}x", x: 0, y: 0, style: .plain)
        _ = Self.putGenerally("abe\u{301}x", in: &general, x: 0, y: 0, maxX: nil)
        #expect(fast == general)
        #expect(fast[2, 0].character == "e\u{301}")
    }
}

/// `TextWrapper.wrap`'s shortcut for printable ASCII that fits (D181) returns what the general
/// path returns.
@Suite(.timeLimit(.minutes(2))) struct WrapShortcutTests {
    @Test func aFittingASCIILineWrapsAsTheGeneralPathWould() {
        var random = ASCIIFastPathTests.SplitMix(state: 7)
        var shortcuts = 0
        for round in 0..<2_000 {
            var text = ""
            for _ in 0..<random.next(24) { text += ["a", " ", "b", "-", "é", "\t", "\n", "你"][random.next(random.next(4) == 0 ? 8 : 4)] }
            let width = 1 + random.next(24)
            let wrapped = TextWrapper.wrap(text, width: width)
            guard text.utf8.count <= width, text.utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) else { continue }
            shortcuts += 1
            // A trailing newline keeps the shortcut out; its first line is the general path's answer.
            let general = TextWrapper.wrap(text + "\n", width: width)
            #expect(general.count == 2 && wrapped == [general[0]], "round \(round): \(text.debugDescription) at \(width)")
        }
        #expect(shortcuts > 100)
        #expect(TextWrapper.wrap("fits  ", width: 10) == ["fits"])
        #expect(TextWrapper.wrap("  indented", width: 10) == ["  indented"])
        #expect(TextWrapper.wrap("exactly10!", width: 10) == ["exactly10!"])
        #expect(TextWrapper.wrap("one more word", width: 10) == ["one more", "word"])
    }
}
