import AgentCore
import Foundation
import MockLLMServer
import SessionStore
import Testing

/// Two swiftcoder instances on one session (D81): the second continues in a copy, both
/// stream at once for 30 s, and the session loads cleanly afterwards.
@Suite(.timeLimit(.minutes(5)), .enabled(if: Harness.canRunTmux, "needs the swiftcoder binary and tmux (scripts/test)"))
struct TwoInstancesEndToEndTests {
    @Test func twoInstancesResumingOneSessionStreamAtOnceAndLeaveItClean() async throws {
        let words = (1...40).map { "w\($0)" }.joined(separator: " ")
        // 40 chunks 750 ms apart: 30 s of streaming in both instances at once.
        let fixture = try AppFixture(MockLLMConfiguration(replyText: words, chunkCount: 40, slowDelayMilliseconds: 750))
        defer { fixture.stop() }
        let run = try Harness.run(["run", "--config", fixture.config.path, "the shared start"], sandbox: fixture.sandbox)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let store = try SessionStore(path: SessionStore.defaultPath(environment: Harness.environment(sandbox: fixture.sandbox)))
        let id = try #require(try await store.listSessions(limit: 1).first?.id)

        let first = try fixture.start(arguments: ["--resume", String(id)])
        defer { first.kill() }
        try first.waitFor("Resumed session \(id)")
        let second = try fixture.start(arguments: ["--resume", String(id)])
        defer { second.kill() }
        try second.waitFor("open in another swiftcoder", "continuing in a copy")

        try first.submit("[[slow]] first instance")
        try second.submit("[[slow]] second instance")
        // Each screen shows the shared start's reply, then its own: done when "w40" shows twice.
        for session in [first, second] {
            let done = Harness.poll(seconds: 120) { (try? session.screenText())?.components(separatedBy: "w40").count == 3 }
            #expect(done, "the reply did not finish: \((try? session.screenText()) ?? "")")
        }
        try first.waitFor("ready")
        try second.waitFor("ready")
        try fixture.quit(first)
        try? FileManager.default.removeItem(at: fixture.sandbox.appendingPathComponent("stty-after"))
        try fixture.quit(second)

        let original = try await store.loadMessages(sessionID: id)
        #expect(original.map(\.message.content) == ["the shared start", words, "[[slow]] first instance", words])
        #expect(original.allSatisfy { !$0.isInterrupted }, "an instance's reply was taken for an interrupted one")
        let sessions = try await store.listSessions(limit: nil)
        let copy = try #require(sessions.first { $0.id != id })
        let copied = try await store.loadMessages(sessionID: copy.id)
        #expect(copied.map(\.message.content).suffix(2) == ["[[slow]] second instance", words])
    }
}
