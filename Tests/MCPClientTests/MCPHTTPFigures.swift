import AgentCore
import Glibc
import Testing
@testable import MCPClient

/// Figures, not assertions on speed (opt-in: `SWIFTCODER_MCP_FIGURES=1`): sequential `ping`s to
/// `fake_http_mcp_server.py` over streamable HTTP (one POST and one curl transfer thread each).
@Suite(.timeLimit(.minutes(3)), .enabled(if: getenv("SWIFTCODER_MCP_FIGURES") != nil))
struct MCPHTTPFigures {
    @Test func streamableHTTPRoundTrips() async throws {
        let record = "/tmp/mcp-http-figures-\(getpid()).jsonl"
        let portFile = record + ".port"
        defer { unlink(record); unlink(portFile) }
        let server = try FakeHTTPServer(script: MCPHTTPTests.script, record: record, portFile: portFile)
        defer { server.stop() }
        let deadline = ContinuousClock.now + .seconds(20)
        var port = ""
        while port.isEmpty, ContinuousClock.now < deadline {
            port = ((try? String(contentsOfFile: portFile, encoding: .utf8)) ?? "").filter(\.isNumber)
            if port.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        let clock = ContinuousClock()
        let start = clock.now
        let connection = try await MCPClientConnector(version: "t", environment: [:]).connect(
            MCPServerConfig(name: "h", transport: .http(url: "http://127.0.0.1:\(port)/mcp", headers: [:])))
        let connectTime = clock.now - start
        let count = 500
        let pingStart = clock.now
        for _ in 0..<count { try await connection.ping() }
        let pingTime = clock.now - pingStart
        await connection.close()
        func micros(_ duration: Duration) -> Int64 {
            duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        }
        print("MCP streamable HTTP figures: connect+initialize \(micros(connectTime) / 1000) ms; "
              + "ping \(micros(pingTime) / Int64(count)) µs per request (\(count) sequential)")
    }
}
