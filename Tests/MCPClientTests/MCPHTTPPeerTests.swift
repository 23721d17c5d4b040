import AgentCore
import Glibc
import Testing
@testable import MCPClient

/// The official Python SDK's demo server over streamable HTTP and legacy SSE (opt-in:
/// `SWIFTCODER_PEERS=1`; start it with `../shared/peers/mcp/start.sh http PORT` / `sse PORT`
/// and give the URLs in `SWIFTCODER_MCP_HTTP_URL` (…/mcp) and `SWIFTCODER_MCP_SSE_URL` (…/sse)).
@Suite(.timeLimit(.minutes(3)), .enabled(if: getenv("SWIFTCODER_PEERS").map { String(cString: $0) } == "1"))
struct MCPHTTPPeerTests {
    static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    @Test(.enabled(if: environment("SWIFTCODER_MCP_HTTP_URL") != nil))
    func demoServerOverStreamableHTTP() async throws {
        let url = try #require(Self.environment("SWIFTCODER_MCP_HTTP_URL"))
        try await exerciseDemo(.http(url: url, headers: ["X-Test": "1"]))
        let missing = MCPServerConfig(name: "peer", transport: .http(url: url + "-nope", headers: [:]), timeoutSeconds: 10)
        let error = await #expect(throws: MCPError.self) { _ = try await MCPClientConnector(version: "t", environment: [:]).connect(missing) }
        #expect(error?.message.hasPrefix("HTTP 404 from \(url)-nope") == true)
    }

    @Test(.enabled(if: environment("SWIFTCODER_MCP_SSE_URL") != nil))
    func demoServerOverLegacySSE() async throws {
        try await exerciseDemo(.sse(url: try #require(Self.environment("SWIFTCODER_MCP_SSE_URL")), headers: ["X-Test": "1"]))
    }

    func exerciseDemo(_ transport: MCPTransportConfig) async throws {
        let config = MCPServerConfig(name: "peer", transport: transport, timeoutSeconds: 30)
        let connection = try await MCPClientConnector(version: "test", environment: [:]).connect(config)
        let tools = try await connection.listTools()
        #expect(Set(tools.map(\.name)).isSuperset(of: ["echo", "add", "slow", "fail", "big", "env_var"]))
        #expect(try await connection.callTool(name: "echo", argumentsJSON: #"{"text":"héllo \"x\""}"#, timeoutSeconds: 10).content
                == [.text("héllo \"x\"")])
        #expect(try await connection.callTool(name: "add", argumentsJSON: #"{"a":2,"b":40}"#, timeoutSeconds: 10).content == [.text("42")])
        #expect(try await connection.callTool(name: "fail", argumentsJSON: #"{"message":"boom"}"#, timeoutSeconds: 10).isError)
        let big = try await connection.callTool(name: "big", argumentsJSON: #"{"kb":1024}"#, timeoutSeconds: 30)
        guard case .text(let text) = big.content.first else { Issue.record("no text"); return }
        #expect(text.utf8.count >= 1_000_000)
        await #expect(throws: MCPError.self) {
            _ = try await connection.callTool(name: "slow", argumentsJSON: #"{"seconds":5}"#, timeoutSeconds: 1)
        }
        try await connection.ping()
        #expect(try await connection.listResources().contains { $0.uri == "demo://readme" })
        #expect(try await !connection.readResource(uri: "demo://readme").isEmpty)
        #expect(try await connection.listPrompts().contains { $0.name == "review" })
        #expect(try await connection.getPrompt(name: "review", arguments: ["file": "main.swift"]).contains("main.swift"))
        #expect(await connection.isAlive)
        await connection.close()
        #expect(await !connection.isAlive)
    }
}
