import Foundation
import MockLLMServer
import Testing

/// The journey the full-screen issue names, in one run, as a person does it: pick a model
/// from the live list, send a prompt and watch it stream, approve a `write_file`, see the
/// meter change, resize to 80x24 and back, quit, and find the terminal restored.
@Suite(.timeLimit(.minutes(5)), .serialized) struct UserJourneyEndToEndTests {
    @Test func pickStreamApproveResizeAndQuit() throws {
        let fixture = try AppFixture(MockLLMConfiguration(
            replyText: "Writing the file now, as asked, in several streamed pieces.", chunkCount: 8,
            chunkDelayMilliseconds: 20, models: ["mock-model", "mock-large"]))
        defer { fixture.stop() }
        let session = try fixture.start()
        defer { session.kill() }
        try session.waitFor("● online · 2 models", "Type a prompt")

        try session.send("C-p")
        try session.waitFor("Pick a model", "mock-large")
        try session.type("large")
        try session.waitFor("Filter: large")
        try session.send("Enter")
        try session.waitFor("Using mock-large on mock from the next message.")
        let before = try #require(try session.screen().first { $0.contains("session in") })

        try session.type(#"save it [[tool write_file {"path": "journey.txt", "content": "made in tmux\n"}]]"#)
        try session.send("Enter")
        // The approval box covers the chat while it waits, so the streamed text is checked after.
        try session.waitFor("Allow write_file?", "+made in tmux", "y yes · n no")
        try session.type("y")
        try session.waitFor("✓ write_file  journey.txt", "Tool result:", "ready")
        try session.waitFor("Writing the file now, as asked, in several streamed pieces.")
        let written = try String(contentsOf: fixture.sandbox.appendingPathComponent("journey.txt"), encoding: .utf8)
        #expect(written == "made in tmux\n")
        let after = try #require(try session.screen().first { $0.contains("session in") })
        #expect(after != before, "the meter did not change: \(after)")
        #expect(after.contains("turn in"))
        let models = try fixture.chatRequests.map { try ChatRequestBody($0).model }
        #expect(models == ["mock-large", "mock-large"])

        try session.resize(columns: 80, rows: 24)
        // At 80 columns the meter keeps the session totals and the state; the model (named in
        // the picker) is the first part it leaves out (D117).
        try session.waitFor("ready · ask")
        #expect(try session.screen().count == 24)
        #expect(try session.screen().contains { $0.contains("session in") && $0.contains("ready · ask") })
        #expect(!(try session.screenText().contains("│ Provider")), "the sidebar folds below 100 columns")
        try session.resize(columns: 120, rows: 40)
        try session.waitFor("│ Provider", "│  mock-large")
        try fixture.quit(session)
    }
}
