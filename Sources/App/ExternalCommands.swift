import AgentCore
import FoundationEssentials

/// A slash command that is not in the table: a custom command file or an MCP server's
/// prompt (`/SERVER:PROMPT`). The app lists, completes and dispatches them all the same
/// way; the runtime, which knows where each came from, expands them (D145).
public struct ExternalCommand: Sendable, Hashable {
    /// The name without the slash (`review`, `frontend:test`).
    public var name: String
    /// The argument hint shown after the name.
    public var argument: String
    public var help: String
    /// Where it comes from, for `/help` (`.claude/commands`, `user`, an MCP server's name).
    public var origin: String

    public init(name: String, argument: String = "", help: String = "", origin: String) {
        self.name = name
        self.argument = argument
        self.help = help
        self.origin = origin
    }
}

/// An external command ready to send.
public struct ExpandedCommand: Sendable, Hashable {
    public var prompt: String
    /// The command's `model` (on the active provider), nil: the model in use.
    public var model: String?
    /// The command's `allowed-tools`, nil: every tool.
    public var tools: Set<String>?
    public var rules: [PermissionRule]

    public init(prompt: String, model: String? = nil, tools: Set<String>? = nil, rules: [PermissionRule] = []) {
        self.prompt = prompt
        self.model = model
        self.tools = tools
        self.rules = rules
    }
}

extension Reducer {
    /// Calls of an external command's `!` expansions carry this prefix, so their answer goes to
    /// the runtime rather than the engine.
    static let commandApprovalPrefix = "command-approval-"

    /// Keeps the commands whose name no built-in has; a clash is said once, as a warning.
    static func loadExternalCommands(_ state: inout AppState, _ commands: [ExternalCommand], problems: [String]) {
        var kept: [ExternalCommand] = []
        var notes = problems
        for command in commands {
            if SlashCommand.named(command.name) != nil {
                notes.append("/\(command.name) from \(command.origin) has the name of a built-in command: the built-in is used")
            } else {
                kept.append(command)
            }
        }
        state.customCommands = kept
        for note in notes { state.append(.notice, note) }
        state.touch()
    }

    /// The external command named `name` exactly (case-insensitively).
    static func externalCommand(_ state: AppState, named name: String) -> ExternalCommand? {
        state.externalCommands.first { $0.name.lowercased() == name.lowercased() }
    }

    /// `/name arguments` for an external command: expanded by the runtime, then sent.
    static func runExternal(_ state: inout AppState, _ command: ExternalCommand, arguments: String) -> [Effect] {
        guard !state.isBusy else {
            let running = state.expandingCommand.map { "/\($0) to finish" } ?? "the running turn"
            state.append(.notice, "/\(command.name) waits for \(running): press Esc to stop it, or try again when it ends")
            return []
        }
        state.expandingCommand = command.name
        state.touch()
        return [.runExternalCommand(name: command.name, arguments: arguments)]
    }

    /// The command was not sent (`reason` says why); messages queued meanwhile go now.
    static func externalCommandNotSent(_ state: inout AppState, reason: String) -> [Effect] {
        state.expandingCommand = nil
        state.append(.error, reason)
        state.touch()
        return sendNextQueued(&state)
    }

    /// The expansion arrived: sent like a typed message, with the command's model and tools.
    static func submitExpanded(_ state: inout AppState, _ expanded: ExpandedCommand) -> [Effect] {
        state.attaching = false
        state.expandingCommand = nil
        guard state.turn == nil else {
            state.append(.notice, "The command's prompt was not sent: a turn is running.")
            return []
        }
        let restriction: [Effect] = expanded.tools.map { [.restrictNextTurn(tools: $0, rules: expanded.rules)] } ?? []
        let effects = submit(&state, prompt: expanded.prompt, model: expanded.model)
        return effects.isEmpty ? [] : restriction + effects
    }

    /// A `!` expansion asks: the approval box, as for a tool call (no "always": the answer is
    /// for this command line once).
    static func askCommandApproval(_ state: inout AppState, callID: String, preview: ToolPreview) {
        var preview = preview
        preview.alwaysRule = nil
        state.approval = PendingApproval(turn: state.turn?.id ?? 0, callID: callID, preview: preview)
        state.touch()
    }
}

extension Reducer {
    /// The one-line help of the command `name` (built-in first), for the completion popup.
    static func commandHelp(_ state: AppState, name: String) -> String {
        if let builtin = SlashCommand.all.first(where: { $0.name == name }) { return builtin.help }
        guard let external = externalCommand(state, named: name) else { return "" }
        let hint = external.argument.isEmpty ? "" : external.argument + " · "
        return hint + external.help
    }
}

extension OverlayView {
    /// The "Custom commands" section of `/help`: each with its hint, help and origin.
    static func externalHelpLines(_ commands: [ExternalCommand], theme: Theme) -> [StyledLine] {
        guard !commands.isEmpty else { return [] }
        var lines = [StyledLine([]), StyledLine([("Custom commands", theme.accent)])]
        for command in commands {
            let usage = "/" + command.name + (command.argument.isEmpty ? "" : " " + command.argument)
            lines.append(StyledLine([("  " + usage.padding(to: 22), theme.text),
                                     (command.help + "  (" + command.origin + ")", theme.muted)]))
        }
        return lines
    }
}
