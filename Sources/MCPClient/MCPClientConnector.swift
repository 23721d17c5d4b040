import AgentCore
import FoundationEssentials

/// A connection whose JSON-RPC runs through a `JSONRPCSession`, whatever carries it.
protocol JSONRPCConnection: MCPConnection {
    var rpc: JSONRPCSession { get }
    /// Ends the transport (a process group stopped, an HTTP session deleted).
    func stop()
    /// `initialize` agreed on this version (streamable HTTP sends it as a header from then on).
    func didAgree(protocolVersion: String)
    /// `notifications/initialized` was sent (streamable HTTP opens its notification stream).
    func didInitialize()
}

extension StdioMCPConnection: JSONRPCConnection {
    func didAgree(protocolVersion: String) {}
    func didInitialize() {}
}

extension JSONRPCConnection {
    /// Pages of `tools/list` followed at most (a server that never stops paging is cut off).
    static var maxPages: Int { 100 }
    /// The bound on list and ping requests.
    private var timeout: Double { 30 }

    var serverDescription: String { rpc.serverDescription }
    var isAlive: Bool { rpc.isAlive }
    func setToolsChangedHandler(_ handler: @escaping @Sendable () -> Void) { rpc.setToolsChangedHandler(handler) }
    func close() { stop() }

    func listTools() async throws -> [MCPToolInfo] {
        try await pages("tools/list", MCPMessages.tools(in:))
    }

    /// Every item of a paged list (`nextCursor` followed, at most `maxPages` pages).
    private func pages<Item>(_ method: String, _ parse: (JSONValue) -> (items: [Item], next: String?)) async throws -> [Item] {
        var items: [Item] = []
        var cursor: String?
        for _ in 0..<Self.maxPages {
            let params = cursor.map { "{\"cursor\":\(JSONText.quoted($0))}" }
            let page = parse(try await rpc.request(method, params: params, timeoutSeconds: timeout))
            items += page.items
            guard let next = page.next, !next.isEmpty else { break }
            cursor = next
        }
        return items
    }

    func callTool(name: String, argumentsJSON: String, timeoutSeconds: Double) async throws -> MCPToolResult {
        let arguments: JSONValue
        do {
            arguments = try JSONReader.parse(argumentsJSON.isEmpty ? "{}" : argumentsJSON)
        } catch {
            throw MCPError("the arguments are not JSON: \(error)")
        }
        guard arguments.members != nil else { throw MCPError("the arguments are not a JSON object") }
        let params = "{\"name\":\(JSONText.quoted(name)),\"arguments\":\(arguments.serialized)}"
        return MCPMessages.toolResult(try await rpc.request("tools/call", params: params, timeoutSeconds: timeoutSeconds))
    }

    func listPrompts() async throws -> [MCPPromptInfo] {
        guard rpc.capabilities.contains("prompts") else { return [] }
        return try await pages("prompts/list", MCPMessages.prompts(in:))
    }

    func getPrompt(name: String, arguments: [String: String]) async throws -> String {
        let pairs = arguments.sorted { $0.key < $1.key }.map { JSONText.quoted($0.key) + ":" + JSONText.quoted($0.value) }
        let params = "{\"name\":\(JSONText.quoted(name)),\"arguments\":{\(pairs.joined(separator: ","))}}"
        return MCPMessages.promptText(try await rpc.request("prompts/get", params: params, timeoutSeconds: timeout))
    }

    func listResources() async throws -> [MCPResourceInfo] {
        guard rpc.capabilities.contains("resources") else { return [] }
        return try await pages("resources/list", MCPMessages.resources(in:))
    }

    func readResource(uri: String) async throws -> String {
        let params = "{\"uri\":\(JSONText.quoted(uri))}"
        return MCPMessages.resourceText(try await rpc.request("resources/read", params: params, timeoutSeconds: timeout))
    }

    func ping() async throws {
        _ = try await rpc.request("ping", timeoutSeconds: timeout)
    }
}

/// Opens MCP connections: stdio servers are started (D158), HTTP and SSE servers reached
/// (D162), and each is initialized here.
public struct MCPClientConnector: MCPConnector {
    /// Sent as `clientInfo.version`.
    public let version: String
    /// The environment the servers start with (the entry's `env` is added to it).
    public let environment: [String: String]

    public init(version: String, environment: [String: String]) {
        self.version = version
        self.environment = environment
    }

    public func connect(_ server: MCPServerConfig) async throws -> any MCPConnection {
        switch server.transport {
        case .stdio(let command, let arguments, let extra, let directory):
            let connection = try StdioMCPConnection(name: server.name, command: command, arguments: arguments,
                                                    environment: environment.merging(extra) { $1 },
                                                    workingDirectory: directory)
            do {
                try await initialize(connection, timeout: server.timeoutSeconds)
            } catch {
                connection.stop()
                throw error
            }
            return connection
        case .http(let url, let headers):
            return try await initialized(
                HTTPMCPConnection.streamable(name: server.name, url: url, headers: headers, userAgent: "swiftcoder/\(version)"),
                timeout: server.timeoutSeconds)
        case .sse(let url, let headers):
            return try await initialized(
                HTTPMCPConnection.legacySSE(name: server.name, url: url, headers: headers, userAgent: "swiftcoder/\(version)"),
                timeout: server.timeoutSeconds)
        }
    }

    /// `connection` once `initialize` succeeded; closed and the reason thrown otherwise.
    private func initialized(_ connection: HTTPMCPConnection, timeout: Double) async throws -> any MCPConnection {
        do {
            try await initialize(connection, timeout: timeout)
        } catch {
            await connection.close()
            throw error
        }
        return connection
    }

    /// `initialize`, the version check, then `notifications/initialized`.
    private func initialize(_ connection: some JSONRPCConnection, timeout: Double) async throws {
        let result: JSONValue
        do {
            result = try await connection.rpc.request("initialize", params: MCPMessages.initializeParams(version: version),
                                                  timeoutSeconds: timeout)
        } catch let error as MCPError where !error.connectionLost {
            throw MCPError(error.message.hasPrefix("no answer") ? error.message : "initialize failed: \(error.message)")
        }
        let agreed = result["protocolVersion"]?.string ?? ""
        guard MCPMessages.protocolVersions.contains(agreed) else {
            throw MCPError("speaks MCP protocol version \(agreed.isEmpty ? "(none given)" : MCPMessages.clean(agreed)), "
                + "not one of \(MCPMessages.protocolVersions.joined(separator: ", "))")
        }
        let info = result["serverInfo"]
        let name = MCPMessages.clean(info?["name"]?.string ?? connection.serverName)
        let serverVersion = MCPMessages.clean(info?["version"]?.string ?? "")
        connection.rpc.setCapabilities(Set(result["capabilities"]?.members?.map(\.key) ?? []))
        connection.rpc.setServerDescription((serverVersion.isEmpty ? name : "\(name) \(serverVersion)") + " · MCP \(agreed)")
        connection.didAgree(protocolVersion: agreed)
        connection.rpc.notify("notifications/initialized")
        connection.didInitialize()
    }
}
