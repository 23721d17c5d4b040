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
        // Two prompts whose names clean to the same command: the first is offered, as
        // `MCPServers.prompt(command:)` finds it.
        var offered: Set<String> = []
        return entries.map { entry in
            switch entry.status {
            case .ready:
                let counts = [count(entry.tools.count, "tool"), count(entry.prompts.count, "prompt"),
                              count(entry.resources.count, "resource")]
                let status = (["ready"] + counts.enumerated().filter { $0.offset == 0 || !$0.element.hasPrefix("0 ") }
                    .map(\.element)).joined(separator: " · ")
                let prompts = entry.prompts.compactMap { prompt -> ExternalCommand? in
                    let name = MCPPromptCommand.name(server: entry.config.name, prompt: prompt.name)
                    guard offered.insert(name).inserted else { return nil }
                    return ExternalCommand(name: name, argument: MCPPromptCommand.hint(prompt), help: prompt.description,
                                           origin: "MCP server \(entry.config.name)")
                }
                return MCPServerLine(name: entry.config.name, state: .ready, status: status, prompts: prompts,
                                     resources: entry.resources)
            case .starting: return MCPServerLine(name: entry.config.name, state: .starting, status: "starting…")
            case .failed(let why): return MCPServerLine(name: entry.config.name, state: .failed, status: "failed: \(why)")
            case .unavailable(let why): return MCPServerLine(name: entry.config.name, state: .off, status: why)
            case .disabled: return MCPServerLine(name: entry.config.name, state: .off, status: "disabled")
            }
        }
    }

    private nonisolated static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    /// `/SERVER:PROMPT arguments`: the server fills the prompt in, off the loop; it is then
    /// sent like a typed message.
    func runMCPPrompt(_ name: String, arguments: String) {
        guard let mcp else { return dispatch(.externalCommandNotSent(reason: "/\(name): no MCP server is running")) }
        expand(name) {
            await mcp.expandPrompt(command: name, arguments: arguments)
                .map { ExpandedCommand(prompt: $0) }
                .mapError { NotSent($0.message) }
        }
    }

    /// Reads the resources a message mentions, off the loop, and sends it with them attached.
    func attachResources(_ mentions: [MCPResourceMention], to message: String) {
        guard let mcp else {
            dispatch(.attachmentFailed(message: message, reason: "no MCP server is running"))
            return
        }
        Task { [weak self] in
            switch await mcp.attach(mentions, to: message) {
            case .success(let text): self?.send(.externalCommandExpanded(ExpandedCommand(prompt: text)))
            case .failure(let error): self?.send(.attachmentFailed(message: message, reason: error.message))
            }
        }
    }
}
