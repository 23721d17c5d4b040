import FoundationEssentials

// The contract between the MCP client (the `MCPClient` target: transports and JSON-RPC) and
// the rest of the app (configuration, the tool executor, the sidebar, `swiftcoder mcp`).
// Everything here is a plain value or a protocol, so the app is tested with fake servers.

/// How swiftcoder reaches one MCP server.
public enum MCPTransportConfig: Sendable, Hashable {
    /// A child process speaking newline-delimited JSON-RPC on stdin/stdout.
    case stdio(command: String, arguments: [String], environment: [String: String], workingDirectory: String?)
    /// Streamable HTTP: one endpoint for POSTed requests, answered as JSON or as an SSE stream.
    case http(url: String, headers: [String: String])
    /// The legacy HTTP+SSE transport: a GET event stream that names the endpoint to POST to.
    case sse(url: String, headers: [String: String])

    /// `stdio`, `http` or `sse`, for listings.
    public var kindName: String {
        switch self {
        case .stdio: "stdio"
        case .http: "http"
        case .sse: "sse"
        }
    }
}

/// One configured MCP server (from `mcpServers` in `agents.config.json` or a project `.mcp.json`).
public struct MCPServerConfig: Sendable, Hashable {
    /// The key under `mcpServers`.
    public var name: String
    public var transport: MCPTransportConfig
    /// `"enabled": false` keeps the entry listed but never started.
    public var enabled: Bool
    /// Bounds `initialize` and each call (`"timeout"`, seconds).
    public var timeoutSeconds: Double
    /// Tool names (as the server names them) that run without asking.
    public var alwaysAllow: [String]
    /// The file the entry came from, for messages.
    public var source: String
    /// Why the entry cannot be used (an unset `${VAR}`); nil when it can.
    public var unavailableReason: String?

    /// The timeout used when the entry names none.
    public static let defaultTimeoutSeconds: Double = 30

    public init(name: String, transport: MCPTransportConfig, enabled: Bool = true,
                timeoutSeconds: Double = MCPServerConfig.defaultTimeoutSeconds,
                alwaysAllow: [String] = [], source: String = "") {
        self.name = name
        self.transport = transport
        self.enabled = enabled
        self.timeoutSeconds = timeoutSeconds
        self.alwaysAllow = alwaysAllow
        self.source = source
    }
}

/// A tool as the server lists it.
public struct MCPToolInfo: Sendable, Hashable {
    /// The server's own name for the tool (any characters).
    public var name: String
    public var description: String
    /// The input schema as raw JSON text, passed through to the model unchanged.
    public var inputSchema: String
    /// `annotations.readOnlyHint`: the tool says it changes nothing.
    public var readOnlyHint: Bool

    public init(name: String, description: String, inputSchema: String, readOnlyHint: Bool = false) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
        self.readOnlyHint = readOnlyHint
    }
}

/// One argument of a server's prompt.
public struct MCPPromptArgument: Sendable, Hashable {
    public var name: String
    public var description: String
    public var required: Bool
    public init(name: String, description: String = "", required: Bool = false) {
        self.name = name
        self.description = description
        self.required = required
    }
}

/// A prompt template the server offers (shown as `/SERVER:PROMPT`).
public struct MCPPromptInfo: Sendable, Hashable {
    public var name: String
    public var description: String
    public var arguments: [MCPPromptArgument]
    public init(name: String, description: String = "", arguments: [MCPPromptArgument] = []) {
        self.name = name
        self.description = description
        self.arguments = arguments
    }
}

/// A resource the server offers (attached with `@SERVER:URI`).
public struct MCPResourceInfo: Sendable, Hashable {
    public var uri: String
    public var name: String
    public var description: String
    public var mimeType: String?
    public init(uri: String, name: String, description: String = "", mimeType: String? = nil) {
        self.uri = uri
        self.name = name
        self.description = description
        self.mimeType = mimeType
    }
}

/// One item of a tool result.
public enum MCPContent: Sendable, Hashable {
    case text(String)
    /// Binary content is never passed on; its kind and size are (`[image 640x480 png]`).
    case image(mimeType: String, byteCount: Int, width: Int?, height: Int?)
    case audio(mimeType: String, byteCount: Int)
    /// An embedded resource; `text` when it is text.
    case resource(uri: String, mimeType: String?, text: String?)
    case resourceLink(uri: String, name: String?)
    /// A content type this client does not know.
    case other(type: String)
}

/// What `tools/call` returned.
public struct MCPToolResult: Sendable, Hashable {
    public var content: [MCPContent]
    /// The server's `isError`: the call ran and failed; shown to the model as a tool error.
    public var isError: Bool
    public init(content: [MCPContent], isError: Bool = false) {
        self.content = content
        self.isError = isError
    }
}

/// Why a server could not be reached or a request failed, in words for the user
/// (`command not found: foo`, `exited with status 1: <last stderr line>`,
/// `no answer to initialize within 10 s`, `HTTP 401 from http://…`, `tool error -32602: …`).
/// Never holds a header value or a key.
public struct MCPError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// The connection is gone (process exited, stream closed): a restart may help.
    public var connectionLost: Bool
    public init(_ message: String, connectionLost: Bool = false) {
        self.message = message
        self.connectionLost = connectionLost
    }
    public var description: String { message }
}

/// A live, initialized connection to one server.
public protocol MCPConnection: Sendable {
    /// The configured name.
    var serverName: String { get }
    /// `serverInfo.name` and `version` from `initialize`, and the protocol version agreed.
    var serverDescription: String { get }
    /// Every tool, following `nextCursor` pages (bounded).
    func listTools() async throws -> [MCPToolInfo]
    /// Calls a tool with its arguments as a JSON object text. Cancelling the calling task
    /// sends `notifications/cancelled` and throws `CancellationError`; the timeout throws `MCPError`.
    func callTool(name: String, argumentsJSON: String, timeoutSeconds: Double) async throws -> MCPToolResult
    /// The server's prompts (empty when it has no `prompts` capability).
    func listPrompts() async throws -> [MCPPromptInfo]
    /// A prompt's messages flattened to the text of one user message.
    func getPrompt(name: String, arguments: [String: String]) async throws -> String
    /// The server's resources (empty when it has no `resources` capability).
    func listResources() async throws -> [MCPResourceInfo]
    /// A resource's text contents (binary parts summarized).
    func readResource(uri: String) async throws -> String
    func ping() async throws
    /// Called (on any thread) when the server sends `notifications/tools/list_changed`.
    func setToolsChangedHandler(_ handler: @escaping @Sendable () -> Void) async
    /// False once the process exited or the stream closed.
    var isAlive: Bool { get async }
    /// Ends the connection: stops a child's whole process group (TERM, then KILL), ends an HTTP session.
    func close() async
}

/// Opens connections: the `MCPClient` target's `MCPClientConnector` is the real one; tests use fakes.
public protocol MCPConnector: Sendable {
    /// Starts or reaches the server and runs `initialize` within `server.timeoutSeconds`.
    /// Throws `MCPError` with the reason.
    func connect(_ server: MCPServerConfig) async throws -> any MCPConnection
}
