import AgentCore
import Foundation
import Testing
@testable import MCPClient

/// The stdio client against `fake_mcp_server.py` (a real child process speaking JSON-RPC).
@Suite(.timeLimit(.minutes(2))) struct StdioClientTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("fake_mcp_server.py").path

    static func server(_ mode: String, log: String? = nil, timeout: Double = 10) -> MCPServerConfig {
        MCPServerConfig(name: "fake", transport: .stdio(command: "python3", arguments: [script, mode] + (log.map { [$0] } ?? []),
                                                         environment: [:], workingDirectory: nil),
                        timeoutSeconds: timeout, source: "test")
    }

    static let connector = MCPClientConnector(version: "test", environment: ProcessInfo.processInfo.environment)

    @Test func initializesListsPagedToolsAndCallsThem() async throws {
        let connection = try await Self.connector.connect(Self.server("normal"))
        defer { Task { await connection.close() } }
        #expect(connection.serverDescription == "fake 1.0 · MCP 2025-06-18")
        let tools = try await connection.listTools()
        #expect(tools.map(\.name) == ["echo", "slow", "fail", "image"])
        #expect(tools[0].readOnlyHint && !tools[1].readOnlyHint)
        // The schema reaches the model as the server wrote it: nested objects and enums kept.
        let schema = try JSONReader.parse(tools[0].inputSchema)
        #expect(schema["properties"]?["text"]?["enum"]?.elements?.count == 2)
        #expect(schema["properties"]?["nested"]?["properties"]?["n"]?["type"]?.string == "integer")
        let echo = try await connection.callTool(name: "echo", argumentsJSON: #"{"text":"a"}"#, timeoutSeconds: 10)
        #expect(echo.content == [.text(#"echo: {"text": "a"}"#)] && !echo.isError)
        let failed = try await connection.callTool(name: "fail", argumentsJSON: "{}", timeoutSeconds: 10)
        #expect(failed.isError && failed.content == [.text("it broke")])
        let image = try await connection.callTool(name: "image", argumentsJSON: "{}", timeoutSeconds: 10)
        #expect(image.content.map(MCPContentText.describe) == ["[image 640x480 png, 30 B]"])
        try await connection.ping()
        await #expect(throws: MCPError.self) { try await connection.callTool(name: "nope", argumentsJSON: "{}", timeoutSeconds: 10) }
        await #expect(throws: MCPError.self) { try await connection.callTool(name: "echo", argumentsJSON: "[1]", timeoutSeconds: 10) }
    }

    @Test func aMissingCommandIsNamed() async {
        var server = Self.server("normal")
        server.transport = .stdio(command: "no-such-mcp-server-xyz", arguments: [], environment: [:], workingDirectory: nil)
        await #expect { try await Self.connector.connect(server) } throws: { error in
            (error as? MCPError)?.message == "command not found: no-such-mcp-server-xyz"
        }
    }

    @Test func aServerThatExitsIsNamedWithItsLastStderrLine() async {
        await #expect { try await Self.connector.connect(Self.server("exit1")) } throws: { error in
            (error as? MCPError)?.message == "exited with status 1: fatal: no database configured"
        }
    }

    @Test func aServerThatNeverAnswersInitializeTimesOut() async {
        await #expect { try await Self.connector.connect(Self.server("silent", timeout: 0.5)) } throws: { error in
            (error as? MCPError)?.message == "no answer to initialize within 0.5 s"
        }
    }

    @Test func anUnknownProtocolVersionIsRefused() async {
        await #expect { try await Self.connector.connect(Self.server("badver")) } throws: { error in
            (error as? MCPError)?.message.contains("speaks MCP protocol version 1999-01-01") == true
        }
    }

    @Test func aTimedOutOrCancelledCallTellsTheServer() async throws {
        let log = NSTemporaryDirectory() + "mcp-log-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let connection = try await Self.connector.connect(Self.server("normal", log: log))
        defer { Task { await connection.close() } }
        // The server sleeps 10 s, so the 0.3 s timeout fires even when the whole suite keeps
        // the pool's threads busy for seconds.
        await #expect { try await connection.callTool(name: "slow", argumentsJSON: #"{"seconds":10}"#, timeoutSeconds: 0.3) } throws: { error in
            (error as? MCPError)?.message == "no answer to tools/call within 0.3 s"
        }
        let task = Task { try await connection.callTool(name: "slow", argumentsJSON: "{}", timeoutSeconds: 60) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        // The fake server is busy sleeping in the first call; its log fills in afterwards, so
        // what was written to its stdin is checked once the pipe delivered it (a deadline).
        let deadline = ContinuousClock.now + .seconds(90)
        var cancels: [String] = []
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            cancels = text.split(separator: "\n").filter { $0.contains("notifications/cancelled") }.map(String.init)
            if cancels.count >= 2 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(cancels.count == 2)
        #expect(cancels.first?.contains("timed out") == true && cancels.last?.contains("cancelled by the user") == true)
    }

    @Test func closeStopsTheServerAndLaterCallsFailNamingIt() async throws {
        let connection = try await Self.connector.connect(Self.server("normal"))
        #expect(await connection.isAlive)
        await connection.close()
        await #expect { try await connection.ping() } throws: { error in
            (error as? MCPError)?.connectionLost == true
        }
        #expect(!(await connection.isAlive))
    }

    @Test func anUnreachableHTTPServerIsNamed() async {
        let server = MCPServerConfig(name: "web", transport: .http(url: "http://127.0.0.1:9/mcp", headers: ["Authorization": "Bearer sk-secret"]))
        await #expect { try await Self.connector.connect(server) } throws: { error in
            guard let error = error as? MCPError else { return false }
            return error.message.hasPrefix("cannot reach http://127.0.0.1:9/mcp: ") && !error.message.contains("sk-secret")
        }
    }
}

@Suite(.timeLimit(.minutes(1))) struct LineFramerTests {
    @Test func linesSplitAnywhereComeOutWhole() {
        let text = Array("{\"a\":1}\r\n\n{\"b\":\"é\"}\n{\"c\":".utf8)
        for cut in 0...text.count {
            var framer = LineFramer()
            let lines = (framer.feed(text[..<cut]) ?? []) + (framer.feed(text[cut...]) ?? [])
            #expect(lines.map { String(decoding: $0, as: UTF8.self) } == ["{\"a\":1}", "{\"b\":\"é\"}"], "cut \(cut)")
        }
    }

    @Test func aLineOverTheLimitEndsTheStreamWithoutHoldingMore() {
        var framer = LineFramer(limit: 16)
        #expect(framer.feed(Array("0123456789".utf8)[...]) != nil)
        #expect(framer.feed(Array("0123456789".utf8)[...]) == nil)
    }
}

/// The servers started together and their tools offered beside the built-in ones (D161).
@Suite(.timeLimit(.minutes(2))) struct MCPToolExecutorTests {
    struct NoTools: ToolExecutor {
        var definitions: [ToolDefinition] { [ToolDefinition(name: "read_file", description: "reads")] }
        func effect(of toolName: String) -> ToolEffect? { toolName == "read_file" ? .read : nil }
        func prepare(_ call: ToolCall) async -> ToolPreparation { .ready(ToolPreview(toolName: call.name, keyArgument: "x")) }
        func execute(_ call: ToolCall) async -> ToolOutput { ToolOutput(content: "built-in", summary: "ok") }
    }

    func started() async -> MCPServers {
        var fake = StdioClientTests.server("normal")
        fake.alwaysAllow = ["fail"]
        let servers = MCPServers(servers: [fake, StdioClientTests.server("exit1").renamed("broken"),
                                           StdioClientTests.server("silent", timeout: 0.5).renamed("slowstart")],
                                 connector: StdioClientTests.connector)
        await servers.start()
        return servers
    }

    @Test func readyServersOfferTheirToolsAndFailedOnesSayWhy() async {
        let servers = await started()
        defer { Task { await servers.stopAll() } }
        #expect(servers.entries.map(\.status) == [.ready, .failed("exited with status 1: fatal: no database configured"),
                                                  .failed("no answer to initialize within 0.5 s")])
        let executor = MCPToolExecutor(builtin: NoTools(), servers: servers)
        #expect(executor.definitions.map(\.name) == ["read_file", "mcp__fake__echo", "mcp__fake__slow", "mcp__fake__fail",
                                                     "mcp__fake__image"])
        #expect(executor.effect(of: "mcp__fake__echo") == .write)  // readOnlyHint: runs in auto-edit
        #expect(executor.effect(of: "mcp__fake__slow") == .command)
        #expect(executor.effect(of: "read_file") == .read && executor.effect(of: "nope") == nil)
        #expect(servers.alwaysAllowed == ["mcp__fake__fail"])
    }

    @Test func callsGoToTheirServerAndResultsReachTheModel() async {
        let servers = await started()
        defer { Task { await servers.stopAll() } }
        let executor = MCPToolExecutor(builtin: NoTools(), servers: servers, outputLimit: 40)
        let call = ToolCall(id: "1", name: "mcp__fake__echo", arguments: #"{"text":"b"}"#)
        guard case .ready(let preview) = await executor.prepare(call) else { Issue.record("not ready"); return }
        #expect(preview.keyArgument == "fake MCP server · echo" && preview.detail == #"{"text":"b"}"#)
        let echoed = await executor.execute(call)
        #expect(echoed.content == #"echo: {"text": "b"}"# && !echoed.isError && echoed.summary == "1 line")
        let failed = await executor.execute(ToolCall(id: "2", name: "mcp__fake__fail", arguments: "{}"))
        #expect(failed.isError && failed.summary == "error: it broke")
        let long = await executor.execute(ToolCall(id: "3", name: "mcp__fake__echo",
                                                   arguments: #"{"text":"\#(String(repeating: "x", count: 200))"}"#))
        #expect(long.content.contains("bytes left out") && long.content.utf8.count < 120)
        #expect(await executor.execute(ToolCall(id: "4", name: "read_file", arguments: "{}")).content == "built-in")
    }
}

extension MCPServerConfig {
    func renamed(_ name: String) -> MCPServerConfig {
        var copy = self
        copy.name = name
        return copy
    }
}
