import AgentCore

/// `run_command`: a shell command in the project directory, with a timeout and capped output.
struct RunCommandTool: BuiltinTool {
    struct Request: Sendable {
        var command: String
        var timeoutSeconds: Int
    }

    var definition: ToolDefinition {
        ToolDefinition(
            name: "run_command",
            description: """
                Run a shell command with bash -c in the project root (builds, tests, git, and \
                other tools). stdin is empty, so commands must not wait for input. Returns the \
                combined stdout and stderr and the exit code; long output keeps its start and \
                end. Commands stop after a timeout (default 120 s). Background processes still \
                holding the output when the command ends are stopped; redirect their output \
                (cmd > log 2>&1 &) to keep them running. Prefer the file tools for reading, \
                searching and editing files.
                """,
            parameters: Schema.object([
                .init(name: "command", type: "string", description: "The command line to run."),
                .init(name: "timeout_seconds", type: "integer", description: "Time limit in seconds (default 120, at most 600)."),
            ], required: ["command"]))
    }

    var effect: ToolEffect { .command }

    func parse(_ arguments: String, context: ToolContext) throws(ToolError) -> Request {
        let arguments = try ToolArguments(arguments, tool: "run_command", allowed: ["command", "timeout_seconds"])
        let command = try arguments.string("command")
        guard !command.trimmingWhitespace.isEmpty else { throw ToolError("invalid arguments for run_command: the command is empty") }
        guard !command.utf8.contains(0) else { throw ToolError("invalid arguments for run_command: the command contains a NUL byte") }
        let limits = context.limits
        let timeout = try arguments.optionalInt("timeout_seconds") ?? limits.commandTimeoutSeconds
        guard (1...limits.commandMaxTimeoutSeconds).contains(timeout) else {
            throw ToolError("invalid arguments for run_command: timeout_seconds must be between 1 and \(limits.commandMaxTimeoutSeconds)")
        }
        return Request(command: command, timeoutSeconds: timeout)
    }

    func preview(_ request: Request, context: ToolContext) throws(ToolError) -> ToolPreview {
        // Fails here, before any approval, when the sandbox cannot be set up.
        _ = try CommandLauncher.launch(command: request.command, root: context.paths.root, settings: context.commands)
        var preview = ToolPreview(toolName: "run_command", keyArgument: request.command, detail: request.command)
        preview.target = request.command
        preview.sandbox = context.commands.sandbox.summary
        return preview
    }

    func run(_ request: Request, context: ToolContext) async -> ToolOutput {
        let launch: CommandLaunch
        do throws(ToolError) {
            launch = try CommandLauncher.launch(command: request.command, root: context.paths.root, settings: context.commands)
        } catch {
            return error.output
        }
        let result = await ProcessRunner.run(
            launch, directory: context.paths.root, timeoutSeconds: Double(request.timeoutSeconds),
            outputLimit: context.limits.commandOutputMaxBytes, killGraceSeconds: context.limits.killGraceSeconds,
            progress: context.progress)
        switch result {
        case .failure(let error): return error.output
        case .success(let result): return Self.output(for: result, timeout: request.timeoutSeconds)
        }
    }

    /// The model's view of a finished command and its one-line summary. Pure.
    static func output(for result: CommandResult, timeout: Int) -> ToolOutput {
        let lines = result.output.lineCount
        let printed = result.output.total == 0 ? "(no output)" : result.output.text
        let amount = lines == 0 ? "no output" : lines == 1 ? "1 line of output" : "\(lines) lines of output"
        var notes = ""
        if result.stoppedLeftovers {
            notes += "\n[background processes still holding the output were stopped when the command ended; "
                + "redirect their output (cmd > file 2>&1 &) to keep them running]"
        }
        switch result.ending {
        case .exited(let code):
            return ToolOutput(content: printed + notes + "\n\nexit code: \(code)", isError: code != 0,
                              summary: "exit \(code) · \(amount)")
        case .signaled(let signal):
            return ToolOutput(content: printed + notes + "\n\nterminated by signal \(signal)", isError: true,
                              summary: "signal \(signal) · \(amount)")
        case .unknown:
            return ToolOutput(content: printed + notes + "\n\nexit code: unknown", isError: false,
                              summary: "exit ? · \(amount)")
        case .timedOut:
            return ToolOutput(content: "error: the command timed out after \(timeout) s and its process group was "
                + "stopped. Output so far:\n" + printed, isError: true, summary: "timed out after \(timeout) s")
        case .cancelled:
            return ToolOutput(content: "error: the command was cancelled and its process group was stopped. "
                + "Output so far:\n" + printed, isError: true, summary: "cancelled")
        }
    }
}
