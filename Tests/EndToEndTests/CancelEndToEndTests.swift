import Foundation
import MockLLMServer
import Testing

/// What Esc leaves behind in a real terminal (issue 14, bugs 3, 4 and 8): a command's output
/// live while it runs and kept after a cancel, with the tool (not the text) marked cancelled;
/// a cancelled stream counted in the meter and in `swiftcoder usage`, and marked when the
/// session is continued.
@Suite(.timeLimit(.minutes(5)), .serialized, .enabled(if: Harness.canRunTmux, "needs the swiftcoder binary and tmux (scripts/test)"))
struct CancelEndToEndTests {
    @Test func aCommandsOutputShowsLiveAndStaysAfterEsc() throws {
        let fixture = try AppFixture(MockLLMConfiguration(replyText: "unused", chunkCount: 2))
        defer { fixture.stop() }
        let session = try fixture.start()
        defer { session.kill() }
        try session.waitFor("● online")
        try session.type(#"[[tool run_command {"command":"for i in 1 2 3 4 5 6; do echo tick-$i; done; sleep 300"}]]"#)
        try session.send("Enter")
        try session.waitFor("Allow run_command?", "y yes")
        try session.type("y")
        // Printed while the command still runs: the newest lines under its entry.
        try session.waitFor("⚙ run_command", "tick-6")
        try session.send("Escape")
        try session.waitFor("⊘ run_command", "→ cancelled", "tick-6", "ready")
        try session.waitForAbsence("⚙ run_command", "[cancelled]")
        // Ctrl-O shows all of it.
        try session.send("C-o")
        try session.waitFor("tick-1", "tick-6")
        try fixture.quit(session)
    }

    /// A `!` command: the meter says it runs, its output shows live, Esc stops it (bug 2).
    @Test func aBangCommandShowsItRunsAndItsOutputLive() throws {
        let fixture = try AppFixture(MockLLMConfiguration(replyText: "unused", chunkCount: 2))
        defer { fixture.stop() }
        let session = try fixture.start()
        defer { session.kill() }
        try session.waitFor("● online")
        try session.type("!for i in 1 2 3; do echo bang-$i; done; sleep 300")
        try session.send("Enter")
        try session.waitFor("bang-3", "running ! command · Esc stops it")
        try session.send("Escape")
        try session.waitFor("cancelled", "bang-3", "ready")
        try fixture.quit(session)
    }

    @Test func escMidStreamCountsTheRequestAndContinueShowsItUnfinished() throws {
        let words = (1...60).map { String(format: "story%02d", $0) }
        let fixture = try AppFixture(MockLLMConfiguration(
            replyText: words.joined(separator: " "), chunkCount: 60, slowDelayMilliseconds: 250))
        defer { fixture.stop() }
        let first = try fixture.start()
        defer { first.kill() }
        try first.waitFor("● online")
        try first.type("tell a long story [[slow]]")
        try first.send("Enter")
        try first.waitFor("story03", "streaming…")
        try first.send("Escape")
        try first.waitFor("[cancelled]", "ready")
        // The cancelled request is counted, estimated: never `turn –`.
        try first.waitFor("turn in ~")
        try fixture.quit(first)

        let report = try Harness.run(["usage", "--json", "--config", fixture.config.path], sandbox: fixture.sandbox)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any],
                                "\(report.stdout)\(report.stderr)")
        let days = try #require(json["by_day"] as? [[String: Any]])
        #expect(days.first?["requests"] as? Int == 1, "\(report.stdout)")

        let second = try fixture.start(arguments: ["--continue"])
        defer { second.kill() }
        try second.waitFor("story01", "[interrupted: this reply did not finish]")
        try fixture.quit(second)
    }
}
