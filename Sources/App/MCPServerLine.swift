import AgentCore

/// An MCP server as the app knows it (the runtime turns the servers' status into these): its
/// sidebar line, its prompts as commands and its resources for `@SERVER:URI`.
public struct MCPServerLine: Sendable, Hashable {
    public enum State: Sendable, Hashable { case starting, ready, failed, off }
    public var name: String
    public var state: State
    /// `ready · 4 tools · 1 prompt`, `failed: command not found: x`, `starting…`, `disabled`.
    public var status: String
    /// Its prompts as `/SERVER:PROMPT` commands (ready servers only).
    public var prompts: [ExternalCommand]
    /// Its resources, offered after `@SERVER:` (ready servers only).
    public var resources: [MCPResourceInfo]

    public init(name: String, state: State, status: String, prompts: [ExternalCommand] = [],
                resources: [MCPResourceInfo] = []) {
        self.name = name
        self.state = state
        self.status = status
        self.prompts = prompts
        self.resources = resources
    }
}
