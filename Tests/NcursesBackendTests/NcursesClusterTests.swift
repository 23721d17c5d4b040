import CNcursesw
import Glibc
import Testing
import TerminalUI
@testable import NcursesBackend

/// Issue 14, bug 7: curses cells carry whole grapheme clusters. `setcchar` kept only
/// `👍` of `👍🏽` and `👨` plus a joiner of `👨‍👩‍👧`; the cell now holds every scalar
/// (up to `CCHARW_MAX`), and a longer ZWJ sequence degrades to its first emoji.
@Suite(.serialized, .timeLimit(.minutes(2))) struct NcursesClusterTests {
    static let family = "👨\u{200D}👩\u{200D}👧"
    static let familyOfFour = "👨\u{200D}👩\u{200D}👧\u{200D}👦"

    @Test func cellScalarsKeepWholeClustersThatFit() {
        for text in [Self.family, "👍🏽", "🇫🇷", "❤\u{FE0F}", "e\u{301}\u{302}", "🏳\u{FE0F}\u{200D}🌈"] {
            #expect(NcursesCell.scalars(for: Character(text)) == text.unicodeScalars.map(\.value))
        }
    }

    @Test func aClusterLongerThanACellFallsBackToItsFirstEmojiWithoutAJoiner() {
        #expect(Self.familyOfFour.unicodeScalars.count > Int(CCHARW_MAX))
        #expect(NcursesCell.scalars(for: Character(Self.familyOfFour)) == [0x1F468])
    }

    /// Writes each cluster through curses (an off-screen terminal on /dev/null) and reads the
    /// cell back: every scalar is there, in order.
    @Test func cursesStoresEveryScalarOfTheCluster() throws {
        #expect(DisplayWidth.localeIsUTF8)
        let output = try #require(fopen("/dev/null", "w"))
        let input = try #require(fopen("/dev/null", "r"))
        defer { fclose(output); fclose(input) }
        let screen = try #require(newterm("xterm-256color", output, input))
        defer { endwin(); delscreen(screen) }
        set_term(screen)
        let window = try #require(newwin(24, 80, 0, 0))
        defer { delwin(window) }
        for text in [Self.family, "👍🏽", "🇫🇷", "❤\u{FE0F}", "e\u{301}", Self.familyOfFour] {
            let character = Character(text)
            var cell = NcursesCell.make(character, attributes: 0, pair: 0)
            #expect(mvwadd_wch(window, 3, 10, &cell) == OK)
            var back = cchar_t()
            #expect(mvwin_wch(window, 3, 10, &back) == OK)
            let stored = withUnsafeBytes(of: &back.chars) { raw in
                raw.bindMemory(to: wchar_t.self).prefix { $0 != 0 }.map { UInt32(bitPattern: $0) }
            }
            #expect(stored == NcursesCell.scalars(for: character), "\(text)")
        }
    }
}

/// D194 against real curses: after `scroll` and the diff taken against the moved frame, the
/// screen curses holds is the new frame, cell by cell, inside the region and around it.
/// (In the serialized suite: curses is one global screen.)
extension NcursesClusterTests {
    @Test func cursesMovedByScrollHoldsTheNewFrameAfterTheDiff() throws {
        let output = try #require(fopen("/dev/null", "w"))
        let input = try #require(fopen("/dev/null", "r"))
        defer { fclose(output); fclose(input) }
        let terminal = try NcursesTerminal(term: "xterm-256color", output: output, input: input,
                                           outputDescriptor: fileno(output))
        defer { terminal.shutdown() }
        let size = terminal.size  // terminfo's 80x24 off a terminal
        let region = Rect(x: 1, y: 0, width: 60, height: size.rows - 2)
        func frame(_ first: Int, side: String) -> ScreenBuffer {
            var buffer = ScreenBuffer(width: size.columns, height: size.rows)
            for y in 0..<region.height {
                _ = buffer.put("line \(first + y): wide 界 and 👍🏽 \(String(repeating: "~", count: (first + y) % 9))",
                               x: region.x, y: y, style: .plain, maxX: region.maxX)
            }
            _ = buffer.put(side, x: 63, y: 2, style: Style(attributes: .bold), maxX: size.columns)
            return buffer
        }
        var differ = FrameDiffer()
        terminal.draw(differ.changes(to: frame(0, side: "sidebar")), cursor: nil)
        var first = 0
        for (moved, side) in [(1, "sidebar"), (3, "sidebar"), (2, "other"), (4, "other")] {
            first += moved
            let scroll = RegionScroll(rect: region, rows: moved)
            #expect(terminal.scroll(scroll))
            differ.scroll(scroll)
            let next = frame(first, side: side)
            let runs = differ.changes(to: next)
            terminal.draw(runs, cursor: nil)
            if side == "sidebar" {
                #expect(runs.allSatisfy { $0.y >= region.maxY - moved }, "only the new rows are sent")
            }
            var wrong: [String] = []
            for y in 0..<size.rows {
                for x in 0..<size.columns where !next[x, y].isContinuation {
                    let expected = next[x, y].glyph.scalars
                    if terminal.storedScalars(x: x, y: y) != expected { wrong.append("(\(x),\(y))") }
                }
            }
            #expect(wrong.isEmpty, "after moving \(moved): cells \(wrong.prefix(10))")
        }
    }
}
