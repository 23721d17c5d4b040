import AgentCore
import FoundationEssentials
import Glibc
import Synchronization
import Testing
@testable import MCPClient

/// Streamable HTTP against `fake_http_mcp_server.py` (started through `StdioTransport`, which
/// reads the port it prints), which records the headers it received.
@Suite(.timeLimit(.minutes(2))) struct MCPHTTPTests {
    static let script = String(#filePath.dropLast("MCPHTTPTests.swift".count)) + "fake_http_mcp_server.py"

    @Test func sessionHeadersJSONAndStreamedAnswersAndDelete() async throws {
        let record = "/tmp/mcp-http-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).jsonl"
        defer { unlink(record) }
        let port = LineCollector()
        let server = try StdioTransport.start(command: "python3", arguments: [Self.script, record], environment: [:],
                                              workingDirectory: nil,
                                              onLine: { port.append(String(decoding: $0, as: UTF8.self)) }, onExit: { _ in })
        defer { Task { await server.close() } }
        let deadline = ContinuousClock.now + .seconds(20)
        while port.lines.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let url = "http://127.0.0.1:\(try #require(port.lines.first))/mcp"

        let config = MCPServerConfig(name: "h", transport: .http(url: url, headers: ["X-Custom": "secret-value"]))
        let connection = try await MCPClientConnector(clientVersion: "t").connect(config)
        #expect(connection.serverDescription == "fake-http (MCP 2025-03-26)")
        let changed = LineCollector()
        await connection.setToolsChangedHandler { changed.append("changed") }
        #expect(try await connection.listTools().map(\.name) == ["echo"])
        #expect(try await connection.callTool(name: "echo", argumentsJSON: "{}", timeoutSeconds: 10).content == [.text("streamed")])
        // One list_changed inside the call's SSE answer, one on the GET stream.
        while changed.lines.count < 2, ContinuousClock.now < deadline + .seconds(20) { try await Task.sleep(for: .milliseconds(20)) }
        #expect(changed.lines == ["changed", "changed"])
        await connection.close()

        let entries = try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n")
            .map { try JSONReader.parse(String($0)) }
        let initialize = try #require(entries.first)
        #expect(initialize["session"]?.isNull == true && initialize["version"]?.isNull == true)
        #expect(initialize["accept"]?.string == "application/json, text/event-stream")
        #expect(initialize["custom"]?.string == "secret-value")
        let later = entries.dropFirst().filter { $0["method"]?.string == "POST" }
        #expect(later.count == 3)  // notifications/initialized, tools/list, tools/call
        #expect(later.allSatisfy { $0["session"]?.string == "session-42" && $0["version"]?.string == "2025-03-26" })
        #expect(entries.last?["method"]?.string == "DELETE" && entries.last?["session"]?.string == "session-42")
        let listen = try #require(entries.first { $0["method"]?.string == "GET" })
        #expect(listen["session"]?.string == "session-42" && listen["accept"]?.string == "text/event-stream")

        let wrong = MCPServerConfig(name: "h", transport: .http(url: url + "x", headers: ["X-Custom": "secret-value"]))
        let error = await #expect(throws: MCPError.self) { _ = try await MCPClientConnector().connect(wrong) }
        #expect(error == MCPError("HTTP 404 from \(url)x: no such endpoint", connectionLost: true))
        #expect(error?.message.contains("secret-value") == false)
    }
}
