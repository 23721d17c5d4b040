import Foundation
import MockLLMServer
import Pricing
import Testing

/// Issue 12 against the mock with a small window (`--context-window`): a long session goes on,
/// the first fact survives compactions, no request is refused, and `/compact` and
/// `/compact undo` work in the real app.
@Suite(.timeLimit(.minutes(5)), .serialized, .enabled(if: Harness.canRunTmux, "needs the swiftcoder binary and tmux (scripts/test)"))
struct CompactionEndToEndTests {
    static let window = 4000

    private func fixture() throws -> AppFixture {
        var configuration = MockLLMConfiguration(replyText: String(repeating: "The reply goes on. ", count: 20),
                                                 chunkCount: 2)
        configuration.contextWindow = Self.window
        let fixture = try AppFixture(configuration)
        let text = """
            {
              "defaultProvider": "mock",
              "compaction": {"auto": true, "threshold": 0.8, "keepRecentTurns": 2},
              "providers": {
                "mock": {"type": "openai-compatible", "apiBase": "\(fixture.server.baseURL)", "apiKey": "sk-x",
                         "model": "mock-model", "contextWindow": \(Self.window)}
              }
            }
            """
        try text.write(to: fixture.config, atomically: true, encoding: .utf8)
        return fixture
    }

    private func message(_ index: Int) -> String {
        (index == 1 ? "The secret code is PELICAN-42. " : "") + "Exchange \(index): "
            + String(repeating: "please keep going with the work ", count: 25)
    }

    @Test func tenExchangesInASmallWindowGoOnAndCompactNowAndUndoWork() throws {
        let fixture = try fixture()
        defer { fixture.stop() }
        let session = try fixture.start()
        defer { session.kill() }
        try session.waitFor("● online")
        for index in 1...10 {
            let before = fixture.server.exchanges.count { $0.outcome == .completed }
            try session.submit(message(index))
            #expect(Harness.poll(seconds: 60) { fixture.chatRequests.contains { $0.bodyText.contains("Exchange \(index):") } })
            try session.waitFor("ready", seconds: 60)
            #expect(fixture.server.exchanges.count > before)
        }
        let screen = try session.screenText()
        #expect(!screen.contains("context too long"), "\(screen)")
        // No request was refused for its size: the summary requests fitted too.
        #expect(fixture.chatRequests.allSatisfy { ($0.body.count + 3) / 4 <= Self.window })
        let summaries = fixture.chatRequests.filter { $0.bodyText.contains("You compact a coding agent") }
        #expect(summaries.count >= 2, "compactions: \(summaries.count)")
        let last = try #require(fixture.chatRequests.last { !$0.bodyText.contains("You compact a coding agent") })
        #expect(last.bodyText.contains("PELICAN-42"))
        #expect(last.bodyText.contains("Exchange 10:"))

        // The chat said where the automatic compactions happened.
        #expect(screen.contains("compacted the conversation") || summaries.count > 0)
        try session.submit("/context")
        try session.waitFor("of 4000 tokens (window from config)", "system prompt", "tool definitions",
                            "last tool outputs", "free")
        // The meter's bar shows the figure /context printed (D135).
        let afterTurns = try Self.contextFigure(session)
        try session.waitFor("\(TokenFormat.compact(afterTurns))/4k")
        try session.submit("/compact focus on the secret code")
        // The screen may still show an automatic compaction's notice: wait for the request itself.
        #expect(Harness.poll(seconds: 60) {
            fixture.chatRequests.contains { $0.bodyText.contains("Focus: focus on the secret code") }
        })
        try session.waitFor("compacted the conversation", seconds: 60)
        // The meter says it happened and what it saved (D136), and agrees with /context.
        try session.waitFor("compacted −")
        try session.submit("/context")
        try session.waitFor("Context: ~", seconds: 10)
        let compacted = try Self.contextFigure(session, after: afterTurns)
        try session.waitFor("\(TokenFormat.compact(compacted))/4k")
        // Both views export: the compacted one, and the full history kept in the database.
        try session.submit("/export view.md")
        try session.waitFor("to \(fixture.sandbox.appendingPathComponent("view.md").path)")
        try session.submit("/export full full.md")
        try session.waitFor("to \(fixture.sandbox.appendingPathComponent("full.md").path)")
        let view = try String(contentsOf: fixture.sandbox.appendingPathComponent("view.md"), encoding: .utf8)
        let full = try String(contentsOf: fixture.sandbox.appendingPathComponent("full.md"), encoding: .utf8)
        #expect(view.contains("[Conversation compacted by swiftcoder]"))
        #expect(!view.contains("Exchange 3:"))
        #expect(!full.contains("[Conversation compacted by swiftcoder]"))
        for index in 1...10 { #expect(full.contains("Exchange \(index):")) }
        try session.submit("/compact undo")
        try session.waitFor("restored the conversation", seconds: 30)
        try session.submit("/context")
        let restored = try Self.contextFigure(session, after: compacted)
        #expect(restored > compacted, "undo: \(restored) after \(compacted)")
        try session.waitFor("\(TokenFormat.compact(restored))/4k")
        try fixture.quit(session)
    }

    /// The figure of the newest `/context` answer on screen (`Context: ~N of`), polled until it
    /// differs from `previous`.
    static func contextFigure(_ session: TmuxSession, after previous: Int? = nil) throws -> Int {
        var figure: Int?
        _ = Harness.poll(seconds: 20) {
            guard let screen = try? session.screenText() else { return false }
            figure = screen.components(separatedBy: "Context: ~").dropFirst().last
                .flatMap { Int($0.prefix { $0.isNumber }) }
            return figure != nil && figure != previous
        }
        return try #require(figure)
    }
}

/// Without a configured window the app learns it from the server's overflow error: each
/// overflow is compacted and sent again once, and the session goes on (issue 12, item 4).
@Suite(.timeLimit(.minutes(5)), .serialized, .enabled(if: Harness.canRunTmux, "needs the swiftcoder binary and tmux (scripts/test)"))
struct OverflowRecoveryEndToEndTests {
    @Test func theServersOverflowIsRecoveredAndTheWindowLearned() throws {
        var configuration = MockLLMConfiguration(replyText: String(repeating: "The reply goes on. ", count: 20),
                                                 chunkCount: 2)
        configuration.contextWindow = 3000
        let fixture = try AppFixture(configuration)
        defer { fixture.stop() }
        let session = try fixture.start()
        defer { session.kill() }
        try session.waitFor("● online")
        for index in 1...8 {
            try session.submit("Exchange \(index): " + String(repeating: "please keep going with the work ", count: 25))
            #expect(Harness.poll(seconds: 60) { fixture.chatRequests.contains { $0.bodyText.contains("Exchange \(index):") } })
            try session.waitFor("ready", seconds: 60)
        }
        // Some request was refused for its size, a summary followed, and nothing failed.
        #expect(fixture.chatRequests.contains { ($0.body.count + 3) / 4 > 3000 })
        #expect(fixture.chatRequests.contains { $0.bodyText.contains("You compact a coding agent") })
        #expect(!(try session.screenText()).contains("context too long"))
        try session.submit("/context")
        try session.waitFor("of 3000 tokens (window from server)")
        try fixture.quit(session)
    }
}
