import AgentCore
import FoundationEssentials
import Glibc
import Testing
@testable import MCPClient

/// Against the real servers of `../shared/peers/mcp` (opt-in: `SWIFTCODER_PEERS=1`).
@Suite(.timeLimit(.minutes(3)), .enabled(if: getenv("SWIFTCODER_PEERS").map { String(cString: $0) } == "1"))
struct MCPPeerTests {
    /// `../shared/peers/mcp` beside the checkout.
    static let peers = "/" + #filePath.split(separator: "/").dropLast(4).joined(separator: "/") + "/shared/peers/mcp"
    /// Where `install.sh` puts the servers (it prints this folder).
    static let bin = getenv("SWIFTCODER_MCP_PEERS_BIN").map { String(cString: $0) }
        ?? "/root/.cache/swiftcoder-peers/mcp/venv/bin"

    func stdio(_ command: String, _ arguments: [String], environment: [String: String] = [:]) -> MCPServerConfig {
        MCPServerConfig(name: "peer", transport: .stdio(command: command, arguments: arguments,
                                                        environment: environment, workingDirectory: nil),
                        timeoutSeconds: 30)
    }

    var demoScript: String { Self.peers + "/demo_server.py" }

    @Test func demoServerOverStdio() async throws {
        let connection = try await MCPClientConnector(clientVersion: "test").connect(
            stdio(Self.bin + "/python", [demoScript, "stdio"], environment: ["MCP_TEST_VALUE": "from-config"]))
        try await exerciseDemo(connection, environmentValue: "from-config")
    }

    /// `start.sh http PORT` first; the URL (…/mcp) in `SWIFTCODER_MCP_HTTP_URL`.
    @Test(.enabled(if: getenv("SWIFTCODER_MCP_HTTP_URL") != nil))
    func demoServerOverStreamableHTTP() async throws {
        let url = String(cString: getenv("SWIFTCODER_MCP_HTTP_URL"))
        let config = MCPServerConfig(name: "peer", transport: .http(url: url, headers: ["X-Test": "1"]), timeoutSeconds: 30)
        let connection = try await MCPClientConnector(clientVersion: "test").connect(config)
        try await exerciseDemo(connection, environmentValue: nil)
        let missing = MCPServerConfig(name: "peer", transport: .http(url: url + "-nope", headers: [:]), timeoutSeconds: 10)
        await #expect(throws: MCPError("HTTP 404 from \(url)-nope: Not Found", connectionLost: true)) {
            _ = try await MCPClientConnector().connect(missing)
        }
    }

    /// `start.sh sse PORT` first; the URL (…/sse) in `SWIFTCODER_MCP_SSE_URL`.
    @Test(.enabled(if: getenv("SWIFTCODER_MCP_SSE_URL") != nil))
    func demoServerOverLegacySSE() async throws {
        let url = String(cString: getenv("SWIFTCODER_MCP_SSE_URL"))
        let config = MCPServerConfig(name: "peer", transport: .sse(url: url, headers: ["X-Test": "1"]), timeoutSeconds: 30)
        let connection = try await MCPClientConnector(clientVersion: "test").connect(config)
        try await exerciseDemo(connection, environmentValue: nil)
    }

    func exerciseDemo(_ connection: any MCPConnection, environmentValue: String?) async throws {
        let tools = try await connection.listTools()
        #expect(Set(tools.map(\.name)).isSuperset(of: ["echo", "add", "slow", "fail", "big", "env_var"]))
        #expect(try await connection.callTool(name: "echo", argumentsJSON: #"{"text":"héllo \"x\""}"#, timeoutSeconds: 10).content
                == [.text("héllo \"x\"")])
        #expect(try await connection.callTool(name: "add", argumentsJSON: #"{"a":2,"b":40}"#, timeoutSeconds: 10).content == [.text("42")])
        #expect(try await connection.callTool(name: "fail", argumentsJSON: #"{"message":"boom"}"#, timeoutSeconds: 10).isError)
        let big = try await connection.callTool(name: "big", argumentsJSON: #"{"kb":1024}"#, timeoutSeconds: 30)
        guard case .text(let text) = big.content.first else { Issue.record("no text"); return }
        #expect(text.utf8.count >= 1_000_000)
        if let environmentValue {
            #expect(try await connection.callTool(name: "env_var", argumentsJSON: #"{"name":"MCP_TEST_VALUE"}"#,
                                                  timeoutSeconds: 10).content == [.text(environmentValue)])
        }
        await #expect(throws: MCPError("no answer to tools/call within 1 s")) {
            _ = try await connection.callTool(name: "slow", argumentsJSON: #"{"seconds":5}"#, timeoutSeconds: 1)
        }
        try await connection.ping()
        #expect(try await connection.listResources().contains { $0.uri == "demo://readme" })
        #expect(try await !connection.readResource(uri: "demo://readme").isEmpty)
        #expect(try await connection.listPrompts().contains { $0.name == "review" })
        #expect(try await connection.getPrompt(name: "review", arguments: ["file": "main.swift"]).contains("main.swift"))
        await connection.close()
    }

    @Test func timeAndGitServers() async throws {
        let time = try await MCPClientConnector().connect(stdio(Self.bin + "/mcp-server-time", ["--local-timezone", "UTC"]))
        #expect(try await time.listTools().contains { $0.name == "get_current_time" })
        let now = try await time.callTool(name: "get_current_time", argumentsJSON: #"{"timezone":"UTC"}"#, timeoutSeconds: 20)
        #expect(!now.isError)
        await time.close()
        let git = try await MCPClientConnector().connect(stdio(Self.bin + "/mcp-server-git", []))
        #expect(try await git.listTools().contains { $0.name == "git_status" })
        await git.close()
    }
}
