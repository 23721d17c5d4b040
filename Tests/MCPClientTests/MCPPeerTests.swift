import AgentCore
import Foundation
import Testing
@testable import MCPClient

/// The client against real MCP servers we did not write (opt-in: `SWIFTCODER_PEERS=1`, with
/// `../shared/peers/mcp` beside the package): the official Python SDK's demo server,
/// `mcp-server-time` and `mcp-server-git`, over stdio.
@Suite(.timeLimit(.minutes(5)), .enabled(if: ProcessInfo.processInfo.environment["SWIFTCODER_PEERS"] == "1"))
struct MCPPeerTests {
    /// NAME → command line, as `stdio.sh` prints them (it installs the servers on first use).
    static func commands() throws -> [String: [String]] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/peers/mcp/stdio.sh").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var commands: [String: [String]] = [:]
        for line in output.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            if words.count >= 2 { commands[words[0]] = Array(words.dropFirst()) }
        }
        return commands
    }

    func connect(_ name: String, extra: [String] = []) async throws -> any MCPConnection {
        let command = try #require(try Self.commands()[name], "stdio.sh names no \(name)")
        let server = MCPServerConfig(name: name, transport: .stdio(command: command[0], arguments: Array(command.dropFirst()) + extra,
                                                                    environment: [:], workingDirectory: nil),
                                     timeoutSeconds: 60)
        return try await MCPClientConnector(version: "test", environment: ProcessInfo.processInfo.environment).connect(server)
    }

    @Test func theSDKDemoServerAnswersEveryKindOfCall() async throws {
        let demo = try await connect("demo")
        defer { Task { await demo.close() } }
        #expect(try await demo.listTools().map(\.name).contains("add"))
        #expect(try await demo.callTool(name: "add", argumentsJSON: #"{"a":2,"b":40}"#, timeoutSeconds: 30).content
                    .map(MCPContentText.describe).joined().contains("42"))
        let failed = try await demo.callTool(name: "fail", argumentsJSON: #"{"message":"boom"}"#, timeoutSeconds: 30)
        #expect(failed.isError, "\(failed)")
        // The SDK (mcp 2.x) reports the failure without the exception's text.
        #expect(failed.content.map(MCPContentText.describe).joined().contains("Error executing tool fail"), "\(failed)")
        let big = try await demo.callTool(name: "big", argumentsJSON: #"{"kb":512}"#, timeoutSeconds: 30)
        #expect(big.content.map(MCPContentText.describe).joined().utf8.count >= 500_000)
        await #expect(throws: MCPError.self) {
            try await demo.callTool(name: "slow", argumentsJSON: #"{"seconds":5}"#, timeoutSeconds: 0.5)
        }
        try await demo.ping()
        #expect(try await demo.listPrompts().map(\.name).contains("review"))
        #expect(!(try await demo.readResource(uri: "demo://readme")).isEmpty)
    }

    /// The demo server's prompt as `/demo:review` and its resource as `@demo:demo://readme`,
    /// through `MCPServers` as the app and `run` use them (D182).
    @Test func theDemoServersPromptAndResourceAsTheAppUsesThem() async throws {
        let command = try #require(try Self.commands()["demo"])
        let servers = MCPServers(servers: [MCPServerConfig(name: "demo", transport: .stdio(
            command: command[0], arguments: Array(command.dropFirst()), environment: [:], workingDirectory: nil),
            timeoutSeconds: 60)], connector: MCPClientConnector(version: "test", environment: ProcessInfo.processInfo.environment))
        await servers.start()
        defer { Task { await servers.stopAll() } }
        #expect(servers.prompt(command: "demo:review") != nil, "\(servers.entries)")
        let filled = try await servers.expandPrompt(command: "demo:review", arguments: "main.swift").get()
        #expect(filled.contains("main.swift"))
        let attached = try await servers.attach([MCPResourceMention(server: "demo", uri: "demo://readme")], to: "read").get()
        #expect(attached.hasPrefix("read\n\n<resource server=\"demo\" uri=\"demo://readme\">\n") && attached.count > 60)
    }

    @Test func theReferenceTimeAndGitServersListAndCall() async throws {
        let time = try await connect("time")
        defer { Task { await time.close() } }
        let tools = try await time.listTools()
        #expect(tools.contains { $0.name == "get_current_time" && $0.readOnlyHint })
        let now = try await time.callTool(name: "get_current_time", argumentsJSON: #"{"timezone":"UTC"}"#, timeoutSeconds: 30)
        #expect(!now.isError && now.content.map(MCPContentText.describe).joined().contains("UTC"))
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let git = try await connect("git", extra: ["--repository", repository])
        defer { Task { await git.close() } }
        let status = try await git.callTool(name: "git_status", argumentsJSON: "{\"repo_path\":\(JSONText.quoted(repository))}",
                                            timeoutSeconds: 30)
        #expect(!status.isError, "\(status)")
    }
}
