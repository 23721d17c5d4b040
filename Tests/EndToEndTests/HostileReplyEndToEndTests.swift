import Foundation
import MockLLMServer
import Testing

/// Hostile replies in a real terminal (issue 10, D54-D56): a reply that once overflowed the
/// stack and one that once kept the UI busy for more than 20 s render, and the input line
/// still answers; the approval box shows a command's tab and escape.
@Suite(.timeLimit(.minutes(5)), .serialized, .enabled(if: Harness.canRunTmux, "needs the swiftcoder binary and tmux (scripts/test)"))
struct HostileReplyEndToEndTests {
    /// How long the input line may take to show typed text after a hostile reply. A deadline
    /// for the poll, generous for a loaded 2-core machine; the time seen is printed.
    static let inputDeadlineSeconds = 10.0

    /// Sends `reply` as the mock's answer, waits until `needle` and the finished turn show,
    /// then types and measures until the input line shows the text.
    func replyThenType(_ reply: String, chunks: Int, showing needle: String) throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: reply, chunkCount: chunks))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let app = TUIEndToEndTests()
        let session = try app.startApp(config: config, sandbox: sandbox)
        defer { session.kill() }
        try session.waitFor("● online")
        try session.submit("go")
        let sent = Date()
        try session.waitFor(needle, "turn in", "ready", seconds: 60)
        print("[hostile e2e] \(reply.count)-character reply shown and the turn over after "
              + String(format: "%.2f s", Date().timeIntervalSince(sent)))
        let typed = Date()
        try session.type("still here")
        let answered = Harness.poll(seconds: Self.inputDeadlineSeconds) {
            ((try? session.screen()) ?? []).contains { $0.contains("› still here") }
        }
        let elapsed = Date().timeIntervalSince(typed)
        print("[hostile e2e] input line showed typed text after " + String(format: "%.2f s", elapsed))
        #expect(answered, "the input line did not answer:\n\((try? session.screenText()) ?? "")")
        try session.send("C-u")
        try session.waitForAbsence("› still here")
        try session.send("C-d")
        try app.expectRestored(session, sandbox: sandbox, status: "0")
    }

    @Test func twentyThousandQuoteMarkersRenderAndTheInputAnswers() throws {
        try replyThenType(String(repeating: ">", count: 20_000) + " bottom of the well", chunks: 4,
                          showing: "┊ bottom of the well")
    }

    @Test func theBracketFloodRendersAndTheInputAnswers() throws {
        let flood = String(repeating: "[", count: 50_000) + String(repeating: "*_`", count: 10_000)
        // The view follows the end of the reply, the `*_` part (code spans take the backticks).
        try replyThenType(flood, chunks: 1, showing: "*_*_")
    }

    @Test func theApprovalBoxShowsATabAndAnEscapeInTheCommand() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "unused", chunkCount: 2))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let session = try TUIEndToEndTests().startApp(config: config, sandbox: sandbox)
        defer { session.kill() }
        try session.waitFor("● online")
        // JSON escapes: the command holds a real tab and a real ESC.
        try session.submit(#"run [[tool run_command {"command": "true\t&& printf '\u001b[2J' && echo X"}]]"#)
        try session.waitFor("Allow run_command?", #"true→&& printf '\x1b[2J' && echo X"#, "y yes · n no")
        let screen = try session.screen()
        // Once in the box (its rows start with the border): no separate key-argument line.
        let inBox = screen.filter { $0.contains("│ true→&& printf") }
        #expect(inBox.count == 1, "\(screen.joined(separator: "\n"))")
        try session.send("Escape")
        try session.waitFor("ready")
        try session.send("C-d")
    }
}
