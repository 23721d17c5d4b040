import AgentCore
import FoundationEssentials
import Glibc
import Synchronization
import Testing
@testable import MCPClient

/// Streamable HTTP against `fake_http_mcp_server.py`, which records the headers it received.
@Suite(.timeLimit(.minutes(2))) struct MCPHTTPTests {
    static let script = String(#filePath.dropLast("MCPHTTPTests.swift".count)) + "fake_http_mcp_server.py"

    @Test func sessionHeadersJSONAndStreamedAnswersAndDelete() async throws {
        let record = "/tmp/mcp-http-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).jsonl"
        defer { unlink(record) }
        let portFile = record + ".port"
        defer { unlink(portFile) }
        let server = try FakeHTTPServer(script: Self.script, record: record, portFile: portFile)
        defer { server.stop() }
        // Python starts slowly when the whole suite runs on two cores: a generous deadline.
        let deadline = ContinuousClock.now + .seconds(60)
        var port = ""
        while port.isEmpty, ContinuousClock.now < deadline {
            port = ((try? String(contentsOfFile: portFile, encoding: .utf8)) ?? "").filter(\.isNumber)
            if port.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        try #require(!port.isEmpty, "the fake HTTP server wrote no port within 60 s")
        let url = "http://127.0.0.1:\(port)/mcp"

        let config = MCPServerConfig(name: "h", transport: .http(url: url, headers: ["X-Custom": "secret-value"]))
        let connection = try await MCPClientConnector(version: "t", environment: [:]).connect(config)
        #expect(connection.serverDescription == "fake-http · MCP 2025-03-26")
        let changed = LineCollector()
        await connection.setToolsChangedHandler { changed.append("changed") }
        #expect(try await connection.listTools().map(\.name) == ["echo"])
        #expect(try await connection.callTool(name: "echo", argumentsJSON: "{}", timeoutSeconds: 10).content == [.text("streamed")])
        // One list_changed inside the call's SSE answer, one on the GET stream.
        while changed.lines.count < 2, ContinuousClock.now < deadline + .seconds(30) { try await Task.sleep(for: .milliseconds(20)) }
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
        let error = await #expect(throws: MCPError.self) { _ = try await MCPClientConnector(version: "t", environment: [:]).connect(wrong) }
        #expect(error == MCPError("HTTP 404 from \(url)x: no such endpoint", connectionLost: true))
        #expect(error?.message.contains("secret-value") == false)
    }
}

/// `fake_http_mcp_server.py` as a child process (posix_spawn; stopped with KILL and reaped).
struct FakeHTTPServer {
    let pid: pid_t

    init(script: String, record: String, portFile: String) throws {
        var pid: pid_t = 0
        let arguments = ["python3", script, record, portFile]
        var pointers: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        let result = posix_spawnp(&pid, "python3", nil, nil, &pointers, environ)
        guard result == 0 else { throw MCPError("cannot start python3: \(result)") }
        self.pid = pid
    }

    func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)  // Immediate after KILL.
    }
}

final class LineCollector: Sendable {
    private let value = Mutex([String]())
    func append(_ line: String) { value.withLock { $0.append(line) } }
    var lines: [String] { value.withLock { $0 } }
}
