import AgentCore
import Foundation
import MockLLMServer
import SessionStore
import Testing

/// Conversations outlive the process: `--continue` after quitting, and after a `kill -9`
/// while a reply streams (the partial reply is saved about once a second).
@Suite(.timeLimit(.minutes(5)), .serialized, .enabled(if: Harness.canRunTmux, "needs the swiftcoder binary and tmux (scripts/test)"))
struct SessionEndToEndTests {
    @Test func continueAfterQuittingReopensTheConversation() throws {
        let fixture = try AppFixture(MockLLMConfiguration(replyText: "Noted: the word is pineapple."))
        defer { fixture.stop() }
        let first = try fixture.start()
        defer { first.kill() }
        try first.waitFor("● online")
        try first.type("remember the word pineapple")
        try first.send("Enter")
        try first.waitFor("Noted: the word is pineapple.", "ready")
        try fixture.quit(first)
        first.kill()

        let second = try fixture.start(arguments: ["--continue"])
        defer { second.kill() }
        try second.waitFor("Resumed session", "› remember the word pineapple", "Noted: the word is pineapple.")
        #expect(try !second.screenText().contains("interrupted"))
        try second.type("what was the word?")
        try second.send("Enter")
        #expect(Harness.poll { fixture.chatRequests.count == 2 })
        let request = try ChatRequestBody(try #require(fixture.chatRequests.last))
        let conversation = request.messages.filter { $0.role != "system" }.map(\.content)
        #expect(conversation == ["remember the word pineapple", "Noted: the word is pineapple.", "what was the word?"])
        try second.waitFor("ready")
        try fixture.quit(second)
    }

    @Test func killNineWhileStreamingKeepsThePartialReplyForContinue() async throws {
        let words = (1...40).map { String(format: "story%02d", $0) }
        let fixture = try AppFixture(MockLLMConfiguration(
            replyText: words.joined(separator: " "), chunkCount: 40, slowDelayMilliseconds: 250))
        defer { fixture.stop() }
        let first = try fixture.start()
        defer { first.kill() }
        try first.waitFor("● online")
        // One whole exchange first: it must come back complete after the kill.
        try first.type("warm up [[echo]]")
        try first.send("Enter")
        try first.waitFor("ready")
        #expect(Harness.poll { fixture.chatRequests.count == 1 })
        try first.type("tell a long story [[slow]]")
        try first.send("Enter")
        try first.waitFor("story01", "streaming…")

        // Poll the database the app writes (through the same store type) for the draft.
        let path = SessionStore.defaultPath(environment: Harness.environment(sandbox: fixture.sandbox))
        #expect(Harness.poll { FileManager.default.fileExists(atPath: path) })
        let store = try SessionStore(path: path)
        var draft = ""
        let saved = try await pollAsync {
            draft = try await Self.interruptedReply(in: store) ?? ""
            return !draft.isEmpty
        }
        #expect(saved, "no partial reply was saved while streaming")
        #expect(fixture.server.exchanges.last?.outcome == .inProgress, "the reply ended before the kill")
        kill(try fixture.appPID(first), SIGKILL)
        #expect(Harness.poll { fixture.exitStatus() == "exit=137" }, "the app did not die of SIGKILL")
        #expect(await fixture.server.waitUntil(timeoutSeconds: 10) { $0.clientDisconnectCount == 1 })

        let kept = try #require(try await Self.interruptedReply(in: store))
        let full = words.joined(separator: " ")
        let latest = try #require(try await store.listSessions(limit: 1).first)
        let stored = try await store.loadMessages(sessionID: latest.id).map(\.message)
        #expect(stored.map(\.role) == [ChatRole.user, .assistant, .user, .assistant])
        #expect(stored.prefix(3).map(\.content) == ["warm up [[echo]]", "warm up", "tell a long story [[slow]]"])
        #expect(full.hasPrefix(kept) && kept.hasPrefix(draft), "kept \"\(kept)\", saw \"\(draft)\" before the kill")

        let second = try fixture.start(arguments: ["--continue"])
        defer { second.kill() }
        // Every whole word of the partial reply shows (the last one may have been cut mid-word).
        let shown = kept.split(separator: " ").dropLast().map(String.init)
        try second.waitFor("Its last reply was", "interrupted.", "› warm up [[echo]]", "› tell a long story")
        let screen = try second.screenText()
        #expect(shown.allSatisfy { screen.contains($0) }, "partial reply missing:\n\(screen)")
        #expect(!words.dropFirst(kept.split(separator: " ").count).contains { screen.contains($0) },
                "text that was never streamed shows:\n\(screen)")
        try fixture.quit(second)
    }

    @Test func resumeByIDReopensThatSessionRatherThanTheLatest() throws {
        let fixture = try AppFixture(MockLLMConfiguration(replyText: "Answered.", chunkCount: 2))
        defer { fixture.stop() }
        for prompt in ["the first session's question", "the second session's question"] {
            let run = try Harness.run(["run", "--config", fixture.config.path, prompt], sandbox: fixture.sandbox)
            #expect(run.status == 0, "stderr: \(run.stderr)")
        }
        let listing = try Harness.run(["sessions", "--json", "--all"], sandbox: fixture.sandbox)
        let rows = try listing.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let first = try #require(rows.first { ($0["title"] as? String)?.hasPrefix("the first") == true })
        let id = try #require(first["id"] as? Int)
        let session = try fixture.start(arguments: ["--resume", String(id)])
        defer { session.kill() }
        try session.waitFor("Resumed session", "› the first session's question", "Answered.")
        #expect(try !session.screenText().contains("the second session's question"))
        try fixture.quit(session)
    }

    @Test func resumingAMissingIDExitsOneBeforeTakingTheScreen() throws {
        let fixture = try AppFixture(MockLLMConfiguration(replyText: "Answered.", chunkCount: 2))
        defer { fixture.stop() }
        let run = try Harness.run(["run", "--config", fixture.config.path, "one saved session"], sandbox: fixture.sandbox)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let missing = try fixture.start(arguments: ["--resume", "999999"])
        defer { missing.kill() }
        // No app screen and no new session: the reason on the terminal and exit status 1.
        try TUIEndToEndTests().expectRestored(missing, sandbox: fixture.sandbox, status: "1")
        let screen = try missing.screenText()
        #expect(screen.contains("swiftcoder: No session 999999."), "\(screen)")
        #expect(fixture.chatRequests.count == 1)
    }

    /// The text of the latest session's interrupted reply (its draft), if there is one.
    static func interruptedReply(in store: SessionStore) async throws -> String? {
        guard let session = try await store.listSessions(limit: 1).first else { return nil }
        let messages = try await store.loadMessages(sessionID: session.id)
        guard let last = messages.last, last.isInterrupted, last.message.role == .assistant else { return nil }
        return last.message.content
    }
}
