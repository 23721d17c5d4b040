import AgentCore
import ArgumentParser
import FoundationEssentials
import MCPClient

extension Setup {
    /// The MCP servers to use: the config's `mcpServers`, then the project's `.mcp.json` when
    /// the folder is trusted (a server named in both is the `.mcp.json` one, D159). A broken
    /// `.mcp.json` is reported and left out; the rest still starts.
    func mcpServers(report: (String) -> Void) -> [MCPServerConfig] {
        var servers = config.mcpServers
        let path = currentDirectory.hasSuffix("/") ? currentDirectory + ".mcp.json" : currentDirectory + "/.mcp.json"
        guard FileManager.default.fileExists(atPath: path) else { return servers }
        guard trust.allowsProjectFiles else { return servers }
        do {
            for server in try ConfigLoader.mcpServers(inFile: path, environment: environment) {
                servers.removeAll { $0.name == server.name }
                servers.append(server)
            }
        } catch {
            report("\(error.description) (its MCP servers are not started)")
        }
        return servers
    }

    /// The servers, not started yet.
    func mcpServerSet(report: (String) -> Void, onChange: @escaping @Sendable () -> Void = {}) -> MCPServers {
        MCPServers(servers: mcpServers(report: report),
                   connector: MCPClientConnector(version: SwiftCoder.version, environment: environment), onChange: onChange)
    }
}

/// `swiftcoder mcp`: each MCP server, its transport, status and tools.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp", abstract: "List MCP servers, whether they start, and their tools.",
        discussion: """
            Starts every enabled server (each bounded by its timeout), lists its tools, then stops \
            it. Servers come from mcpServers in the config and, in a trusted folder, the project's \
            .mcp.json. Exit status: 0 once the configuration is read, whatever the servers do.
            """)

    @OptionGroup var options: ProviderOptions

    @Flag(name: .long, help: "Print one JSON object per server (JSON Lines).")
    var json = false

    mutating func run() async throws {
        let setup = try await Setup.loadOrExit(configPath: options.config, providerName: nil, model: nil,
                                               requireProvider: false)
        setup.printWarnings()
        let servers = setup.mcpServerSet { StandardError.write("swiftcoder: \($0)\n") }
        await servers.start()
        let entries = servers.entries
        await servers.stopAll()
        if entries.isEmpty, !json {
            StandardOutput.write("No MCP servers configured (mcpServers in agents.config.json, or .mcp.json).\n")
        }
        for entry in entries {
            if json {
                StandardOutput.writeJSON(encodeJSON(MCPServerRecord(entry), oneLine: true) + "\n")
            } else {
                StandardOutput.write(Self.lines(entry).joined(separator: "\n") + "\n")
            }
        }
    }

    static func lines(_ entry: MCPServers.Entry) -> [String] {
        var lines = ["\(entry.config.name) (\(entry.config.transport.kindName)): \(MCPServerRecord.status(entry.status))"
            + (entry.serverDescription.isEmpty ? "" : " · \(entry.serverDescription)")]
        for tool in entry.tools {
            lines.append("  \(tool.name)\(tool.readOnlyHint ? " (read-only)" : "")\(firstLine(tool.description))")
        }
        for prompt in entry.prompts {
            let command = MCPPromptCommand.name(server: entry.config.name, prompt: prompt.name)
            let hint = MCPPromptCommand.hint(prompt)
            lines.append("  /\(command)\(hint.isEmpty ? "" : " " + hint)\(firstLine(prompt.description))")
        }
        for resource in entry.resources {
            let name = resource.name == resource.uri ? "" : resource.name
            lines.append("  @\(entry.config.name):\(resource.uri)\(firstLine(name))")
        }
        return lines
    }

    private static func firstLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.isEmpty ? "" : " - " + line
    }
}

/// One server in `swiftcoder mcp --json`.
struct MCPServerRecord: Encodable {
    struct Tool: Encodable {
        var name: String
        var description: String
        var readOnly: Bool
    }
    var name: String
    var transport: String
    var status: String
    var reason: String?
    var server: String?
    var source: String
    var tools: [Tool]
    /// The prompts as the commands that run them (`/server:prompt`).
    var prompts: [String]
    /// The resources as the mentions that attach them (`@server:uri`).
    var resources: [String]

    init(_ entry: MCPServers.Entry) {
        name = entry.config.name
        transport = entry.config.transport.kindName
        source = entry.config.source
        server = entry.serverDescription.isEmpty ? nil : entry.serverDescription
        tools = entry.tools.map { Tool(name: $0.name, description: $0.description, readOnly: $0.readOnlyHint) }
        prompts = entry.prompts.map { "/" + MCPPromptCommand.name(server: entry.config.name, prompt: $0.name) }
        resources = entry.resources.map { "@\(entry.config.name):\($0.uri)" }
        switch entry.status {
        case .failed(let why): (status, reason) = ("failed", why)
        case .unavailable(let why): (status, reason) = ("unavailable", why)
        default: status = Self.status(entry.status)
        }
    }

    static func status(_ status: MCPServers.Status) -> String {
        switch status {
        case .disabled: "disabled"
        case .unavailable(let why): "unavailable: \(why)"
        case .starting: "starting"
        case .ready: "ready"
        case .failed(let why): "failed: \(why)"
        }
    }
}
