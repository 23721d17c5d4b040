import Foundation
import MockLLMServer
import Testing

/// The full-screen app after hostile replies (D53): a turn that failed on an endless line, an
/// absurd `Retry-After` and absurd usage figures leave the app running and usable.
@Suite(.timeLimit(.minutes(5)), .serialized, .enabled(if: Harness.canRunTmux, "needs the swiftcoder binary and tmux (scripts/test)"))
struct HostileTUIEndToEndTests {
    @Test func theAppStaysUsableAfterHostileReplies() throws {
        let fixture = try AppFixture(MockLLMConfiguration(replyText: "Plain answer after the storm."))
        defer { fixture.stop() }
        let session = try fixture.start()
        defer { session.kill() }
        try session.waitFor("● online", "Type a prompt")

        try session.type("[[hostile endless-line]] one")
        try session.send("Enter")
        try session.waitFor("8 MiB", "ready")

        try session.type("[[hostile retry-after-date]] two")
        try session.send("Enter")
        try session.waitFor("rate limited", "ready")

        try session.type("[[hostile usage-absurd]] three")
        try session.send("Enter")
        try session.waitFor("odd numbers", "ready")

        try session.type("four")
        try session.send("Enter")
        try session.waitFor("Plain answer after the storm.", "ready")
        #expect(fixture.chatRequests.count >= 4)
        try fixture.quit(session)
    }
}
