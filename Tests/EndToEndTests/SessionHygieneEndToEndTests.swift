import AgentCore
import Foundation
import MockLLMServer
import SessionStore
import Testing

/// `sessions delete`, `prune` and `--stats`, and a long session resumed in pages (D73, D74).
@Suite(.timeLimit(.minutes(5)), .serialized) struct SessionHygieneEndToEndTests {
    @Test func aLimitBelowOneIsRefusedRatherThanSayingNoSessionsExist() throws {
        let sandbox = try Harness.makeSandbox()
        for limit in ["0", "-1"] {
            let result = try Harness.run(["sessions", "--limit=\(limit)"], sandbox: sandbox)
            #expect(result.status != 0, "--limit \(limit) was accepted: \(result.stdout)")
            #expect(result.stderr.contains("--limit must be at least 1"), "stderr: \(result.stderr)")
            #expect(!result.stderr.contains("no sessions saved"), "stderr: \(result.stderr)")
        }
    }

    @Test func deletePruneAndStatsKeepTheLedger() throws {
        let fixture = try AppFixture(MockLLMConfiguration(replyText: "Answered.", chunkCount: 2))
        defer { fixture.stop() }
        for prompt in ["the first question", "the second question"] {
            let run = try Harness.run(["run", "--config", fixture.config.path, prompt], sandbox: fixture.sandbox)
            #expect(run.status == 0, "stderr: \(run.stderr)")
        }
        let path = SessionStore.defaultPath(environment: Harness.environment(sandbox: fixture.sandbox))
        let stats = try Harness.run(["sessions", "--stats"], sandbox: fixture.sandbox)
        #expect(stats.status == 0)
        #expect(stats.stdout.contains("Database   \(path)\n"), "\(stats.stdout)")
        #expect(stats.stdout.contains("Sessions   2 "), "\(stats.stdout)")
        #expect(stats.stdout.contains("Usage rows 2"), "\(stats.stdout)")

        let listing = try Harness.run(["sessions", "--json", "--all"], sandbox: fixture.sandbox)
        let ids = try listing.stdout.split(separator: "\n").map {
            try #require((try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["id"] as? Int)
        }
        #expect(ids.count == 2)
        let deleted = try Harness.run(["sessions", "delete", String(ids[0])], sandbox: fixture.sandbox)
        #expect(deleted.status == 0, "stderr: \(deleted.stderr)")
        #expect(deleted.stdout == "Deleted 1 session (2 messages); usage ledger kept.\n")
        let after = try Harness.run(["sessions", "--json", "--all"], sandbox: fixture.sandbox)
        #expect(after.stdout.split(separator: "\n").count == 1)
        let usage = try Harness.run(["usage", "--json"], sandbox: fixture.sandbox)
        let total = try #require((try JSONSerialization.jsonObject(with: Data(usage.stdout.utf8)) as? [String: Any])?["total"]
                                 as? [String: Any])
        #expect(total["requests"] as? Int == 2)  // the deleted session's request still counts

        let missing = try Harness.run(["sessions", "delete", "999999"], sandbox: fixture.sandbox)
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("No session 999999."))
        let prune = try Harness.run(["sessions", "prune", "--older-than", "1h"], sandbox: fixture.sandbox)
        #expect(prune.stdout == "Deleted 0 sessions (0 messages); usage ledger kept.\n")
        let bad = try Harness.run(["sessions", "prune", "--older-than", "soon"], sandbox: fixture.sandbox)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--older-than wants a number and h, d or w"))

        // /usage in the app counts both requests, the deleted session's too.
        let app = try fixture.start()
        defer { app.kill() }
        try app.waitFor("● online")
        try app.type("/usage")
        try app.send("Enter")
        try app.waitFor("Usage · Esc closes", "All time", "2 req")
        try app.send("Escape")
        try app.waitForAbsence("Usage · Esc closes")
        try fixture.quit(app)
    }

    @Test func aLongSessionResumesItsRecentPartAndScrollsBackToTheStart() async throws {
        let fixture = try AppFixture(MockLLMConfiguration(replyText: "Answered.", chunkCount: 2))
        defer { fixture.stop() }
        let path = SessionStore.defaultPath(environment: Harness.environment(sandbox: fixture.sandbox))
        let store = try SessionStore(path: path)
        let session = try await store.createSession(projectDirectory: fixture.sandbox.resolvingSymlinksInPath().path,
                                                    provider: "mock", model: "mock-model")
        for index in 0..<2_400 {
            let role: ChatRole = index % 2 == 0 ? .user : .assistant
            try await store.commit(ChatMessage(role: role, content: "line \(index) of the long session"), sessionID: session.id)
        }
        let app = try fixture.start(arguments: ["--continue"])
        defer { app.kill() }
        try app.waitFor("Resumed session", "2400 messages, the last", "line 2399 of the long session")
        // (The notice names the session by its title, the first message: look for the message.)
        #expect(try !app.screenText().contains("› line 0 of the long session"))
        var reachedStart = false
        for _ in 0..<400 where !reachedStart {
            try app.send("PPage")
            reachedStart = try app.screenText().contains("› line 0 of the long session")
        }
        #expect(reachedStart, "scrolling up never reached the first message")
        // /export writes the whole conversation, the part never loaded by the engine too.
        try app.type("/export long.md")
        try app.send("Enter")
        try app.send("End")  // back to the newest line, where the notice is
        try app.waitFor("Exported 2400 messages")
        let exported = try String(contentsOf: fixture.sandbox.appendingPathComponent("long.md"), encoding: .utf8)
        #expect(exported.contains("line 0 of the long session") && exported.contains("line 2399 of the long session"))
        try fixture.quit(app)
    }
}
