import Foundation
import MockLLMServer
import Testing

/// What outlives a run or leaves the app: the input history, `/export`, and `/sessions`.
@Suite(.timeLimit(.minutes(5)), .serialized, .enabled(if: Harness.canRunTmux, "needs the swiftcoder binary and tmux (scripts/test)"))
struct SlashCommandEndToEndTests {
    @Test func historyIsKeptAcrossRunsAndExportWritesTheConversation() throws {
        let fixture = try AppFixture(MockLLMConfiguration(replyText: "Here is **the** answer.", chunkCount: 3))
        defer { fixture.stop() }
        let first = try fixture.start()
        defer { first.kill() }
        try first.waitFor("● online")
        try first.submit("a question worth keeping")
        try first.waitFor("Here is the answer.", "ready")
        try first.submit("/export chat.md")
        let exported = fixture.sandbox.appendingPathComponent("chat.md")
        try first.waitFor("Exported 2 messages to")
        let markdown = try String(contentsOf: exported, encoding: .utf8)
        #expect(markdown.contains("a question worth keeping"))
        #expect(markdown.contains("Here is **the** answer."), "the reply is exported as its markdown source")
        #expect(!markdown.contains("sk-test-secret"))
        try fixture.quit(first)

        let second = try fixture.start()
        defer { second.kill() }
        try second.waitFor("● online")
        // Newest first: the /export line, then the question.
        try second.send("Up")
        try second.waitFor("› /export chat.md")
        try second.send("Up")
        try second.waitFor("› a question worth keeping")
        try second.send("C-u")  // Ctrl-D quits only on an empty input
        try fixture.quit(second)
    }

    @Test func theSessionsPickerResumesAnEarlierSession() throws {
        let fixture = try AppFixture(MockLLMConfiguration(replyText: "Answered.", chunkCount: 2))
        defer { fixture.stop() }
        let earlier = try Harness.run(["run", "--config", fixture.config.path, "an earlier session's question"],
                                      sandbox: fixture.sandbox)
        #expect(earlier.status == 0, "stderr: \(earlier.stderr)")
        let session = try fixture.start()
        defer { session.kill() }
        try session.waitFor("● online")
        // A run's session is hidden from /sessions and listed, marked, by /sessions --all
        // (issue 14, bug 17).
        try session.submit("/sessions")
        try session.waitFor("No earlier sessions in this directory (/sessions --all")
        try session.submit("/sessions --all")
        try session.waitFor("[run] an earlier session's question", "2 messages")
        try session.send("Enter")
        try session.waitFor("Resumed session", "› an earlier session's question", "Answered.")
        // The resumed conversation goes on: the next request carries it.
        try session.submit("and now?")
        #expect(Harness.poll { fixture.chatRequests.count == 2 })
        let request = try ChatRequestBody(try #require(fixture.chatRequests.last))
        #expect(request.messages.filter { $0.role != "system" }.map(\.content)
            == ["an earlier session's question", "Answered.", "and now?"])
        try session.waitFor("ready")
        try fixture.quit(session)
    }
}
