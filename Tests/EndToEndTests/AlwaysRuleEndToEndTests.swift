import Foundation
import MockLLMServer
import Testing

/// The approval box in a real terminal: "always" shows the narrow rule it adds, and only
/// commands under that rule then run without asking.
@Suite(.timeLimit(.minutes(5)), .serialized, .enabled(if: Harness.canRunTmux, "needs the swiftcoder binary and tmux (scripts/test)"))
struct AlwaysRuleEndToEndTests {
    @Test func alwaysAddsTheShownRuleForTheSession() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "unused", chunkCount: 2))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        defer { try? FileManager.default.removeItem(at: sandbox) }
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let session = try TUIEndToEndTests().startApp(config: config, sandbox: sandbox)
        defer { session.kill() }
        try session.waitFor("● online")
        try session.type(#"[[tool run_command {"command":"echo first"}]]"#)
        try session.send("Enter")
        try session.waitFor("Allow run_command?", "a = always allow run_command(echo first*) for this session",
                            "a always this session")
        try session.type("a")
        try session.waitFor("Tool result: first", "ready")
        // Under the rule: runs without a box.
        try session.type(#"[[tool run_command {"command":"echo first again"}]]"#)
        try session.send("Enter")
        try session.waitFor("Tool result: first again", "ready")
        // Not under it: asks.
        try session.type(#"[[tool run_command {"command":"echo other"}]]"#)
        try session.send("Enter")
        try session.waitFor("Allow run_command?", "a = always allow run_command(echo other*) for this session")
        try session.send("Escape")
        try session.waitFor("ready")
        try session.send("C-d")
    }

    /// Ctrl-C during a `!` command stops that command's process group and leaves the app running.
    @Test func ctrlCStopsABangCommandNotTheApp() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "unused", chunkCount: 2))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        defer { try? FileManager.default.removeItem(at: sandbox) }
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let tui = TUIEndToEndTests()
        let session = try tui.startApp(config: config, sandbox: sandbox)
        defer { session.kill() }
        try session.waitFor("● online")
        try session.type("!echo $$ > shell.pid; sleep 300 & sleep 300")
        try session.send("Enter")
        let pidFile = sandbox.appendingPathComponent("shell.pid").path
        var pid: Int32 = 0
        let started = Harness.poll {
            pid = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
            return pid > 0
        }
        try #require(started, "the command started")
        try session.send("C-c")
        try session.waitFor("cancelled")
        #expect(Harness.poll { kill(-pid, 0) == -1 && errno == ESRCH }, "the command's whole process group is gone")
        // Still running: another command works, then Ctrl-D quits normally.
        try session.type("!echo still-$((20+1))")
        try session.send("Enter")
        try session.waitFor("still-21")
        try session.send("C-d")
        try tui.expectRestored(session, sandbox: sandbox, status: "0")
    }
}
