/// An MCP server as the sidebar lists it (the runtime turns the servers' status into these).
public struct MCPServerLine: Sendable, Hashable {
    public enum State: Sendable, Hashable { case starting, ready, failed, off }
    public var name: String
    public var state: State
    /// `ready · 4 tools`, `failed: command not found: x`, `starting…`, `disabled`.
    public var status: String

    public init(name: String, state: State, status: String) {
        self.name = name
        self.state = state
        self.status = status
    }
}
