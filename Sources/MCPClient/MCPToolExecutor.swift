import AgentCore
import FoundationEssentials

/// The engine's one `ToolExecutor` when MCP servers are configured (D161): the built-in tools,
/// then every ready server's tools under their offered names. MCP tools follow the approval
/// and permission rules like built-in ones: a tool that says it changes nothing
/// (`readOnlyHint`) counts as a write (it runs without asking in `auto-edit`), any other as a
/// command (it asks unless `yolo`, an allow rule or `alwaysAllow`). The approval box names the
/// server and shows the arguments exactly; results are text for the model, other content
/// summarized, `isError` a tool error, output capped like a command's.
public struct MCPToolExecutor: ToolExecutor {
    public let builtin: any ToolExecutor
    public let servers: MCPServers
    /// Bytes of tool output kept for the model (the start and the end).
    public let outputLimit: Int

    public init(builtin: any ToolExecutor, servers: MCPServers, outputLimit: Int = 30_000) {
        self.builtin = builtin
        self.servers = servers
        self.outputLimit = outputLimit
    }

    public var definitions: [ToolDefinition] { builtin.definitions + servers.definitions }

    public func effect(of toolName: String) -> ToolEffect? {
        if let effect = builtin.effect(of: toolName) { return effect }
        guard let tool = servers.tool(named: toolName) else { return nil }
        return tool.info.readOnlyHint ? .write : .command
    }

    public func prepare(_ call: ToolCall) async -> ToolPreparation {
        guard let tool = servers.tool(named: call.name) else { return await builtin.prepare(call) }
        var preview = ToolPreview(toolName: call.name, keyArgument: "\(tool.key.server) MCP server · \(tool.key.tool)",
                                  detail: call.arguments.isEmpty ? "{}" : call.arguments)
        preview.target = call.name
        return .ready(preview)
    }

    public func execute(_ call: ToolCall) async -> ToolOutput {
        guard let tool = servers.tool(named: call.name) else { return await builtin.execute(call) }
        do {
            let result = try await servers.call(tool.key, argumentsJSON: call.arguments, timeoutSeconds: tool.config.timeoutSeconds)
            let text = capped(result.content.map(MCPContentText.describe).joined(separator: "\n"))
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            let summary = result.isError ? "error: " + MCPMessages.clean(text) : "\(lines) line\(lines == 1 ? "" : "s")"
            return ToolOutput(content: text, isError: result.isError, summary: summary)
        } catch is CancellationError {
            return ToolOutput(content: "cancelled", isError: true, summary: "cancelled")
        } catch {
            let message = (error as? MCPError)?.message ?? "\(error)"
            return ToolOutput(content: "\(tool.key.server) MCP server: \(message)", isError: true, summary: message)
        }
    }

    public func execute(_ call: ToolCall, progress: @escaping @Sendable (String) -> Void) async -> ToolOutput {
        if servers.tool(named: call.name) != nil { return await execute(call) }
        return await builtin.execute(call, progress: progress)
    }

    /// The start and the end of `text` when it is longer than the limit, with a note between.
    func capped(_ text: String) -> String {
        guard text.utf8.count > outputLimit else { return text }
        let half = outputLimit / 2
        let head = String(decoding: text.utf8.prefix(half), as: UTF8.self)
        let tail = String(decoding: text.utf8.suffix(half), as: UTF8.self)
        return head + "\n[… \(text.utf8.count - 2 * half) bytes left out …]\n" + tail
    }
}
