import AgentCore
import Glibc
import Testing
@testable import MCPClient

/// Figures, not assertions on speed (opt-in: `SWIFTCODER_MCP_FIGURES=1`): sequential round
/// trips to the Python fake server over stdio, printed in microseconds per request.
@Suite(.timeLimit(.minutes(3)), .enabled(if: getenv("SWIFTCODER_MCP_FIGURES") != nil))
struct MCPRoundTripFigures {
    @Test func stdioRoundTrips() async throws {
        let config = MCPServerConfig(name: "fake", transport: .stdio(
            command: "python3", arguments: [MCPStdioTests.script, "normal"], environment: [:], workingDirectory: nil))
        let clock = ContinuousClock()
        let connectStart = clock.now
        let connection = try await MCPClientConnector().connect(config)
        let connectTime = clock.now - connectStart
        let count = 2000
        let pingStart = clock.now
        for _ in 0..<count { try await connection.ping() }
        let pingTime = clock.now - pingStart
        let callStart = clock.now
        for _ in 0..<count { _ = try await connection.callTool(name: "echo", argumentsJSON: #"{"text":"a"}"#, timeoutSeconds: 10) }
        let callTime = clock.now - callStart
        await connection.close()
        func micros(_ duration: Duration) -> Int { Int(duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000) }
        print("MCP stdio figures: connect+initialize \(micros(connectTime) / 1000) ms; ping \(micros(pingTime) / count) µs; "
              + "tools/call echo \(micros(callTime) / count) µs per request (\(count) sequential each)")
    }
}
