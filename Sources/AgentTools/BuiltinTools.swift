import AgentCore

/// The built-in tools (read_file, write_file, edit_file, list_directory, find_files,
/// search_files, run_command), every path confined to the project root.
public struct BuiltinTools: ToolExecutor {
    /// The project root with symlinks resolved; every path must stay inside it.
    public var projectRoot: String { context.paths.root }
    /// The caps on output sizes and command time.
    public var limits: ToolLimits { context.limits }

    var context: ToolContext
    private let tools: [any BuiltinTool]

    /// Tools for the project at `projectRoot` (a directory; relative paths resolve against it);
    /// `commands` says what environment and sandbox `run_command` uses.
    public init(projectRoot: String, limits: ToolLimits = ToolLimits(), commands: CommandSettings = CommandSettings()) {
        context = ToolContext(paths: ProjectPaths(root: projectRoot), limits: limits, commands: commands)
        tools = [ReadFileTool(), WriteFileTool(), EditFileTool(), ListDirectoryTool(),
                 FindFilesTool(), SearchFilesTool(), RunCommandTool()]
    }

    /// Tools whose walks call `observer` with each directory entered (tests hold a walk
    /// still with it to check that cancelling does not wait for the walk).
    func observingDirectories(_ observer: @escaping @Sendable (String) -> Void) -> BuiltinTools {
        var copy = self
        copy.context.onDirectory = observer
        return copy
    }

    /// The tools offered to the model, in a fixed order.
    public var definitions: [ToolDefinition] { tools.map(\.definition) }

    /// `.read` for the reading tools, `.write` for write/edit, `.command` for run_command.
    public func effect(of toolName: String) -> ToolEffect? {
        tool(named: toolName)?.effect
    }

    /// Parses and checks the call (arguments, paths, that an edit applies) and builds its
    /// preview; changes nothing.
    public func prepare(_ call: ToolCall) async -> ToolPreparation {
        guard let tool = tool(named: call.name) else { return .invalid(unknownTool(call.name)) }
        return await Self.prepare(tool, arguments: call.arguments, context: context)
    }

    /// Runs the call. Cancelling the task stops it; failures come back as error outputs.
    public func execute(_ call: ToolCall) async -> ToolOutput {
        guard let tool = tool(named: call.name) else { return unknownTool(call.name) }
        if Task.isCancelled { return .failure("cancelled before \(call.name) ran") }
        return await Self.execute(tool, arguments: call.arguments, context: context)
    }

    /// Runs the call; a command's output goes to `progress` as it is printed.
    public func execute(_ call: ToolCall, progress: @escaping @Sendable (String) -> Void) async -> ToolOutput {
        guard let tool = tool(named: call.name) else { return unknownTool(call.name) }
        if Task.isCancelled { return .failure("cancelled before \(call.name) ran") }
        var watched = context
        watched.progress = progress
        return await Self.execute(tool, arguments: call.arguments, context: watched)
    }

    private func tool(named name: String) -> (any BuiltinTool)? {
        tools.first { $0.definition.name == name }
    }

    private func unknownTool(_ name: String) -> ToolOutput {
        .failure("unknown tool \"\(name)\"; available: \(tools.map(\.definition.name).joined(separator: ", "))")
    }

    private static func prepare<Tool: BuiltinTool>(_ tool: Tool, arguments: String,
                                                    context: ToolContext) async -> ToolPreparation {
        await OffPool.run {
            do throws(ToolError) {
                let request = try tool.parse(arguments, context: context)
                return .ready(try tool.preview(request, context: context))
            } catch {
                return .invalid(error.output)
            }
        }
    }

    private static func execute<Tool: BuiltinTool>(_ tool: Tool, arguments: String,
                                                    context: ToolContext) async -> ToolOutput {
        let parsed: Result<Tool.Request, ToolError> = await OffPool.run {
            do throws(ToolError) {
                return .success(try tool.parse(arguments, context: context))
            } catch {
                return .failure(error)
            }
        }
        switch parsed {
        case .success(let request): return await tool.run(request, context: context)
        case .failure(let error): return error.output
        }
    }
}
