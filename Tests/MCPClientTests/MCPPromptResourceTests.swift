import AgentCore
import Foundation
import Testing
@testable import MCPClient

/// Prompts as `/SERVER:PROMPT` and resources as `@SERVER:URI` (issue 13, item 6), against
/// `fake_mcp_server.py`.
@Suite(.timeLimit(.minutes(2))) struct MCPPromptResourceTests {
    func started(_ mode: String = "normal", log: String? = nil) async -> MCPServers {
        let servers = MCPServers(servers: [StdioClientTests.server(mode, log: log)], connector: StdioClientTests.connector)
        await servers.start()
        return servers
    }

    @Test func promptsAndResourcesAreListedWithTheTools() async {
        let servers = await started()
        defer { Task { await servers.stopAll() } }
        let entry = servers.entries[0]
        #expect(entry.prompts.map(\.name) == ["review", "hello"])
        #expect(entry.prompts[0].arguments == [MCPPromptArgument(name: "file", description: "The file", required: true),
                                               MCPPromptArgument(name: "focus")])
        #expect(entry.resources.map(\.uri) == ["notes://todo", "notes://gone"])
        #expect(entry.resources[0].name == "Todo list" && entry.resources[0].mimeType == "text/plain")
        #expect(servers.prompt(command: "FAKE:Review")?.prompt.name == "review")
        #expect(servers.prompt(command: "fake:nope") == nil)
    }

    @Test func aPromptIsFilledInByItsServer() async throws {
        let servers = await started()
        defer { Task { await servers.stopAll() } }
        let filled = await servers.expandPrompt(command: "fake:review", arguments: "main.swift error handling")
        #expect(try filled.get() == "Review main.swift, focusing on error handling.")
        #expect(try await servers.expandPrompt(command: "fake:hello", arguments: "").get() == "Say hello.")
        let missing = await servers.expandPrompt(command: "fake:review", arguments: "")
        #expect(throws: MCPError("/fake:review needs file. Usage: /fake:review <file> [focus]")) { try missing.get() }
        let gone = await servers.expandPrompt(command: "fake:gone", arguments: "")
        #expect(throws: MCPError("/fake:gone is no longer offered by its MCP server")) { try gone.get() }
    }

    @Test func mentionedResourcesAreAttachedOrTheReasonGiven() async throws {
        let servers = await started()
        defer { Task { await servers.stopAll() } }
        let todo = MCPResourceMention(server: "fake", uri: "notes://todo")
        let attached = await servers.attach([todo], to: "plan it")
        #expect(try attached.get() == "plan it\n\n<resource server=\"fake\" uri=\"notes://todo\">\n1. ship MCP prompts\n</resource>")
        let failed = await servers.attach([todo, MCPResourceMention(server: "fake", uri: "notes://gone")], to: "x")
        #expect(throws: MCPError("@fake:notes://gone could not be read: error -32002: resource not found")) { try failed.get() }
        let (names, lists) = servers.resourceServers
        #expect(names == ["fake"] && lists("fake", "notes://todo") && !lists("fake", "notes://other"))
    }

    @Test func aServerWithoutThoseCapabilitiesIsNotAskedForThem() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("mcp-caps-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let servers = await started("toolsonly", log: log)
        defer { Task { await servers.stopAll() } }
        #expect(servers.entries[0].status == .ready && servers.entries[0].tools.count == 4)
        #expect(servers.entries[0].prompts.isEmpty && servers.entries[0].resources.isEmpty)
        let received = try String(contentsOfFile: log, encoding: .utf8)
        #expect(received.contains("tools/list") && !received.contains("prompts/list") && !received.contains("resources/list"))
    }
}

/// What a hostile server lists as prompts and resources is drawn (popup, `/help`, sidebar)
/// and typed back (`@server:uri`), so it is cleaned or left out when parsed.
@Suite(.timeLimit(.minutes(1))) struct MCPListedTextTests {
    @Test func resourceURIsThatCleaningWouldChangeAreLeftOutAndTextsAreCleaned() throws {
        let long = String(repeating: "u", count: 400)
        let listed = try JSONReader.parse("""
            {"resources": [
              {"uri": "notes://ok", "name": "A\\u001b[2Jname\\u202e", "description": "line one\\nline two"},
              {"uri": "notes://\\u001b[31mred"}, {"uri": "notes://a b"}, {"uri": "x://\(long)"}, {"uri": ""}],
             "nextCursor": "2"}
            """)
        let (resources, next) = MCPMessages.resources(in: listed)
        #expect(resources.map(\.uri) == ["notes://ok"] && next == "2")
        #expect(resources[0].name == "A[2Jname" && resources[0].description == "line one")
        let prompts = MCPMessages.prompts(in: try JSONReader.parse(#"{"prompts":[{"name":"p","description":"x\u0007y\nz"}]}"#))
        #expect(prompts.items.first?.description == "xy")
    }
}
