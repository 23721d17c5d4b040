import AgentCore

/// Turns a custom command and its arguments into the prompt sent (D146): `$ARGUMENTS` and
/// `$1`…`$9` substituted, `@path` replaced by the file (confined and capped exactly like
/// `read_file`), `` !`command` `` by its output (run like `run_command`: same environment,
/// sandbox, timeout and output cap), and only when `shellRefusal` is nil (a trusted folder)
/// and `approve` said yes for that very command line.
public struct CommandExpander: Sendable {
    /// Why an expansion stopped: the command is not sent, and this says why.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
        /// True when a command line was not approved (`run` without `--yes` exits 2 then).
        public var notApproved: Bool
        public init(_ description: String, notApproved: Bool = false) {
            self.description = description
            self.notApproved = notApproved
        }
    }

    /// How a `` !`command` `` is allowed to run.
    public enum ShellDecision: Sendable, Hashable {
        case run
        case ask
        case refuse(String)
    }

    let tools: BuiltinTools
    /// Why `!` commands may not run here (an untrusted folder), nil when they may.
    let shellRefusal: String?
    /// The approval rules in force (deny rules refuse, allow rules and `allowed-tools`
    /// patterns run without asking, the rest asks).
    let policy: ApprovalPolicy

    public init(tools: BuiltinTools, shellRefusal: String?, policy: ApprovalPolicy) {
        self.tools = tools
        self.shellRefusal = shellRefusal
        self.policy = policy
    }

    /// The prompt for `command` with `arguments`; `approve` is asked for each command line
    /// that needs it (the approval box, or `run`'s `--yes`) and returns whether to run it.
    public func expand(_ command: CustomCommand, arguments: String,
                       approve: @Sendable (ToolPreview) async -> Bool) async -> Result<String, Refusal> {
        let template = CommandTemplate(command.body)
        let shells = template.shellCommands(arguments: arguments)
        if !shells.isEmpty, let shellRefusal {
            let listed = shells.map { "!`\($0)`" }.joined(separator: ", ")
            return .failure(Refusal("/\(command.name) was not sent: it runs \(listed), and \(shellRefusal)"))
        }
        var resolved: [String] = []
        for part in template.parts {
            switch part {
            case .text: continue
            case .file(let raw):
                let path = CommandTemplate.substitute(raw, arguments: arguments)
                switch attachment(path) {
                case .success(let text): resolved.append(text)
                case .failure(let refusal): return .failure(Refusal("/\(command.name) was not sent: @\(path): \(refusal.description)"))
                }
            case .shell(let raw):
                let line = CommandTemplate.substitute(raw, arguments: arguments)
                switch await shellOutput(line, command: command, approve: approve) {
                case .success(let text): resolved.append(text)
                case .failure(let refusal):
                    return .failure(Refusal("/\(command.name) was not sent: \(refusal.description)", notApproved: refusal.notApproved))
                }
            }
        }
        var next = resolved.makeIterator()
        return .success(template.render(arguments: arguments) { _ in next.next() ?? "" })
    }

    /// The file's text for `@path`, or the literal `@path` when no such file exists (prose
    /// like `@MainActor` is left alone); a path outside the project, too large or binary is refused.
    func attachment(_ path: String) -> Result<String, Refusal> {
        let resolved: ResolvedPath
        do throws(ToolError) {
            resolved = try tools.context.paths.resolve(path)
        } catch {
            return .failure(Refusal(error.message))
        }
        guard FileSystem.targetKind(resolved.absolute) != nil else { return .success("@" + path) }
        do throws(ToolError) {
            let bytes = try FileLoader.load(resolved, limits: tools.limits, purpose: "@file")
            let text = TextBytes.string(bytes)
            return .success("\n`\(resolved.relative)`:\n```\n\(text)\(text.hasSuffix("\n") ? "" : "\n")```\n")
        } catch {
            return .failure(Refusal(error.message))
        }
    }

    private func shellOutput(_ line: String, command: CustomCommand,
                             approve: @Sendable (ToolPreview) async -> Bool) async -> Result<String, Refusal> {
        let call = ToolCall(id: "command-\(command.name)", name: "run_command",
                            arguments: #"{"command": \#(JSONText.quoted(line))}"#)
        guard case .ready(let preview) = await tools.prepare(call) else {
            return .failure(Refusal("!`\(line)` is not a command that can run"))
        }
        switch decision(for: line, command: command) {
        case .refuse(let reason): return .failure(Refusal(reason))
        case .ask:
            guard await approve(preview) else { return .failure(Refusal("!`\(line)` was not approved", notApproved: true)) }
        case .run: break
        }
        let output = await tools.execute(call)
        return .success(output.content)
    }

    /// Deny rules and plan mode refuse; an `allowed-tools` pattern (`Bash(git status:*)`) or an
    /// allow rule runs it; anything else asks, whatever the mode (the user sees each command
    /// a file would run before it runs, D146).
    func decision(for line: String, command: CustomCommand) -> ShellDecision {
        var policy = self.policy
        policy.mode = .ask
        policy.alwaysAllow = []
        policy.rules.allow += CommandToolGrant(command.allowedTools).rules
        switch policy.decide(tool: "run_command", effect: .command, target: line) {
        case .refuse(let reason): return .refuse(reason)
        case .run: return .run
        case .ask: return .ask
        }
    }
}
