import AgentCore
import App
import MCPClient
import Synchronization

/// Carries MCP status changes to the app: the servers are made before the runtime exists, so
/// their change callback reaches it through this relay once it is set (D161).
enum MCPStatusRelay {
    private static let target = Mutex<(@Sendable () -> Void)?>(nil)

    /// The callback the servers are made with.
    static let onChange: @Sendable () -> Void = { target.withLock { $0 }?() }

    static func connect(_ callback: @escaping @Sendable () -> Void) {
        target.withLock { $0 = callback }
    }
}

extension TUIRuntime {
    /// Starts the MCP servers in the background, after the first frame; the sidebar follows
    /// their status, and their `alwaysAllow` tools run without asking once they are known.
    func startMCPServers() {
        for problem in mcpProblems { dispatch(.info(problem, isError: true)) }
        guard let mcp else { return }
        MCPStatusRelay.connect { [weak self] in
            guard let self else { return }
            self.send(.mcpServers(Self.lines(mcp.entries)))
        }
        send(.mcpServers(Self.lines(mcp.entries)))
        let engine = self.engine
        Task {
            await mcp.start()
            await engine.allow(tools: mcp.alwaysAllowed)
        }
    }

    nonisolated static func lines(_ entries: [MCPServers.Entry]) -> [MCPServerLine] {
        entries.map { entry in
            switch entry.status {
            case .ready:
                let count = entry.tools.count
                return MCPServerLine(name: entry.config.name, state: .ready, status: "ready · \(count) tool\(count == 1 ? "" : "s")")
            case .starting: return MCPServerLine(name: entry.config.name, state: .starting, status: "starting…")
            case .failed(let why): return MCPServerLine(name: entry.config.name, state: .failed, status: "failed: \(why)")
            case .unavailable(let why): return MCPServerLine(name: entry.config.name, state: .off, status: why)
            case .disabled: return MCPServerLine(name: entry.config.name, state: .off, status: "disabled")
            }
        }
    }
}
