import AgentCore
import AgentEngine
import AgentTools
import FoundationEssentials
import Glibc
import MCPClient

/// Builds the engine configuration both the TUI and `run` use: the built-in tools confined
/// to the working directory, the system prompt with `AGENTS.md`, the approval policy from
/// the config (or `--yes`), the step limit, persistence and pricing.
enum EngineFactory {
    static func configuration(setup: Setup, approveAll: Bool, maxSteps: Int?,
                              recorder: (any SessionRecorder)?, pricer: UsagePricer?,
                              mcp: MCPServers? = nil) -> EngineConfiguration {
        let settings = setup.config.settings
        let builtin = Self.tools(setup: setup)
        let tools: any ToolExecutor = mcp.map { MCPToolExecutor(builtin: builtin, servers: $0) } ?? builtin
        let prompt = SystemPrompt.build(workingDirectory: setup.currentDirectory, platform: platform(),
                                        tools: tools.definitions, agentsFile: agentsFile(in: setup.currentDirectory))
        let policy = ApprovalPolicy(mode: approveAll ? .yolo : settings.approvalMode,
                                    alwaysAllow: Set(settings.alwaysAllow).union(mcp?.alwaysAllowed ?? []),
                                    rules: settings.permissions)
        var configuration = EngineConfiguration(systemPrompt: prompt, tools: tools, policy: policy,
                                                maxSteps: maxSteps ?? settings.maxSteps, recorder: recorder,
                                                pricer: pricer, nativeTools: nativeTools(model: setup.model))
        configuration.contextWindow = setup.providerConfig?.contextWindow
        configuration.compaction = settings.compaction
        return configuration
    }

    /// The built-in tools in the working directory, with the config's command environment
    /// and sandbox (the engine's tools and `!` commands alike).
    static func tools(setup: Setup) -> BuiltinTools {
        BuiltinTools(projectRoot: setup.currentDirectory, commands: setup.config.commandSettings)
    }

    /// What the capability table knows about the model's native tool calling (`nil`: unknown,
    /// so tools are sent and the engine falls back if the server refuses them).
    static func nativeTools(model: String?) -> Bool? {
        guard let model, let known = ModelCapabilities.lookup(modelID: model) else { return nil }
        return known.supportsTools ? true : false
    }

    /// `AGENTS.md` in the project root, when present and readable (capped at 64 KB).
    static func agentsFile(in directory: String) -> String? {
        let path = directory.hasSuffix("/") ? directory + "AGENTS.md" : directory + "/AGENTS.md"
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data.prefix(64 * 1024), as: UTF8.self)
    }

    static func platform() -> String {
        var info = utsname()
        guard uname(&info) == 0 else { return "Linux" }
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return "\(field(info.sysname)) \(field(info.machine))"
    }
}
