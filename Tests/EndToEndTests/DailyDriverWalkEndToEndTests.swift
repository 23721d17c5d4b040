import Foundation
import MockLLMServer
import Testing

/// Issue 14's hour, walked again as a new user would, in the order: each step
/// asserts the fixed behaviour of the bug it names (the detailed cases live in the suites
/// named beside each step).
@Suite(.timeLimit(.minutes(5)), .serialized, .enabled(if: Harness.canRunTmux, "needs the swiftcoder binary and tmux (scripts/test)"))
struct DailyDriverWalkEndToEndTests {
    /// A config as a new user writes it: a local mock with a binary window and a reply cap, a
    /// cloud provider whose key variable is unset, and a misspelt key.
    private static func writeConfig(_ fixture: AppFixture) throws -> URL {
        let url = fixture.sandbox.appendingPathComponent("walk.config.json")
        let text = """
            {
              "defaultProvider": "mock",
              "budgets": {"session": 1},
              "providers": {
                "mock": {"type": "openai-compatible", "apiBase": "\(fixture.server.baseURL)", "apiKey": "sk-walk-0042",
                         "model": "mock-model", "contextWindow": 32768, "maxOutputTokens": 256},
                "cloud": {"type": "openai-compatible", "apiBase": "http://127.0.0.1:9/v1",
                          "apiKey": "${SWIFTCODER_WALK_UNSET_KEY}", "model": "gpt-x"}
              }
            }
            """
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func theHourWalkedAgain() throws {
        let words = (1...80).map { String(format: "walk%02d", $0) }
        let fixture = try AppFixture(MockLLMConfiguration(
            replyText: words.joined(separator: " "), chunkCount: 80, slowDelayMilliseconds: 150,
            models: ["mock-model", "mock-large"]))
        defer { fixture.stop() }
        let config = try Self.writeConfig(fixture)

        // Bug 1 (ConfigOptionEndToEndTests): `providers --config FILE` reads that file.
        let providers = try Harness.run(["providers", "--config", config.path], sandbox: fixture.sandbox)
        #expect(providers.stdout.contains("mock") && providers.stdout.contains("cloud"), "\(providers.stdout)")
        // Bug 11: the CLI names an unavailable provider once, with the reason.
        let cloud = try Harness.run(["run", "--config", config.path, "--provider", "cloud", "hi"], sandbox: fixture.sandbox)
        #expect(cloud.status == 1)
        #expect(!cloud.stderr.contains("provider \"cloud\": "), "\(cloud.stderr)")

        let session = try TUIEndToEndTests().startApp(config: config, sandbox: fixture.sandbox)
        defer { session.kill() }
        try session.waitFor("● online", "Type a prompt")
        // Bug 10 (ConfigKeyCheckTests): the misspelt key is named with the nearest known one.
        // (Single words: where the message wraps depends on the length of the sandbox's path.)
        try session.waitFor("\"budgets\"", "budget?)")
        // Bugs 19 and 21: a binary window reads 32k; the reply cap is in the sidebar.
        try session.waitFor("32k", "replies ≤ 256 tokens")

        // Bug 2 (CancelEndToEndTests): a `!` command says it runs; Esc stops it, not the app.
        try session.type("!echo walk-bang; sleep 300")
        try session.send("Enter")
        try session.waitFor("walk-bang", "running ! command · Esc stops it")
        try session.send("Escape")
        try session.waitFor("cancelled", "ready")

        // Bugs 4 and 13: a reply shows a live tok/s; Esc mid-stream still counts the request.
        try session.type("tell a long story [[slow]]")
        try session.send("Enter")
        try session.waitFor("walk04", "tok/s")
        try session.send("Escape")
        try session.waitFor("[cancelled]", "turn in ~")

        // Bug 5 (BudgetPrecisionTests): the precision typed is kept.
        try session.submit("/budget session 0.0008")
        try session.waitFor("$0.0008")
        try session.waitForAbsence("of $0.00 ")

        // Bug 9: a 20-line paste is 20 lines.
        let pasted = (1...20).map { "line \($0)" }.joined(separator: "\n")
        try session.sendBytes(Array("\u{1B}[200~\(pasted)\u{1B}[201~".utf8))
        try session.waitFor("[pasted 20 lines")
        try session.send("C-u")

        // Bug 11: `/provider cloud` says why it is unavailable.
        try session.submit("/provider cloud")
        try session.waitFor("Provider \"cloud\" is unavailable", "SWIFTCODER_WALK_UNSET_KEY")

        // Bug 12: Ctrl-C when idle asks for a second press.
        try session.send("C-c")
        try session.waitFor("Press Ctrl-C again to quit")
        try session.send("Escape")

        // Bug 15 (ModelPickerTests): an unlisted model is kept, with a warning.
        try session.submit("/model not-listed-model")
        try session.waitFor("not-listed-model")

        // Bug 16: the default export goes to the state folder and says where.
        try session.submit("/export")
        try session.waitFor("Exported", "exports")
        try fixture.quit(session)

        // Bug 8: the cancelled reply comes back marked unfinished.
        let resumed = try TUIEndToEndTests().startApp(config: config, sandbox: fixture.sandbox, arguments: ["--continue"])
        defer { resumed.kill() }
        try resumed.waitFor("walk01", "[interrupted: this reply did not finish]")
        try fixture.quit(resumed)

        // Bugs 17 and 18: `run` sessions are hidden by default; `--resume 9999` is an error.
        let run = try Harness.run(["run", "--config", config.path, "--yes", "a quick question"], sandbox: fixture.sandbox)
        #expect(run.status == 0, "\(run.stderr)")
        let listed = try Harness.run(["sessions", "--config", config.path], sandbox: fixture.sandbox)
        #expect(!listed.stdout.contains("a quick question"), "\(listed.stdout)")
        let all = try Harness.run(["sessions", "--all", "--config", config.path], sandbox: fixture.sandbox)
        #expect(all.stdout.contains("[run]"), "\(all.stdout)")
        let missing = try TUIEndToEndTests().startApp(config: config, sandbox: fixture.sandbox, arguments: ["--resume", "9999"])
        defer { missing.kill() }
        try TUIEndToEndTests().expectRestored(missing, sandbox: fixture.sandbox, status: "1")
        #expect(try missing.screenText().contains("No session 9999."))
    }
}
