import AgentCore
import FoundationEssentials
import Glibc
import Synchronization
import Testing
@testable import MCPClient

/// Runs `fake_mcp_server.py` (next to this file) through the real connector.
@Suite(.timeLimit(.minutes(2))) struct MCPStdioTests {
    static let script = String(#filePath.dropLast("MCPStdioTests.swift".count)) + "fake_mcp_server.py"

    func server(_ mode: String, record: String? = nil, timeout: Double = 20) -> MCPServerConfig {
        MCPServerConfig(name: "fake", transport: .stdio(command: "python3", arguments: [Self.script, mode] + (record.map { [$0] } ?? []),
                                                        environment: [:], workingDirectory: nil),
                        timeoutSeconds: timeout)
    }

    func connect(_ mode: String, record: String? = nil, timeout: Double = 20) async throws -> any MCPConnection {
        try await MCPClientConnector(clientVersion: "test").connect(server(mode, record: record, timeout: timeout))
    }

    func recordFile() -> String {
        "/tmp/mcp-client-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).jsonl"
    }

    /// The record file's lines once `condition` holds for them, polling until a deadline.
    func recorded(_ path: String, until condition: ([String]) -> Bool) async throws -> [String] {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            let lines = text.split(separator: "\n").map(String.init)
            if condition(lines) || ContinuousClock.now > deadline { return lines }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func initializesListsCallsAndCloses() async throws {
        let connection = try await connect("normal")
        #expect(connection.serverDescription == "fake 1.2 (MCP 2025-06-18)")
        let tools = try await connection.listTools()
        #expect(tools.map(\.name) == ["echo", "slow", "third"])
        #expect(tools[0].readOnlyHint)
        #expect(tools[0].inputSchema.contains(#""enum":["a","b"]"#))
        let result = try await connection.callTool(name: "echo", argumentsJSON: "{\n \"text\": \"a\\nb\" }", timeoutSeconds: 10)
        #expect(result == MCPToolResult(content: [.text(#"{"text": "a\nb"}"#)]))
        let failed = try await connection.callTool(name: "fail", argumentsJSON: "{}", timeoutSeconds: 10)
        #expect(failed.isError)
        await #expect(throws: MCPError.self) { try await connection.callTool(name: "nope", argumentsJSON: "{}", timeoutSeconds: 10) }
        await #expect(throws: MCPError.self) { try await connection.callTool(name: "echo", argumentsJSON: "[1]", timeoutSeconds: 10) }
        #expect(try await connection.listPrompts().map(\.name) == ["review"])
        #expect(try await connection.getPrompt(name: "review", arguments: ["topic": "x"]) == "Review x\n\nOK")
        #expect(try await connection.listResources().map(\.uri) == ["demo://readme"])
        #expect(try await connection.readResource(uri: "demo://readme") == "hello resource")
        try await connection.ping()
        #expect(await connection.isAlive)
        await connection.close()
        #expect(await !connection.isAlive)
        await #expect(throws: MCPError.self) { try await connection.ping() }
    }

    @Test func followsPagination() async throws {
        let connection = try await connect("paginated")
        #expect(try await connection.listTools().map(\.name) == ["echo", "slow", "third"])
        await connection.close()
    }

    @Test func commandNotFound() async {
        let config = MCPServerConfig(name: "x", transport: .stdio(command: "no-such-mcp-server-xyz", arguments: [],
                                                                  environment: [:], workingDirectory: nil))
        await #expect(throws: MCPError("command not found: no-such-mcp-server-xyz")) {
            _ = try await MCPClientConnector().connect(config)
        }
    }

    @Test func exitNamesStatusAndLastStderrLine() async {
        let logged = LineCollector()
        await #expect(throws: MCPError("exited with status 1: fatal: missing API token", connectionLost: true)) {
            _ = try await MCPClientConnector(log: { logged.append($0) }).connect(server("exit1"))
        }
        #expect(logged.lines == ["MCP fake stderr: starting up", "MCP fake stderr: fatal: missing API token"])
    }

    @Test func initializeTimesOut() async {
        await #expect(throws: MCPError("no answer to initialize within 1 s")) { _ = try await connect("slow-init", timeout: 1) }
    }

    @Test func refusesAnUnknownProtocolVersion() async {
        let error = await #expect(throws: MCPError.self) { _ = try await connect("bad-version") }
        #expect(error?.message.contains("1999-01-01") == true)
    }

    @Test func garbageAndHugeLinesEndTheConnection() async {
        let garbage = await #expect(throws: MCPError.self) { _ = try await connect("garbage") }
        #expect(garbage?.message.hasPrefix("the server sent something that is not JSON-RPC") == true)
        let huge = await #expect(throws: MCPError.self) { _ = try await connect("huge") }
        #expect(huge?.message == "the server sent a message longer than 4 MiB")
    }

    @Test func timeoutAndCancellationSendCancelled() async throws {
        let record = recordFile()
        defer { unlink(record) }
        let connection = try await connect("normal", record: record)
        await #expect(throws: MCPError("no answer to tools/call within 1 s")) {
            _ = try await connection.callTool(name: "slow", argumentsJSON: "{}", timeoutSeconds: 1)
        }
        let task = Task { try await connection.callTool(name: "slow", argumentsJSON: "{}", timeoutSeconds: 60) }
        _ = try await recorded(record) { $0.filter { $0.contains("\"slow\"") }.count == 2 }
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        let lines = try await recorded(record) { $0.filter { $0.contains("notifications/cancelled") }.count == 2 }
        let cancels = lines.filter { $0.contains("notifications/cancelled") }
        #expect(cancels.count == 2)
        #expect(cancels.first?.contains(#""reason":"timeout""#) == true)
        await connection.close()
    }

    @Test func answersServerRequestsAndReportsListChanged() async throws {
        let record = recordFile()
        defer { unlink(record) }
        let connection = try await connect("normal", record: record)
        let changed = ChangeCounter()
        await connection.setToolsChangedHandler { changed.increment() }
        _ = try await connection.callTool(name: "changed", argumentsJSON: "{}", timeoutSeconds: 10)
        #expect(changed.count == 1)  // The notification came before the call's answer, on the same reader thread.
        _ = try await connection.callTool(name: "ask", argumentsJSON: "{}", timeoutSeconds: 10)
        let lines = try await recorded(record) { $0.contains { $0.contains("-32601") } }
        #expect(lines.contains(#"{"jsonrpc":"2.0","id":"srv-1","result":{}}"#))
        #expect(lines.contains { $0.contains(#""id":7,"error":{"code":-32601"#) })
        #expect(lines.first?.contains(#""clientInfo":{"name":"swiftcoder","version":"test"}"#) == true)
        #expect(lines.dropFirst().first == #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        await connection.close()
    }

    @Test func closeEndsTheWholeProcessGroup() async throws {
        let record = recordFile()
        defer { unlink(record) }
        let connection = try await connect("grandchild", record: record)
        let lines = try await recorded(record) { $0.contains { $0.hasPrefix("grandchild ") } }
        let grandchild = try #require(lines.first { $0.hasPrefix("grandchild ") }.flatMap { Int32($0.dropFirst(11)) })
        let pid = try #require((connection as? MCPClientConnection)?.transport as? StdioTransport).pid
        await connection.close()
        #expect(kill(pid, 0) == -1 && errno == ESRCH)  // Reaped: no zombie.
        let deadline = ContinuousClock.now + .seconds(10)
        while Self.isRunning(grandchild), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!Self.isRunning(grandchild))
    }

    /// True while the process exists and is not a zombie (its parent may not reap it here).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return !stat[close...].hasPrefix(") Z")
    }
}

final class ChangeCounter: Sendable {
    private let value = Mutex(0)
    func increment() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
}

final class LineCollector: Sendable {
    private let value = Mutex([String]())
    func append(_ line: String) { value.withLock { $0.append(line) } }
    var lines: [String] { value.withLock { $0 } }
}
