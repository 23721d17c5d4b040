import Foundation
import Testing

/// The terminal is given back as it was, however the app ends: a stack overflow on the UI
/// loop's thread or on one of swiftcoder's own threads, a SIGSEGV from outside (D58, D59).
/// The shell in the pane records `stty -g` before the app starts and after it ends.
@Suite(.timeLimit(.minutes(5)), .serialized, .enabled(if: Harness.canRunTmux, "needs the swiftcoder binary and tmux (scripts/test)"))
struct TerminalGuardEndToEndTests {
    /// Starts the app in tmux with `prefix` before the command (variables, redirections
    /// after it in `suffix`); the shell writes `stty -g` to `stty-before`/`stty-after`.
    func startApp(sandbox: URL, prefix: String = "", suffix: String = "") throws -> TmuxSession {
        let binary = try #require(Harness.binary, "swiftcoder binary not found")
        let config = try Harness.writeConfig(in: sandbox, apiBase: "http://127.0.0.1:9/v1")
        let path = sandbox.path
        let command = "cd '\(path)' && stty -g > stty-before && \(prefix)'\(binary)' --config '\(config.path)'\(suffix); "
            + "echo \"exit=$?\" > exit-status; stty -g > stty-after; exec sleep 600"
        return try TmuxSession(command: command, columns: 100, rows: 30, environment: Harness.environment(sandbox: sandbox))
    }

    /// Waits for the app to exit, then checks its status and that every terminal mode, the
    /// main screen and the mouse modes are as before.
    func expectRestored(_ session: TmuxSession, sandbox: URL, status: String,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let after = sandbox.appendingPathComponent("stty-after")
        let exited = Harness.poll { ((try? String(contentsOf: after, encoding: .utf8)) ?? "").hasSuffix("\n") }
        #expect(exited, "the app did not exit:\n\((try? session.screenText()) ?? "")", sourceLocation: sourceLocation)
        guard exited else { return }
        let recorded = try String(contentsOf: sandbox.appendingPathComponent("exit-status"), encoding: .utf8)
        #expect(recorded == "exit=\(status)\n", sourceLocation: sourceLocation)
        let before = try String(contentsOf: sandbox.appendingPathComponent("stty-before"), encoding: .utf8)
        #expect(try String(contentsOf: after, encoding: .utf8) == before, "terminal modes differ from before the app",
                sourceLocation: sourceLocation)
        #expect(try session.format("#{alternate_on}") == "0", "still in the alternate screen", sourceLocation: sourceLocation)
        let mouse = try session.format("#{mouse_standard_flag}#{mouse_button_flag}#{mouse_any_flag}#{mouse_sgr_flag}")
        #expect(mouse == "0000", "mouse reporting left on: \(mouse)", sourceLocation: sourceLocation)
    }

    /// A real stack overflow (SWIFTCODER_TEST_CRASH, on the first key): the handler runs on
    /// the thread's alternate signal stack, restores the terminal and the process dies of
    /// SIGSEGV. Without the alternate stacks the kernel kills the process at once and the
    /// terminal stays raw, without echo, in the alternate screen.
    @Test(arguments: ["stack-overflow", "stack-overflow-thread"])
    func aStackOverflowRestoresTheTerminal(mode: String) throws {
        let sandbox = try Harness.makeSandbox()
        let session = try startApp(sandbox: sandbox, prefix: "SWIFTCODER_TEST_CRASH=\(mode) ")
        defer { session.kill() }
        try session.waitFor("offline")
        #expect(try session.format("#{alternate_on}") == "1")
        try session.type("x")
        try expectRestored(session, sandbox: sandbox, status: "139")
        try session.waitFor("swiftcoder crashed; the terminal was restored.")
    }

    @Test func aSegmentationFaultFromOutsideRestoresEveryMode() throws {
        let sandbox = try Harness.makeSandbox()
        let session = try startApp(sandbox: sandbox)
        defer { session.kill() }
        try session.waitFor("offline")
        let app = try #require(childPIDs(of: try session.panePID()).first, "app process not found")
        kill(app, SIGSEGV)
        try expectRestored(session, sandbox: sandbox, status: "139")
    }

    /// Standard input not a terminal: the full-screen app says what to use instead and
    /// exits 1 at once (it used to spin on the end of file). The deadline only bounds the
    /// wait; the test fails if the process is still running after it.
    @Test func aStandardInputThatIsNotATerminalEndsTheApp() throws {
        let sandbox = try Harness.makeSandbox()
        let session = try startApp(sandbox: sandbox, suffix: " < /dev/null")
        defer { session.kill() }
        try expectRestored(session, sandbox: sandbox, status: "1")
        try session.waitFor("swiftcoder: the full-screen app needs a terminal; use swiftcoder run PROMPT")
    }

    /// Standard output not a terminal (D61): the same message, and nothing written to the file.
    @Test func aStandardOutputThatIsNotATerminalEndsTheApp() throws {
        let sandbox = try Harness.makeSandbox()
        let session = try startApp(sandbox: sandbox, suffix: " > screen.out")
        defer { session.kill() }
        try expectRestored(session, sandbox: sandbox, status: "1")
        try session.waitFor("the full-screen app needs a terminal; use swiftcoder run PROMPT")
        #expect(try Data(contentsOf: sandbox.appendingPathComponent("screen.out")).isEmpty)
    }
}
