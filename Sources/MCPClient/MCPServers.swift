import AgentCore
import FoundationEssentials
import Synchronization

/// The configured MCP servers of one app or run (D161): started in parallel, each bounded by
/// its timeout, so a slow or broken server delays no other and never the first frame; their
/// status, their tools under the names offered to the model, calls (a server whose process
/// died is started again once, on the next call), and stopping them all.
public final class MCPServers: Sendable {
    /// Where a server stands.
    public enum Status: Sendable, Hashable {
        case disabled
        /// It cannot be used as configured (an unset variable).
        case unavailable(String)
        case starting
        case ready
        case failed(String)
    }

    /// One server as the sidebar and `swiftcoder mcp` show it.
    public struct Entry: Sendable, Hashable {
        public var config: MCPServerConfig
        public var status: Status
        public var tools: [MCPToolInfo]
        /// Its prompts, offered as `/SERVER:PROMPT` commands.
        public var prompts: [MCPPromptInfo] = []
        /// Its resources, attached to a message with `@SERVER:URI`.
        public var resources: [MCPResourceInfo] = []
        /// `serverInfo` and the protocol version, once initialized.
        public var serverDescription: String
    }

    private struct State {
        var entries: [Entry]
        var connections: [String: any MCPConnection] = [:]
        var names = MCPToolNames()
        var restarted: Set<String> = []
    }

    /// Prompts and resources kept per server (a server listing more is cut off there).
    public static let maxListed = 1_000

    private let connector: any MCPConnector
    private let state: Mutex<State>
    /// Called (on any thread) when a server's status or tools change.
    private let onChange: @Sendable () -> Void

    public init(servers: [MCPServerConfig], connector: any MCPConnector, onChange: @escaping @Sendable () -> Void = {}) {
        self.connector = connector
        self.onChange = onChange
        state = Mutex(State(entries: servers.map { server in
            let status: Status = if let reason = server.unavailableReason { .unavailable(reason) }
                else if !server.enabled { .disabled } else { .starting }
            return Entry(config: server, status: status, tools: [], serverDescription: "")
        }))
    }

    /// The servers, in configuration order.
    public var entries: [Entry] { state.withLock { $0.entries } }

    /// Starts every enabled server at once; returns when each is ready or failed.
    public func start() async {
        let starting = state.withLock { $0.entries.filter { $0.status == .starting }.map(\.config) }
        await withTaskGroup(of: Void.self) { group in
            for server in starting { group.addTask { await self.connect(server) } }
        }
    }

    private func connect(_ server: MCPServerConfig) async {
        do {
            let connection = try await connector.connect(server)
            let tools = try await connection.listTools()
            // Prompts and resources are extras: a server that fails to list them still serves its tools.
            let prompts = (try? await connection.listPrompts()) ?? []
            let resources = (try? await connection.listResources()) ?? []
            await connection.setToolsChangedHandler { [weak self] in
                Task { await self?.refreshTools(server.name) }
            }
            update(server.name) { entry, state in
                entry.status = .ready
                entry.tools = tools
                entry.prompts = Array(prompts.prefix(Self.maxListed))
                entry.resources = Array(resources.prefix(Self.maxListed))
                entry.serverDescription = connection.serverDescription
                state.connections[server.name] = connection
                for tool in tools { _ = state.names.name(server: server.name, tool: tool.name) }
            }
        } catch {
            let reason = (error as? MCPError)?.message ?? "\(error)"
            update(server.name) { entry, _ in entry.status = .failed(reason) }
        }
    }

    private func refreshTools(_ name: String) async {
        guard let connection = state.withLock({ $0.connections[name] }), let tools = try? await connection.listTools() else { return }
        update(name) { entry, state in
            entry.tools = tools
            for tool in tools { _ = state.names.name(server: name, tool: tool.name) }
        }
    }

    private func update(_ name: String, _ change: (inout Entry, inout State) -> Void) {
        state.withLock { state in
            guard let index = state.entries.firstIndex(where: { $0.config.name == name }) else { return }
            var entry = state.entries[index]
            change(&entry, &state)
            state.entries[index] = entry
        }
        onChange()
    }

    // MARK: Tools

    /// The ready servers' tools as offered to the model (`mcp__SERVER__TOOL`, schemas as sent).
    public var definitions: [ToolDefinition] {
        state.withLock { state in
            var definitions: [ToolDefinition] = []
            for entry in state.entries where entry.status == .ready {
                for tool in entry.tools {
                    let name = state.names.name(server: entry.config.name, tool: tool.name)
                    let about = tool.description.isEmpty ? "\(tool.name) from the \(entry.config.name) MCP server"
                        : tool.description
                    definitions.append(ToolDefinition(name: name, description: about, parameters: tool.inputSchema))
                }
            }
            return definitions
        }
    }

    /// The server, tool and what it says of itself for an offered name; nil when it is not an MCP tool.
    public func tool(named name: String) -> (key: MCPToolKey, info: MCPToolInfo, config: MCPServerConfig)? {
        state.withLock { state in
            guard let key = state.names.map[name],
                  let entry = state.entries.first(where: { $0.config.name == key.server }),
                  let info = entry.tools.first(where: { $0.name == key.tool }) else { return nil }
            return (key, info, entry.config)
        }
    }

    /// Offered names of the tools the config's `alwaysAllow` lists.
    public var alwaysAllowed: Set<String> {
        state.withLock { state in
            Set(state.names.map.filter { name, key in
                state.entries.first { $0.config.name == key.server }?.config.alwaysAllow.contains(key.tool) == true
            }.keys)
        }
    }

    /// Calls a tool; a server whose connection was lost is started again once and asked again.
    public func call(_ key: MCPToolKey, argumentsJSON: String, timeoutSeconds: Double) async throws -> MCPToolResult {
        try await withConnection(key.server) { connection in
            try await connection.callTool(name: key.tool, argumentsJSON: argumentsJSON, timeoutSeconds: timeoutSeconds)
        }
    }

    // MARK: Prompts and resources

    /// The text of `server`'s prompt `name` filled with `arguments` (`prompts/get`).
    public func prompt(server: String, name: String, arguments: [String: String]) async throws -> String {
        try await withConnection(server) { try await $0.getPrompt(name: name, arguments: arguments) }
    }

    /// The text of `server`'s resource `uri` (`resources/read`), binary parts summarized.
    public func readResource(server: String, uri: String) async throws -> String {
        try await withConnection(server) { try await $0.readResource(uri: uri) }
    }

    /// Runs `request` on `server`'s connection; one whose connection was lost is started
    /// again once (per server, for the life of the app) and asked again.
    private func withConnection<T: Sendable>(_ server: String,
                                             _ request: @Sendable (any MCPConnection) async throws -> T) async throws -> T {
        guard let connection = state.withLock({ $0.connections[server] }) else {
            throw MCPError("the \(server) MCP server is not running")
        }
        do {
            return try await request(connection)
        } catch let error as MCPError where error.connectionLost {
            let retry = state.withLock { $0.restarted.insert(server).inserted }
            guard retry, let config = state.withLock({ $0.entries.first { $0.config.name == server }?.config }) else {
                update(server) { entry, _ in entry.status = .failed(error.message) }
                throw error
            }
            await connect(config)
            guard let again = state.withLock({ $0.connections[server] }), await again.isAlive else { throw error }
            return try await request(again)
        }
    }

    /// Stops every server (each process group), e.g. before the app exits.
    public func stopAll() async {
        let connections = state.withLock { state in
            defer { state.connections = [:] }
            return Array(state.connections.values)
        }
        for connection in connections { await connection.close() }
    }
}
