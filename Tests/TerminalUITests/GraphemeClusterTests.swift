import Testing
@testable import TerminalUI

/// Issue 14, bug 7: emoji sequences are placed as whole grapheme clusters, one cell (plus a
/// continuation for a wide one), at the usual terminal sizes.
@Suite(.timeLimit(.minutes(2))) struct GraphemeClusterTests {
    static let family = "👨\u{200D}👩\u{200D}👧"
    static let samples: [(name: String, text: String, width: Int)] = [
        ("ZWJ family", family, 2),
        ("skin tone", "👍🏽", 2),
        ("flag", "🇫🇷", 1),  // glibc's wcwidth: regional indicators are narrow (D114)
        ("VS16", "❤\u{FE0F}", 2),
        ("combining marks", "e\u{301}\u{302}", 1),
        ("rainbow flag", "🏳\u{FE0F}\u{200D}🌈", 2),
    ]

    @Test(arguments: [(120, 40), (80, 24)])
    func clustersOccupyOneCellAndKeepEveryScalar(size: (Int, Int)) {
        for sample in Self.samples {
            var buffer = ScreenBuffer(width: size.0, height: size.1)
            let end = buffer.put("a\(sample.text)b", x: 0, y: size.1 - 1, style: .plain)
            #expect(end == 2 + sample.width, "\(sample.name)")
            #expect(buffer[1, size.1 - 1].character == Character(sample.text), "\(sample.name)")
            #expect(buffer[1, size.1 - 1].character.unicodeScalars.count == sample.text.unicodeScalars.count)
            if sample.width == 2 { #expect(buffer[2, size.1 - 1].isContinuation, "\(sample.name)") }
            // The next word follows at once: no stray joiner or modifier in a cell of its own.
            #expect(buffer[1 + sample.width, size.1 - 1].character == "b", "\(sample.name)")
            #expect(buffer.textLines[size.1 - 1] == "a\(sample.text)b")
        }
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func aWideClusterAtTheRightEdgeBecomesASpaceNotAHalf(size: (Int, Int)) {
        var buffer = ScreenBuffer(width: size.0, height: size.1)
        buffer.put(String(repeating: "x", count: size.0 - 1) + Self.family, x: 0, y: 0, style: .plain)
        #expect(buffer[size.0 - 1, 0].character == " ")
        #expect(!buffer.textLines[0].unicodeScalars.contains("\u{200D}"))
    }

    @Test func wrappingNeverSplitsACluster() {
        let text = String(repeating: "\(Self.family) 👍🏽 ", count: 30)
        for width in [80, 120, 7] {
            for line in TextWrapper.wrap(text, width: width) {
                #expect(DisplayWidth.of(line) <= width)
                #expect(line.unicodeScalars.first != "\u{200D}")
                #expect(line.unicodeScalars.last != "\u{200D}")
                for character in line where character.unicodeScalars.contains("\u{200D}") {
                    #expect(character == Character(Self.family))
                }
            }
        }
    }
}
