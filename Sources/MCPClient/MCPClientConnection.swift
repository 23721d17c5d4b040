import AgentCore
import Synchronization

/// An initialized MCP connection: a `JSONRPCPeer` over a transport (stdio today).
final class MCPClientConnection: MCPConnection {
    let serverName: String
    let peer: JSONRPCPeer
    let transport: any MCPTransport
    private let requestTimeout: Double
    private let summary: MCPResults.ServerSummary

    init(serverName: String, peer: JSONRPCPeer, transport: any MCPTransport, requestTimeout: Double,
         summary: MCPResults.ServerSummary) {
        self.serverName = serverName
        self.peer = peer
        self.transport = transport
        self.requestTimeout = requestTimeout
        self.summary = summary
    }

    var serverDescription: String {
        let version = summary.version.isEmpty ? "" : " " + summary.version
        return "\(summary.name)\(version) (MCP \(summary.protocolVersion))"
    }

    func listTools() async throws -> [MCPToolInfo] {
        try await listAll("tools/list", decode: MCPResults.tools)
    }

    func callTool(name: String, argumentsJSON: String, timeoutSeconds: Double) async throws -> MCPToolResult {
        let arguments: String
        do {
            let parsed = try JSONReader.parse(argumentsJSON.isEmpty ? "{}" : argumentsJSON)
            guard parsed.members != nil else { throw MCPError("the arguments for \(name) are not a JSON object") }
            arguments = MCPJSONWriter.text(of: parsed)
        } catch let error as JSONSyntaxError {
            throw MCPError("the arguments for \(name) are not valid JSON (\(error.message) at \(error.position))")
        }
        let params = MCPJSONWriter.object([("name", JSONText.quoted(name)), ("arguments", arguments)])
        let result = try await peer.request("tools/call", params: params, timeoutSeconds: timeoutSeconds)
        return MCPResults.toolResult(result)
    }

    func listPrompts() async throws -> [MCPPromptInfo] {
        guard summary.hasPrompts else { return [] }
        return try await listAll("prompts/list", decode: MCPResults.prompts)
    }

    func getPrompt(name: String, arguments: [String: String]) async throws -> String {
        let argumentsJSON = MCPJSONWriter.object(arguments.sorted { $0.key < $1.key }.map { ($0.key, JSONText.quoted($0.value)) })
        let params = MCPJSONWriter.object([("name", JSONText.quoted(name)), ("arguments", argumentsJSON)])
        return MCPResults.promptText(try await peer.request("prompts/get", params: params, timeoutSeconds: requestTimeout))
    }

    func listResources() async throws -> [MCPResourceInfo] {
        guard summary.hasResources else { return [] }
        return try await listAll("resources/list", decode: MCPResults.resources)
    }

    func readResource(uri: String) async throws -> String {
        let params = MCPJSONWriter.object([("uri", JSONText.quoted(uri))])
        return MCPResults.resourceText(try await peer.request("resources/read", params: params, timeoutSeconds: requestTimeout))
    }

    func ping() async throws {
        _ = try await peer.request("ping", params: nil, timeoutSeconds: requestTimeout)
    }

    func setToolsChangedHandler(_ handler: @escaping @Sendable () -> Void) async {
        peer.setToolsChangedHandler(handler)
    }

    var isAlive: Bool {
        get async { transport.isAlive && peer.failure == nil }
    }

    func close() async {
        await transport.close()
    }

    /// Follows `nextCursor` up to `InputLimits.maxMCPListPages` pages.
    private func listAll<Item>(_ method: String, decode: (JSONValue) -> [Item]) async throws -> [Item] {
        var items: [Item] = []
        var cursor: String?
        for _ in 0..<InputLimits.maxMCPListPages {
            let result = try await peer.request(method, params: MCPResults.listParams(cursor: cursor),
                                                timeoutSeconds: requestTimeout)
            items += decode(result)
            guard let next = MCPResults.nextCursor(result) else { return items }
            cursor = next
        }
        throw MCPError("\(method) returned more than \(InputLimits.maxMCPListPages) pages")
    }
}

/// The real `MCPConnector`: starts the transport the entry names and runs `initialize`.
public struct MCPClientConnector: MCPConnector {
    /// Sent as `clientInfo.version`.
    public var clientVersion: String
    /// Server log lines (`notifications/message`, a stdio server's stderr, ignored messages); called on any thread.
    public var log: @Sendable (String) -> Void

    public init(clientVersion: String = "0", log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.clientVersion = clientVersion
        self.log = log
    }

    public func connect(_ server: MCPServerConfig) async throws -> any MCPConnection {
        switch server.transport {
        case .stdio(let command, let arguments, let environment, let workingDirectory):
            return try await connectStdio(server, command: command, arguments: arguments,
                                          environment: environment, workingDirectory: workingDirectory)
        case .http(let url, let headers):
            return try await connectHTTP(server, url: url, headers: headers)
        case .sse(let url, let headers):
            return try await connectSSE(server, url: url, headers: headers)
        }
    }

    private func connectStdio(_ server: MCPServerConfig, command: String, arguments: [String],
                              environment: [String: String], workingDirectory: String?) async throws -> any MCPConnection {
        let relay = PeerRelay()
        let transport = try StdioTransport.start(
            command: command, arguments: arguments, environment: environment, workingDirectory: workingDirectory,
            stderrLog: { [log, name = server.name] in log("MCP \(name) stderr: \($0)") },
            onLine: { relay.peer?.receive(line: $0) },
            onExit: { relay.peer?.fail($0) })
        let peer = JSONRPCPeer(send: { message, _ in try transport.send(message) }, log: log,
                               onFatal: { _ in transport.terminate() })
        relay.set(peer)
        if let exited = transport.exitReasonIfExited { peer.fail(exited) }
        return try await finishConnecting(server, peer: peer, transport: transport)
    }

    private func connectHTTP(_ server: MCPServerConfig, url: String, headers: [String: String]) async throws -> any MCPConnection {
        let relay = PeerRelay()
        let transport = try StreamableHTTPTransport(
            url: url, headers: headers, userAgent: "swiftcoder/\(clientVersion)",
            onMessage: { relay.peer?.receive(line: $0) },
            onRequestFailure: { id, error in relay.peer?.failRequest(id, with: error) })
        let peer = JSONRPCPeer(send: { message, id in try transport.send(message, requestID: id) }, log: log,
                               onFatal: { _ in transport.terminate() }, onAbandon: { transport.cancelRequest($0) })
        relay.set(peer)
        return try await finishConnecting(server, peer: peer, transport: transport)
    }

    private func connectSSE(_ server: MCPServerConfig, url: String, headers: [String: String]) async throws -> any MCPConnection {
        let relay = PeerRelay()
        let transport = try LegacySSETransport(
            url: url, headers: headers, userAgent: "swiftcoder/\(clientVersion)",
            onMessage: { relay.peer?.receive(line: $0) },
            onRequestFailure: { id, error in relay.peer?.failRequest(id, with: error) },
            onClosed: { relay.peer?.fail($0) })
        let peer = JSONRPCPeer(send: { message, id in try transport.send(message, requestID: id) }, log: log,
                               onFatal: { _ in transport.terminate() })
        relay.set(peer)
        transport.open()
        return try await finishConnecting(server, peer: peer, transport: transport)
    }

    private func finishConnecting(_ server: MCPServerConfig, peer: JSONRPCPeer,
                                  transport: any MCPTransport) async throws -> any MCPConnection {
        do {
            let summary = try await initialize(peer, timeout: server.timeoutSeconds)
            transport.didInitialize(protocolVersion: summary.protocolVersion)
            try peer.notify("notifications/initialized", params: nil)
            transport.startListening()
            return MCPClientConnection(serverName: server.name, peer: peer, transport: transport,
                                       requestTimeout: server.timeoutSeconds, summary: summary)
        } catch {
            await transport.close()
            throw error
        }
    }

    private func initialize(_ peer: JSONRPCPeer, timeout: Double) async throws -> MCPResults.ServerSummary {
        let result = try await peer.request("initialize", params: MCPResults.initializeParams(clientVersion: clientVersion),
                                            timeoutSeconds: timeout)
        return try MCPResults.serverSummary(result)
    }
}

/// Lets the transport's threads reach the peer created just after the transport started.
final class PeerRelay: Sendable {
    private let slot = Mutex<JSONRPCPeer?>(nil)
    var peer: JSONRPCPeer? { slot.withLock { $0 } }
    func set(_ peer: JSONRPCPeer) { slot.withLock { $0 = peer } }
}

/// What a connection needs of its transport.
protocol MCPTransport: Sendable {
    var isAlive: Bool { get }
    /// Called once `initialize` agreed on a version (HTTP sends it as a header from then on).
    func didInitialize(protocolVersion: String)
    /// Called after `notifications/initialized`: opens any stream for server-initiated messages.
    func startListening()
    /// Starts ending the connection without waiting.
    func terminate()
    /// Ends the connection and waits until it is gone.
    func close() async
}

extension MCPTransport {
    func startListening() {}
}
