import Foundation
import MockLLMServer
import Testing

/// The binary in a real terminal (tmux) against the mock server: type, watch the reply
/// stream in, quit, and check the terminal is as it was.
@Suite(.timeLimit(.minutes(5)), .serialized, .enabled(if: Harness.canRunTmux, "needs the swiftcoder binary and tmux (scripts/test)"))
struct TUIEndToEndTests {
    /// Starts the app in tmux; after it exits the shell records the exit status and the
    /// terminal modes, then waits so the pane can still be inspected.
    /// `arguments` follow `--config`; `term` replaces the TERM tmux sets (tmux-256color).
    func startApp(config: URL, sandbox: URL, columns: Int = 120, rows: Int = 40, arguments: [String] = [],
                  term: String? = nil) throws -> TmuxSession {
        let binary = try #require(Harness.binary, "swiftcoder binary not found")
        let status = sandbox.appendingPathComponent("exit-status").path
        let stty = sandbox.appendingPathComponent("stty-after").path
        try? FileManager.default.removeItem(atPath: status)
        try? FileManager.default.removeItem(atPath: stty)
        let extra = arguments.map { " '\($0)'" }.joined()
        let termSetting = term.map { "TERM='\($0)' " } ?? ""
        let command = "cd '\(sandbox.path)' && \(termSetting)'\(binary)' --config '\(config.path)'\(extra); "
            + "echo \"exit=$?\" > '\(status)'; stty -a > '\(stty)'; exec sleep 600"
        return try TmuxSession(command: command, columns: columns, rows: rows,
                               environment: Harness.environment(sandbox: sandbox))
    }

    /// Waits for the app to exit and checks the terminal: main screen, echo and canonical mode.
    func expectRestored(_ session: TmuxSession, sandbox: URL, status expected: String,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let statusFile = sandbox.appendingPathComponent("exit-status")
        let sttyFile = sandbox.appendingPathComponent("stty-after")
        let exited = Harness.poll { FileManager.default.fileExists(atPath: sttyFile.path)
            && ((try? String(contentsOf: sttyFile, encoding: .utf8))?.isEmpty == false) }
        let screen = (try? session.screenText()) ?? ""
        #expect(exited, "the app did not exit:\n\(screen)", sourceLocation: sourceLocation)
        guard exited else { return }
        let status = try String(contentsOf: statusFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(status == "exit=\(expected)", sourceLocation: sourceLocation)
        #expect(try session.format("#{alternate_on}") == "0", "still in the alternate screen",
                sourceLocation: sourceLocation)
        let mouse = try session.format("#{mouse_standard_flag}#{mouse_button_flag}#{mouse_any_flag}#{mouse_sgr_flag}")
        #expect(mouse == "0000", "mouse reporting left on (standard, button, any, sgr): \(mouse)",
                sourceLocation: sourceLocation)
        let modes = try String(contentsOf: sttyFile, encoding: .utf8)
            .split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init)
        for mode in ["icanon", "echo", "isig", "icrnl", "opost"] {
            #expect(modes.contains(mode), "terminal mode \(mode) not restored: \(modes)", sourceLocation: sourceLocation)
        }
    }

    @Test func typeAPromptWatchItStreamThenQuit() throws {
        let reply = "Streaming works: 你好, 世界 🙂. This reply is long enough to wrap in the chat pane "
            + "and arrives in twelve chunks from the mock server."
        let server = try MockLLMServer(configuration: MockLLMConfiguration(
            replyText: reply, chunkCount: 12, chunkDelayMilliseconds: 25, models: ["mock-model", "mock-large"]))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let session = try startApp(config: config, sandbox: sandbox)
        defer { session.kill() }

        try session.waitFor("Provider", "mock-model", "● online · 2 models", "Type a prompt")
        #expect(try session.format("#{alternate_on}") == "1")
        try session.type("Say hello")
        try session.waitFor("› Say hello")
        try session.send("Enter")
        try session.waitFor("twelve chunks from the mock server.", "turn in", "ready")
        let screen = try session.screen()
        #expect(screen.contains { $0.contains("› Say hello") })
        #expect(screen.contains { $0.contains("Streaming works: 你好, 世界 🙂.") })
        #expect(screen.contains { $0.contains(server.baseURL) })
        let meter = try #require(screen.first { $0.contains("session in") })
        #expect(meter.contains("turn in"))
        #expect(!meter.contains("turn –"))

        try session.send("C-d")
        try expectRestored(session, sandbox: sandbox, status: "0")
    }

    @Test func escapeCancelsAStreamInFlight() async throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(
            replyText: String(repeating: "slow words ", count: 40), chunkCount: 40, chunkDelayMilliseconds: 100))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let session = try startApp(config: config, sandbox: sandbox)
        defer { session.kill() }
        try session.waitFor("● online")
        try session.type("go")
        try session.send("Enter")
        try session.waitFor("slow words", "streaming…")
        try session.send("Escape")
        try session.waitFor("[cancelled]", "ready")
        #expect(await server.waitUntil(timeoutSeconds: 10) { $0.clientDisconnectCount == 1 })
        // Idle, the first Ctrl-C only asks for a second one (a Ctrl-C meant for the reply
        // that just ended does not quit); another key disarms, two in a row quit.
        try session.send("C-c")
        try session.waitFor("Press Ctrl-C again to quit")
        try session.type("x")
        try session.waitForAbsence("Press Ctrl-C again to quit")
        try session.send("C-c")
        try session.waitFor("Press Ctrl-C again to quit")
        try session.send("C-c")
        try expectRestored(session, sandbox: sandbox, status: "0")
    }

    /// SIGINT/SIGTERM/SIGHUP from outside quit cleanly (status 128 + signal); a crash
    /// (SIGSEGV, SIGABRT) restores the terminal before the process dies of the signal.
    @Test(arguments: [(SIGINT, "130"), (SIGTERM, "143"), (SIGHUP, "129"), (SIGSEGV, "139"), (SIGABRT, "134")])
    func aSignalRestoresTheTerminal(signal: Int32, status: String) throws {
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: "http://127.0.0.1:9/v1")
        let session = try startApp(config: config, sandbox: sandbox)
        defer { session.kill() }
        try session.waitFor("offline")
        let app = try #require(childPIDs(of: try session.panePID()).first, "app process not found")
        kill(app, signal)
        try expectRestored(session, sandbox: sandbox, status: status)
    }

    @Test func firstRunWithoutConfigShowsHowToConfigure() throws {
        let binary = try #require(Harness.binary)
        let sandbox = try Harness.makeSandbox()
        let stty = sandbox.appendingPathComponent("stty-after").path
        let status = sandbox.appendingPathComponent("exit-status").path
        let command = "cd '\(sandbox.path)' && '\(binary)'; echo \"exit=$?\" > '\(status)'; "
            + "stty -a > '\(stty)'; exec sleep 600"
        let session = try TmuxSession(command: command, columns: 100, rows: 30,
                                      environment: Harness.environment(sandbox: sandbox))
        defer { session.kill() }
        try session.waitFor("No provider is configured yet.", "agents.config.json", "none configured")
        // It names the ports it tried (issue 14, bug 20).
        try session.waitFor("No local server answered on its default port:", "localhost:11434")
        try session.send("C-d")
        try expectRestored(session, sandbox: sandbox, status: "0")
    }
}
