import Foundation
import MockLLMServer
import Testing

/// `swiftcoder run` end to end: what reaches the server after a tool ran, the step limit
/// from the command line, and `AGENTS.md` read from the project.
@Suite(.timeLimit(.minutes(5)), .serialized, .enabled(if: Harness.canRunBinary, "needs the swiftcoder binary (scripts/test)"))
struct AgentRunEndToEndTests {
    /// The messages of a recorded chat request, as JSON objects.
    private func messages(of request: RecordedRequest) throws -> [[String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        return try #require(object["messages"] as? [[String: Any]])
    }

    private func chats(_ server: MockLLMServer) -> [RecordedRequest] {
        server.requests.filter { $0.method == "POST" && $0.path.hasSuffix("/chat/completions") }
    }

    @Test func theFollowUpRequestCarriesTheToolResultUnderTheCallsID() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "unused", chunkCount: 2))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let result = try Harness.run(["run", "--yes", "--config", config.path, AgentEndToEndTests.writeCall],
                                     sandbox: sandbox)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let requests = chats(server)
        try #require(requests.count == 2)
        let followUp = try messages(of: requests[1])
        let assistant = try #require(followUp.first { $0["role"] as? String == "assistant" })
        let calls = try #require(assistant["tool_calls"] as? [[String: Any]])
        let function = try #require(calls.first?["function"] as? [String: Any])
        #expect(calls.count == 1 && calls.first?["id"] as? String == "call_mock_1")
        #expect(function["name"] as? String == "write_file")
        let tool = try #require(followUp.last)
        #expect(tool["role"] as? String == "tool")
        #expect(tool["tool_call_id"] as? String == "call_mock_1")
        #expect((tool["content"] as? String)?.contains("notes/out.txt") == true, "tool result: \(tool)")
    }

    @Test func maxStepsFromTheCommandLineStopsTheLoop() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "unused", chunkCount: 2))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        let prompt = #"look [[tool list_directory {"path": "."}]]"#
        let result = try Harness.run(["run", "--yes", "--max-steps", "1", "--config", config.path, prompt],
                                     sandbox: sandbox)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("stopped after 1 requests"), "stderr: \(result.stderr)")
        #expect(chats(server).count == 1)
        let invalid = try Harness.run(["run", "--max-steps", "0", "--config", config.path, "hi"], sandbox: sandbox)
        #expect(invalid.status != 0 && invalid.stderr.contains("--max-steps must be at least 1"))
    }

    @Test func agentsMDInTheProjectIsPartOfTheSystemPrompt() throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "ok", chunkCount: 1))
        defer { server.stop() }
        let sandbox = try Harness.makeSandbox()
        let config = try Harness.writeConfig(in: sandbox, apiBase: server.baseURL)
        try "Run `make check` before every commit.\n".write(
            to: sandbox.appendingPathComponent("AGENTS.md"), atomically: true, encoding: .utf8)
        let result = try Harness.run(["run", "--config", config.path, "hello"], sandbox: sandbox)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let request = try #require(chats(server).first)
        let system = try #require(try messages(of: request).first { $0["role"] as? String == "system" })
        let text = try #require(system["content"] as? String)
        #expect(text.contains("Run `make check` before every commit."))
        #expect(text.contains(sandbox.resolvingSymlinksInPath().path) || text.contains(sandbox.path))
        #expect(text.contains("write_file") && text.contains("run_command"))
    }
}
