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
