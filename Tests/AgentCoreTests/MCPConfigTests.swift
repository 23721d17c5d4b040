import Testing
@testable import AgentCore

/// `mcpServers` in the shapes users have (issue 13, item 2, D159) and the offered tool names (D160).
@Suite(.timeLimit(.minutes(1))) struct MCPConfigTests {
    func servers(_ json: String, environment: [String: String] = ["TOKEN": "t0k"]) throws -> [MCPServerConfig] {
        try ConfigLoader.parse(data: Array(json.utf8), path: "agents.config.json", environment: environment).mcpServers
    }

    @Test func stdioHttpAndSseEntriesAreRead() throws {
        let found = try servers("""
            {"mcpServers": {
              "files": {"command": "npx", "args": ["-y", "server-files", "${TOKEN}"], "env": {"K": "${TOKEN}"}, "cwd": "/tmp",
                        "timeout": 5, "alwaysAllow": ["read"]},
              "web": {"type": "http", "url": "https://example.com/mcp", "headers": {"Authorization": "Bearer ${TOKEN}"}},
              "old": {"transport": "sse", "url": "http://127.0.0.1:8200/sse"},
              "off": {"command": "x", "enabled": false}}}
            """)
        #expect(found.map(\.name) == ["files", "web", "old", "off"])
        #expect(found[0].transport == .stdio(command: "npx", arguments: ["-y", "server-files", "t0k"], environment: ["K": "t0k"],
                                             workingDirectory: "/tmp"))
        #expect(found[0].timeoutSeconds == 5 && found[0].alwaysAllow == ["read"])
        #expect(found[1].transport == .http(url: "https://example.com/mcp", headers: ["Authorization": "Bearer t0k"]))
        #expect(found[2].transport == .sse(url: "http://127.0.0.1:8200/sse", headers: [:]))
        #expect(!found[3].enabled && found[1].timeoutSeconds == MCPServerConfig.defaultTimeoutSeconds)
    }

    @Test func anUnsetVariableKeepsTheServerMarkedUnavailable() throws {
        let found = try servers(#"{"mcpServers": {"gh": {"command": "gh-mcp", "env": {"T": "${GH_TOKEN}"}}}}"#, environment: [:])
        #expect(found.first?.unavailableReason == "${GH_TOKEN} is not set")
    }

    @Test func brokenEntriesNameTheFileThePositionAndTheField() {
        let cases: [(String, String)] = [
            (#"{"mcpServers": {"a": {"args": []}}}"#, "mcpServers.a.command"),
            (#"{"mcpServers": {"a": {"type": "http"}}}"#, "mcpServers.a.url"),
            (#"{"mcpServers": {"a": {"type": "grpc", "url": "x"}}}"#, "mcpServers.a.type"),
            (#"{"mcpServers": {"a": {"command": "x", "args": "-v"}}}"#, "mcpServers.a.args"),
            (#"{"mcpServers": {"a": {"command": "x", "timeout": -1}}}"#, "mcpServers.a.timeout"),
            (#"{"mcpServers": []}"#, "mcpServers"),
        ]
        for (json, field) in cases {
            #expect { try servers(json) } throws: { error in
                guard let error = error as? ConfigError else { return false }
                return error.field == field && error.path == "agents.config.json" && error.position != nil
            }
        }
    }

    @Test func unknownEntryKeysAreWarnedWithTheNearestKnownOne() throws {
        let config = try ConfigLoader.parse(data: Array(#"{"mcpServers": {"a": {"command": "x", "arg": []}}}"#.utf8),
                                            path: "agents.config.json", environment: [:])
        #expect(config.warnings.map(\.field) == ["mcpServers.a.arg"])
        #expect(config.warnings.first?.suggestion == "args")
    }

    @Test func offeredNamesFitTheAPIsAndMapBackExactly() {
        var names = MCPToolNames()
        let pattern = #/^[a-zA-Z0-9_-]{1,64}$/#
        let pairs = [("files", "read"), ("my.server", "do thing"), ("s", String(repeating: "t", count: 70)),
                     ("my_server", "do_thing"), ("日本", "ツール")]
        var offered: [String] = []
        for (server, tool) in pairs {
            let name = names.name(server: server, tool: tool)
            #expect(name.wholeMatch(of: pattern) != nil, "\(name)")
            #expect(names.map[name] == MCPToolKey(server: server, tool: tool))
            offered.append(name)
        }
        #expect(offered[0] == "mcp__files__read")
        #expect(offered[1] == "mcp__my_server__do_thing")
        // The same name once sanitized: the second pair gets a stable suffix, never the same name.
        #expect(offered[3].hasPrefix("mcp__my_server__do_thing_") && offered[3] != offered[1])
        #expect(offered[2].count == 64)
        var again = MCPToolNames()
        #expect(again.name(server: "s", tool: String(repeating: "t", count: 70)) == offered[2])
        #expect(names.name(server: "files", tool: "read") == "mcp__files__read")
    }
}
