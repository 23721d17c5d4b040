import AgentCore
import FoundationEssentials

/// A `/command` the input line understands: one value holds its name, argument, help,
/// completion and action, so `/help`, Tab completion and dispatch all read this table and a
/// listed command cannot be without an action.
public struct SlashCommand: Sendable {
    public var name: String
    public var argument: String
    public var help: String
    /// What the argument can be (for Tab and the popup); empty when it takes free text.
    var completions: @Sendable (AppState) -> [String]
    /// What the command does, given its trimmed argument ("" when none was typed).
    var run: @Sendable (inout AppState, String) -> [Effect]
    /// Whether the line is appended to the saved input history (not `/exit`: the app is gone).
    var savedInHistory: Bool

    init(name: String, argument: String, help: String, completions: @escaping @Sendable (AppState) -> [String] = { _ in [] },
         savedInHistory: Bool = true, run: @escaping @Sendable (inout AppState, String) -> [Effect]) {
        self.name = name
        self.argument = argument
        self.help = help
        self.completions = completions
        self.savedInHistory = savedInHistory
        self.run = run
    }

    /// Every command, in the order `/help` lists them.
    public static let all: [SlashCommand] = [
        SlashCommand(name: "help", argument: "", help: "keys and commands") { state, _ in
            state.overlay = .help(scroll: 0)
            return []
        },
        SlashCommand(name: "model", argument: "[id]", help: "pick a model (or set one by id)",
                     completions: { state in
                         state.providers.first { $0.name == state.provider?.name }?.loadedModels.map(\.id) ?? []
                     },
                     run: { state, argument in
                         argument.isEmpty ? Reducer.openModelPicker(&state) : Reducer.chooseModel(&state, id: argument)
                     }),
        SlashCommand(name: "provider", argument: "NAME", help: "switch provider (its default model)",
                     completions: { $0.providers.map(\.name) },
                     run: { state, argument in Reducer.chooseProvider(&state, name: argument) }),
        SlashCommand(name: "clear", argument: "", help: "clear the screen (the conversation continues)") { state, _ in
            Reducer.clearScreen(&state)
            state.olderHistory = nil  // what was cleared does not come back by scrolling
            return []
        },
        SlashCommand(name: "new", argument: "", help: "start a new conversation and session") { state, _ in
            let effects = Reducer.cancelForSwitch(&state)
            state.entries.removeAll()
            state.olderHistory = nil
            state.scrollOffset = 0
            state.meter = UsageMeter()
            return effects + [.newConversation]
        },
        SlashCommand(name: "sessions", argument: "[--all]", help: "resume an earlier session (--all: with run's)",
                     completions: { _ in ["--all"] },
                     run: { _, argument in argument == "--all" || argument == "all" ? [.listAllSessions] : [.listSessions] }),
        SlashCommand(name: "usage", argument: "", help: "tokens and cost by provider, model and day") { _, _ in
            [.loadUsage]
        },
        SlashCommand(name: "mode", argument: "[ask|auto-edit|yolo|plan]", help: "what runs without asking",
                     completions: { _ in ApprovalMode.allCases.map(\.rawValue) },
                     run: { state, argument in Reducer.setMode(&state, argument) }),
        SlashCommand(name: "permissions", argument: "", help: "the permission rules in force and where they come from") { _, _ in
            [.showPermissions]
        },
        SlashCommand(name: "theme", argument: "[name]", help: "change the colours",
                     completions: { $0.themeNames },
                     run: { state, argument in Reducer.setTheme(&state, argument) }),
        SlashCommand(name: "budget", argument: "[override | session USD | daily USD]",
                     help: "show the budgets, override them, or set a limit for this run",
                     completions: { _ in ["override", "session", "daily"] },
                     run: { state, argument in Reducer.budget(&state, argument) }),
        SlashCommand(name: "export", argument: "[full] [file]",
                     help: "save the conversation as markdown (full: the history before compactions)") { _, argument in
            if argument == "full" || argument.hasPrefix("full ") {
                let path = String(argument.dropFirst(4).drop { $0 == " " })
                return [.exportFull(path: path.isEmpty ? nil : path)]
            }
            return [.export(path: argument.isEmpty ? nil : argument)]
        },
        SlashCommand(name: "context", argument: "", help: "what the next request holds, by part, and the window") { _, _ in
            [.showContext]
        },
        SlashCommand(name: "compact", argument: "[instructions | undo]",
                     help: "summarize the older turns now (optional focus), or undo the last compaction",
                     completions: { _ in ["undo"] },
                     run: { state, argument in Reducer.compact(&state, argument) }),
        SlashCommand(name: "undo", argument: "", help: "revert the last turn's file changes") { state, _ in
            Reducer.undoFiles(&state)
        },
        SlashCommand(name: "rewind", argument: "",
                     help: "go back to before an earlier message: the conversation, the files, or both") { state, _ in
            Reducer.openRewind(&state)
        },
        SlashCommand(name: "exit", argument: "", help: "quit", savedInHistory: false) { state, _ in Reducer.quit(&state) },
    ]

    /// Commands whose name starts with `prefix` (without the slash).
    static func matching(_ prefix: String) -> [SlashCommand] {
        all.filter { $0.name.hasPrefix(prefix.lowercased()) }
    }

    /// The command named exactly `name`.
    static func named(_ name: String) -> SlashCommand? {
        all.first { $0.name == name.lowercased() }
    }
}

extension Reducer {
    /// Enter: a `/command`, a `!shell command`, or a message (queued while a turn runs).
    static func submitInput(_ state: inout AppState) -> [Effect] {
        let text = state.input.text
        guard !text.allSatisfy(\.isWhitespace) else { return [] }
        if text.hasPrefix("/") { return runSlashCommand(&state, text) }
        if text.hasPrefix("!") {
            let command = String(text.dropFirst()).trimmed
            guard !command.isEmpty else { return [] }
            state.history.record(text)
            state.input = InputLine()
            let entry = state.append(.tool, "", status: .streaming,
                                     tool: ToolActivity(callID: "shell-\(state.nextEntryID)", name: "!", keyArgument: command))
            state.scrollOffset = 0
            state.touch()
            return [.recordHistory(text), .runShell(entryID: entry, command: command)]
        }
        // History keeps what was sent, pastes expanded (their chips mean nothing later).
        let message = expandPastes(text, pastes: state.pastes)
        state.history.record(message)
        state.input = InputLine()
        state.pastes = []
        if state.isBusy {
            state.queued.append(message)
            state.touch()
            return [.recordHistory(message)]
        }
        return [.recordHistory(message)] + send(&state, message: message)
    }

    /// Runs `/name args`. Unknown names say so and list the commands.
    static func runSlashCommand(_ state: inout AppState, _ text: String) -> [Effect] {
        let words = text.dropFirst().split(separator: " ", maxSplits: 1).map(String.init)
        let typed = words.first ?? ""
        let argument = words.count > 1 ? words[1].trimmed : ""
        if SlashCommand.named(typed) == nil, let external = externalCommand(state, named: typed) {
            state.input = InputLine()
            state.touch()
            state.history.record(text)
            return [.recordHistory(text)] + runExternal(&state, external, arguments: argument)
        }
        let matches = SlashCommand.named(typed).map { [$0] } ?? SlashCommand.matching(typed)
        state.input = InputLine()
        state.touch()
        let externalMatches = state.externalCommands.filter { $0.name.lowercased().hasPrefix(typed.lowercased()) }
        if matches.isEmpty, externalMatches.count == 1, let external = externalMatches.first {
            state.history.record(text)
            return [.recordHistory(text)] + runExternal(&state, external, arguments: argument)
        }
        guard matches.count == 1, externalMatches.isEmpty, let command = matches.first else {
            let unknown = matches.isEmpty && externalMatches.isEmpty
            let listed = unknown ? SlashCommand.all.map(\.name) + state.externalCommands.map(\.name)
                : matches.map(\.name) + externalMatches.map(\.name)
            let names = listed.map { "/" + $0 }.joined(separator: " ")
            let message = unknown ? "Unknown command /\(typed). Commands: \(names)" : "/\(typed) is ambiguous: \(names)"
            state.append(.error, message)
            return []
        }
        state.history.record(text)
        let saved: [Effect] = command.savedInHistory ? [.recordHistory(text)] : []
        return saved + command.run(&state, argument)
    }

    /// `/compact`: not while a turn runs (the engine would wait for it; saying so is clearer).
    static func compact(_ state: inout AppState, _ argument: String) -> [Effect] {
        guard state.turn == nil else {
            state.append(.notice, "/compact waits for the running turn: press Esc to stop it, or try again when it ends")
            state.touch()
            return []
        }
        state.append(.notice, argument == "undo" ? "Restoring the conversation…" : "Compacting the conversation…")
        state.touch()
        if argument == "undo" { return [.compact(instructions: nil, undo: true)] }
        return [.compact(instructions: argument.isEmpty ? nil : argument, undo: false)]
    }

    /// `/clear`: empties the chat pane (the conversation itself continues). While a turn
    /// runs, its prompt and what it has streamed so far stay, so the reply keeps arriving.
    static func clearScreen(_ state: inout AppState) {
        if state.turn != nil, let prompt = state.entries.lastIndex(where: { $0.kind == .user }) {
            state.entries.removeSubrange(..<prompt)
        } else {
            state.entries.removeAll()
        }
        state.scrollOffset = 0
    }

    static func setMode(_ state: inout AppState, _ argument: String) -> [Effect] {
        guard !argument.isEmpty else {
            let modes = ApprovalMode.allCases.map(\.rawValue).joined(separator: ", ")
            state.append(.notice, "Approval mode: \(state.approvalMode.rawValue). Modes: \(modes).")
            return []
        }
        guard let mode = ApprovalMode(rawValue: argument.lowercased()) else {
            let modes = ApprovalMode.allCases.map(\.rawValue).joined(separator: ", ")
            state.append(.error, "Unknown mode \"\(argument)\". Modes: \(modes).")
            return []
        }
        state.approvalMode = mode
        state.append(.notice, "Approval mode: \(mode.rawValue).")
        return [.setApprovalMode(mode)]
    }

    static func budget(_ state: inout AppState, _ argument: String) -> [Effect] {
        let words = argument.split(separator: " ").map(String.init)
        switch (words.first?.lowercased(), words.count) {
        case (nil, _): return [.budget(.status)]
        case ("override", 1): return [.budget(.override)]
        case ("session", 2), ("daily", 2):
            guard let amount = Decimal(string: words[1].hasPrefix("$") ? String(words[1].dropFirst()) : words[1]),
                  amount >= 0 else {
                state.append(.error, "/budget \(words[0]) wants an amount in USD, like 5 or 2.50.")
                return []
            }
            return [.budget(words[0].lowercased() == "session" ? .setSession(amount) : .setDaily(amount))]
        default:
            state.append(.error, "Usage: /budget, /budget override, /budget session USD, /budget daily USD.")
            return []
        }
    }

    /// `/theme [name]`: the runtime reads the theme folder again either way (a theme file
    /// added while the app runs is found, issue 14, bug 20), then switches or lists.
    static func setTheme(_ state: inout AppState, _ argument: String) -> [Effect] {
        [.setTheme(argument)]
    }

    /// Tab: completes the command name, or the argument of /model, /provider, /mode, /theme.
    static func completeSlashCommand(_ state: inout AppState) {
        let completions = completions(state)
        guard let first = completions.first else { return }
        let common = completions.dropFirst().reduce(first) { sharedPrefix($0, $1) }
        // Several candidates sharing nothing more than what is typed (`/mode a`: ask,
        // auto-edit): Tab takes the first, as the popup lists it, rather than doing nothing.
        let typed = state.input.text
        let stuck = completions.count > 1 && common.count <= typed.count && typed.contains(" ")
            && !typed.hasSuffix(" ")
        state.input = InputLine(text: completions.count == 1 || stuck ? first + " " : common)
    }

    /// What the current input could complete to (whole input lines), for Tab and the popup.
    static func slashCompletions(_ state: AppState) -> [String] {
        let text = state.input.text
        guard text.hasPrefix("/"), !text.contains("\n") else { return [] }
        let body = text.dropFirst()
        guard let space = body.firstIndex(of: " ") else {
            let typed = String(body).lowercased()
            return SlashCommand.matching(typed).map { "/" + $0.name }
                + state.externalCommands.filter { $0.name.lowercased().hasPrefix(typed) }.map { "/" + $0.name }
        }
        let name = String(body[..<space])
        let partial = body[body.index(after: space)...].trimmed
        let options = SlashCommand.named(name)?.completions(state) ?? []
        return options.filter { $0.lowercased().hasPrefix(partial.lowercased()) }.map { "/\(name) \($0)" }
    }
}

/// The longest common prefix of two strings (by character).
func sharedPrefix(_ a: String, _ b: String) -> String {
    String(zip(a, b).prefix { $0 == $1 }.map(\.0))
}

extension StringProtocol {
    /// Without leading and trailing whitespace.
    var trimmed: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
