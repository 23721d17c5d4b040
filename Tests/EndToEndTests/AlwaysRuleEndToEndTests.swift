import Foundation
import MockLLMServer
import Testing

/// The approval box in a real terminal: "always" shows the narrow rule it adds, and only
/// commands under that rule then run without asking.
@Suite(.serialized, .enabled(if: Harness.canRunTmux, "needs the swiftcoder binary and tmux (scripts/test)"))
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
}
