import Foundation
import MockLLMServer
import Testing

/// The agent loop end to end: tools through `run`, approvals in the TUI, sessions and the
/// usage ledger, against the mock server.
@Suite(.timeLimit(.minutes(5)), .serialized) struct AgentEndToEndTests {
    static let writeCall = #"[[tool write_file {"path": "notes/out.txt", "content": "written by the agent\n"}]]"#

    @Test func runWithYesExecutesToolsAndRecordsTheSession() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "unused", chunkCount: 2))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let result = try Harness.run(["run", "--yes", "--config", config.path, "save it " + Self.writeCall],
                                     sandbox: sandbox)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let written = try String(contentsOf: sandbox.appendingPathComponent("notes/out.txt"), encoding: .utf8)
        #expect(written == "written by the agent\n")
        #expect(result.stderr.contains("→ write_file notes/out.txt"))
        #expect(result.stdout.contains("Tool result:"))
        let usageLine = try #require(result.stderr.split(separator: "\n").last)
        #expect(usageLine.hasPrefix("tokens in="))
        #expect(usageLine.hasSuffix("cost=n/a"), "no price is known for mock-model: \(usageLine)")

        // A run's session is hidden by default and listed, marked, with --all (issue 14, bug 17).
        let hidden = try Harness.run(["sessions", "--json"], sandbox: sandbox)
        #expect(hidden.status == 0 && hidden.stdout.isEmpty, "\(hidden.stdout)")
        #expect(try Harness.run(["sessions"], sandbox: sandbox).stderr.contains("--all"))
        let sessions = try Harness.run(["sessions", "--json", "--all"], sandbox: sandbox)
        #expect(sessions.status == 0, "stderr: \(sessions.stderr)")
        #expect(sessions.stdout.contains("\"title\":\"save it"))
        #expect(sessions.stdout.contains("\"fromRun\":true"))
        #expect(try Harness.run(["sessions", "--all"], sandbox: sandbox).stdout.contains("[run] save it"))
        let usage = try Harness.run(["usage", "--json"], sandbox: sandbox)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(usage.stdout.utf8)) as? [String: Any])
        let total = try #require(report["total"] as? [String: Any])
        #expect(total["requests"] as? Int == 2)
        #expect(total["unpriced_requests"] as? Int == 2)
        #expect(!usage.stdout.contains("sk-test-secret"))
    }

    @Test func runWithoutYesStopsAtTheFirstApprovalWithExitTwo() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "unused", chunkCount: 2))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let result = try Harness.run(["run", "--config", config.path, Self.writeCall], sandbox: sandbox)
        #expect(result.status == 2)
        #expect(result.stderr.contains("write_file needs approval (notes/out.txt); pass --yes"))
        #expect(!FileManager.default.fileExists(atPath: sandbox.appendingPathComponent("notes/out.txt").path))
    }

    @Test func aPathOutsideTheProjectIsRefusedAndTheModelIsTold() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "unused", chunkCount: 2))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let result = try Harness.run(["run", "--yes", "--json", "--config", config.path,
                                      #"[[tool read_file {"path": "../../etc/passwd"}]]"#], sandbox: sandbox)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let toolResult = try #require(result.stdout.split(separator: "\n").first { $0.contains("\"tool_result\"") })
        #expect(toolResult.contains("\"is_error\":true"))
        #expect(toolResult.contains("outside the project"))
    }

    @Test func theTUIAsksBeforeWritingAndWritesOnYes() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "unused", chunkCount: 2))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let session = try TUIEndToEndTests().startApp(config: config, sandbox: sandbox)
        defer { session.kill() }
        try session.waitFor("● online")
        try session.type(Self.writeCall)
        try session.send("Enter")
        try session.waitFor("Allow write_file?", "+written by the agent", "y yes · n no")
        #expect(!FileManager.default.fileExists(atPath: sandbox.appendingPathComponent("notes/out.txt").path))
        try session.type("y")
        try session.waitFor("✓ write_file  notes/out.txt", "Tool result:", "ready")
        #expect(FileManager.default.fileExists(atPath: sandbox.appendingPathComponent("notes/out.txt").path))
        try session.send("C-d")
    }
}

extension AgentEndToEndTests {
    @Test func aServerWithoutToolSupportGetsThePromptFormAndTheTurnGoesOn() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "Plain answer.", chunkCount: 2))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let result = try Harness.run(["run", "--yes", "--config", config.path, "[[no-tools]] hello"], sandbox: sandbox)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("does not support native tool calls"))
        #expect(result.stdout.contains("Plain answer."))
        let chats = server.requests.filter { $0.path.hasSuffix("/chat/completions") }
        #expect(chats.count == 2)
        let retried = String(decoding: try #require(chats.last).body, as: UTF8.self)
        #expect(!retried.contains("\"tools\""))
        #expect(retried.contains("How to call a tool"))
    }
}
