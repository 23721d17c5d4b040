/// Built-in tools: read, write, edit, list, find, search and run commands, confined to the project.
import AgentCore

/// Placeholder until the built-in tools land: offers no tools.
public struct BuiltinTools: ToolExecutor {
    public init(projectRoot: String) {}
    public var definitions: [ToolDefinition] { [] }
    public func effect(of toolName: String) -> ToolEffect? { nil }
    public func prepare(_ call: ToolCall) async -> ToolPreparation { .invalid(.failure("no tools")) }
    public func execute(_ call: ToolCall) async -> ToolOutput { .failure("no tools") }
}
