import Foundation
import Testing

/// Issue 14, bug 7, through curses and a real terminal (tmux): emoji sequences typed into the
/// input line are drawn whole. Before, `👍🏽` lost its skin tone and `👨‍👩‍👧` was cut to `👨`
/// plus a zero-width joiner. (tmux 3.3a keeps both; if a tmux drops the modifier in
/// `capture-pane`, the family and the flag are still asserted.)
@Suite(.timeLimit(.minutes(5)), .serialized,
       .enabled(if: Harness.canRunTmux, "needs the swiftcoder binary and tmux (scripts/test)"))
struct EmojiEndToEndTests {
    static let family = "👨\u{200D}👩\u{200D}👧"

    @Test(arguments: [(120, 40), (80, 24)])
    func emojiSequencesAreDrawnWhole(size: (Int, Int)) throws {
        let binary = try #require(Harness.binary, "swiftcoder binary not found")
        let sandbox = try Harness.makeSandbox()
        let temporary = sandbox.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        var environment = Harness.environment(sandbox: sandbox)
        environment["TMPDIR"] = temporary.path
        let command = "cd '\(sandbox.path)' && '\(binary)' --demo; exec sleep 600"
        let session = try TmuxSession(command: command, columns: size.0, rows: size.1, environment: environment)
        defer { session.kill() }
        try session.waitFor("This is the demo")
        try session.type("a👍🏽b \(Self.family)c 🇫🇷d e\u{301}f")
        try session.waitFor("b ")
        let screen = try session.screen()
        let line = try #require(screen.first { $0.hasPrefix("› a") }, "\(screen)")
        #expect(line.contains("\(Self.family)c"), "the whole family, then the next word: \(line.unicodeScalars.map(\.value))")
        #expect(!line.contains("👨\u{200D}c"), "no cut sequence with a stray joiner")
        #expect(line.contains("🇫🇷d"))
        #expect(line.contains("e\u{301}f"))
        if !line.contains("a👍🏽b") {
            // Only acceptable as a capture-pane limitation: the thumb is there, and nothing else moved.
            #expect(line.contains("a👍b"), "\(line)")
        }
    }
}
