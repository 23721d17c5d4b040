import Foundation
import MockLLMServer
import Testing

/// Issue 12, item 7 in the real app: `/undo` after an edit and a write, refusing a file changed
/// since by someone else, and `/rewind` to the second message with the files restored.
@Suite(.timeLimit(.minutes(5)), .serialized, .enabled(if: Harness.canRunTmux, "needs the swiftcoder binary and tmux (scripts/test)"))
struct RewindEndToEndTests {
    private func file(_ fixture: AppFixture, _ name: String) -> String? {
        try? String(contentsOf: fixture.sandbox.appendingPathComponent(name), encoding: .utf8)
    }

    private func tool(_ name: String, _ arguments: String) -> String {
        "[[tool \(name) \(arguments)]]"
    }

    /// Sends `text` and waits until the turn's tool ran and the reply ended: the turn's second
    /// request (the one carrying the tool's result) reached the server. Earlier turns' tool
    /// results are in every later request, so "a request with a tool result" alone is not it.
    private func exchange(_ session: TmuxSession, _ fixture: AppFixture, _ text: String, marker: String) throws {
        try session.submit(text)
        #expect(Harness.poll(seconds: 60) { fixture.chatRequests.filter { $0.bodyText.contains(marker) }.count >= 2 })
        try session.waitFor("ready", seconds: 60)
    }

    @Test func undoRevertsAnEditThenAWriteAndRefusesAFileChangedSince() throws {
        let fixture = try AppFixture(MockLLMConfiguration(replyText: "Done.", chunkCount: 2))
        defer { fixture.stop() }
        try "alpha\n".write(to: fixture.sandbox.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        let session = try fixture.start()
        defer { session.kill() }
        try session.waitFor("● online")
        try session.submit("/mode auto-edit")
        try session.waitFor("Approval mode: auto-edit.")

        try exchange(session, fixture, "one " + tool("write_file", #"{"path": "b.txt", "content": "new file\n"}"#), marker: "one ")
        try exchange(session, fixture, "two " + tool("edit_file", #"{"path": "a.txt", "old_string": "alpha", "new_string": "ALPHA"}"#),
                     marker: "two ")
        #expect(file(fixture, "a.txt") == "ALPHA\n" && file(fixture, "b.txt") == "new file\n")

        try session.submit("/undo")
        try session.waitFor("restored a.txt", seconds: 30)
        #expect(file(fixture, "a.txt") == "alpha\n")
        #expect(file(fixture, "b.txt") == "new file\n")
        try session.submit("/undo")
        try session.waitFor("deleted b.txt (the turn created it)", seconds: 30)
        #expect(file(fixture, "b.txt") == nil)

        // A file someone else changed after the turn is not overwritten; the chat names it.
        try exchange(session, fixture, "three " + tool("edit_file", #"{"path": "a.txt", "old_string": "alpha", "new_string": "beta"}"#),
                     marker: "three ")
        try "edited by hand\n".write(to: fixture.sandbox.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try session.submit("/undo")
        try session.waitFor("nothing restored; changed since by someone else: a.txt", seconds: 30)
        #expect(file(fixture, "a.txt") == "edited by hand\n")
        try fixture.quit(session)
    }

    @Test func rewindToTheSecondMessageRestoresTheFilesAndTheConversation() throws {
        let fixture = try AppFixture(MockLLMConfiguration(replyText: "Done.", chunkCount: 2))
        defer { fixture.stop() }
        let session = try fixture.start()
        defer { session.kill() }
        try session.waitFor("● online")
        try session.submit("/mode auto-edit")
        try session.waitFor("Approval mode: auto-edit.")

        try exchange(session, fixture, "FIRST " + tool("write_file", #"{"path": "c.txt", "content": "one\n"}"#), marker: "FIRST ")
        try exchange(session, fixture, "SECOND " + tool("edit_file", #"{"path": "c.txt", "old_string": "one", "new_string": "two"}"#),
                     marker: "SECOND ")
        try exchange(session, fixture, "THIRD " + tool("write_file", #"{"path": "d.txt", "content": "three\n"}"#), marker: "THIRD ")
        #expect(file(fixture, "c.txt") == "two\n" && file(fixture, "d.txt") == "three\n")

        try session.submit("/rewind")
        try session.waitFor("Rewind to before a message", "▸ THIRD", "SECOND")
        try session.send("Down")
        try session.send("Enter")
        try session.waitFor("Before: SECOND", "3. Restore the conversation and the files")
        try session.type("3")
        try session.waitFor("restored c.txt", "deleted d.txt (the turn created it)", "conversation rewound", seconds: 30)
        #expect(file(fixture, "c.txt") == "one\n")
        #expect(file(fixture, "d.txt") == nil)

        // The input line holds the second message again; what is sent next follows the first only.
        try session.send("C-u")
        try session.submit("AFTER the rewind")
        #expect(Harness.poll(seconds: 60) { fixture.chatRequests.contains { $0.bodyText.contains("AFTER the rewind") } })
        let last = try #require(fixture.chatRequests.last { $0.bodyText.contains("AFTER the rewind") })
        #expect(last.bodyText.contains("FIRST "))
        #expect(!last.bodyText.contains("SECOND "))
        #expect(!last.bodyText.contains("THIRD "))
        try session.waitFor("ready", seconds: 60)
        try fixture.quit(session)
    }
}

extension RewindEndToEndTests {
    /// `swiftcoder run` records checkpoints too: its write is undone from the TUI after `--continue`.
    @Test func aRunsChangesAreRecordedAndUndoneAfterContinue() throws {
        let fixture = try AppFixture(MockLLMConfiguration(replyText: "Done.", chunkCount: 2))
        defer { fixture.stop() }
        let result = try Harness.run(["run", "--yes", "--config", fixture.config.path,
                                      "save it " + tool("write_file", #"{"path": "run.txt", "content": "from run\n"}"#)],
                                     sandbox: fixture.sandbox)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(file(fixture, "run.txt") == "from run\n")
        let session = try fixture.start(arguments: ["--continue"])
        defer { session.kill() }
        try session.waitFor("● online", "save it")
        try session.submit("/undo")
        try session.waitFor("deleted run.txt (the turn created it)", seconds: 30)
        #expect(file(fixture, "run.txt") == nil)
        try fixture.quit(session)
    }
}
