import AgentCore
import AgentTools
import App
import FoundationEssentials

/// The custom commands of this project and user, read once off the first frame's path (D145),
/// and whether their `` !`command` `` expansions may run here (D146).
struct CustomCommandCatalog: Sendable {
    /// By lowercased name.
    var commands: [String: CustomCommand] = [:]
    /// In precedence order, as `/help` lists them.
    var ordered: [CustomCommand] = []
    var problems: [String] = []
    /// Why `!` expansions may not run in this folder, nil when they may.
    var shellRefusal: String?

    /// Reads every command folder; the folder's trust is read from the store (an explicit
    /// `swiftcoder trust` record, with the folder's gated files unchanged since).
    static func load(project: String, environment: [String: String], trust: FolderTrustGate) -> CustomCommandCatalog {
        let found = CommandDiscovery.discover(project: project, environment: environment)
        var catalog = CustomCommandCatalog()
        catalog.ordered = found.commands
        catalog.problems = found.problems + found.shadowed.map { hidden in
            let winner = found.commands.first { $0.name.lowercased() == hidden.name.lowercased() }?.path ?? "another file"
            return "\(hidden.path) is not used: \(winner) also defines /\(hidden.name) (project commands come before "
                + "the user's, D145)"
        }
        for command in found.commands { catalog.commands[command.name.lowercased()] = command }
        catalog.shellRefusal = shellRefusal(trust: trust, environment: environment)
        return catalog
    }

    /// `!` expansions run only in a folder the user trusted explicitly (`swiftcoder trust`, or
    /// the start-up question) whose gated files are unchanged since.
    static func shellRefusal(trust: FolderTrustGate, environment: [String: String]) -> String? {
        let advice = "(review its command files, then run `swiftcoder trust` in \(trust.folder) to allow it)"
        switch trust.status {
        case .trusted: return nil
        case .changed(let names): return "\(names.joined(separator: " and ")) changed since you trusted this folder \(advice)"
        case .declined: return "you chose not to trust this folder \(advice)"
        case .untrusted: return "this folder is not trusted \(advice)"
        case .nothingToTrust:
            let record = try? TrustStore(environment: environment).record(for: trust.folder)
            return record == nil ? "`!` commands run only in a trusted folder, and this one is not trusted \(advice)" : nil
        }
    }

    /// For `swiftcoder trust`: the project's command files and the `!` commands they would
    /// run once the folder is trusted (each still asks in the approval box).
    static func shellLines(project: String) -> [String] {
        let found = CommandDiscovery.discover(project: project, environment: [:])
        let lines = found.commands.filter(\.folder.isProject).flatMap { command in
            CommandTemplate(command.body).parts.compactMap { part in
                if case .shell(let line) = part { "  /\(command.name): !`\(line)`" } else { nil }
            }
        }
        guard !lines.isEmpty else { return [] }
        return ["Command files that run shell commands (each asks before it runs):"] + lines
    }

    /// What the app lists, completes and dispatches.
    var external: [ExternalCommand] {
        ordered.map { command in
            ExternalCommand(name: command.name, argument: command.argumentHint, help: command.description,
                            origin: command.folder == .user ? "user" : command.folder.rawValue)
        }
    }

    /// The turn's tools and pre-approvals from the command's `allowed-tools`.
    static func expanded(_ command: CustomCommand, prompt: String) -> ExpandedCommand {
        let grant = CommandToolGrant(command.allowedTools)
        return ExpandedCommand(prompt: prompt, model: command.model, tools: grant.tools, rules: grant.rules)
    }
}
