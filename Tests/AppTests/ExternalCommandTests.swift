import AgentCore
import Testing
import TerminalUI
@testable import App

/// Custom commands in the app (D145): listed, completed with their help, dispatched to the
/// runtime, a clash with a built-in reported once; `!` approvals answered to the runtime.
@Suite(.timeLimit(.minutes(2))) struct ExternalCommandTests {
    static let commands = [
        ExternalCommand(name: "review", argument: "FILE", help: "Review a file", origin: ".claude/commands"),
        ExternalCommand(name: "frontend:test", help: "Run the frontend tests", origin: ".swiftcoder/commands"),
        ExternalCommand(name: "model", help: "clashes", origin: "user"),
    ]

    func loaded() -> AppState {
        var state = PanelTests().state()
        _ = Reducer.reduce(&state, .externalCommandsLoaded(Self.commands, problems: ["a.md:2: expected `key: value`"]))
        return state
    }

    @Test func aClashIsReportedOnceAndTheBuiltinWins() {
        var state = loaded()
        #expect(state.externalCommands.map(\.name) == ["review", "frontend:test"])
        let notices = state.entries.filter { $0.kind == .notice }.map(\.text)
        #expect(notices == ["a.md:2: expected `key: value`",
                            "/model from user has the name of a built-in command: the built-in is used"])
        let effects = Reducer.runSlashCommand(&state, "/model")
        #expect(!effects.contains { if case .runExternalCommand = $0 { true } else { false } })
    }

    @Test func helpListsThemWithHintHelpAndOrigin() {
        let state = loaded()
        let help = OverlayView.helpLines(theme: .standard, externalCommands: state.externalCommands)
            .map { $0.segments.map(\.text).joined() }
        #expect(help.contains("Custom commands"))
        #expect(help.contains { $0.contains("/review FILE") && $0.contains("Review a file  (.claude/commands)") })
        #expect(help.contains { $0.contains("/frontend:test") && $0.contains("Run the frontend tests") })
    }

    @Test func tabCompletesThemAndThePopupShowsTheirHelp() {
        var state = loaded()
        state.input = InputLine(text: "/rev")
        #expect(Reducer.slashCompletions(state) == ["/review"])
        Reducer.completeSlashCommand(&state)
        #expect(state.input.text == "/review ")
        state.input = InputLine(text: "/fr")
        Reducer.completeSlashCommand(&state)
        #expect(state.input.text == "/frontend:test ")
        state.input = InputLine(text: "/")
        #expect(Reducer.slashCompletions(state) == SlashCommand.all.map { "/" + $0.name } + ["/review", "/frontend:test"])
        state.input = InputLine(text: "/rev")
        let popup = drawn(width: 60, height: 3) {
            CompletionView.draw(state, above: Rect(x: 0, y: 2, width: 60, height: 1), buffer: &$0, theme: .standard)
        }
        #expect(popup.line(1).contains("/review") && popup.line(1).contains("FILE · Review a file"))
    }

    @Test func typingOneDispatchesItToTheRuntime() {
        var state = loaded()
        #expect(Reducer.runSlashCommand(&state, "/review main.swift  now ")
            == [.recordHistory("/review main.swift  now "), .runExternalCommand(name: "review", arguments: "main.swift  now")])
        // One at a time: the next waits until the runtime answered for this one.
        #expect(Reducer.runSlashCommand(&state, "/frontend:test") == [.recordHistory("/frontend:test")])
        _ = Reducer.reduce(&state, .externalCommandNotSent(reason: "/review was stopped: nothing was sent"))
        #expect(Reducer.runSlashCommand(&state, "/frontend:test")
            == [.recordHistory("/frontend:test"), .runExternalCommand(name: "frontend:test", arguments: "")])
        // A unique prefix works as for built-ins.
        var fresh = loaded()
        #expect(Reducer.runSlashCommand(&fresh, "/fronte x").last == .runExternalCommand(name: "frontend:test", arguments: "x"))
    }

    @Test func theExpansionIsSentWithTheCommandsModelAndTools() {
        var state = loaded()
        let expanded = ExpandedCommand(prompt: "Review main.swift", model: "other-model", tools: ["read_file"],
                                       rules: [PermissionRule(tool: "run_command", pattern: "git status*", source: "allowed-tools")])
        let effects = Reducer.reduce(&state, .externalCommandExpanded(expanded))
        #expect(effects.first == .restrictNextTurn(tools: ["read_file"], rules: expanded.rules))
        guard case .submit(_, let prompt, let model) = effects.last else {
            Issue.record("not submitted: \(effects)")
            return
        }
        #expect(prompt == "Review main.swift" && model == "other-model")
        #expect(state.entries.last { $0.kind == .user }?.text == "Review main.swift")
        // Without allowed-tools: no restriction.
        var plain = loaded()
        #expect(Reducer.reduce(&plain, .externalCommandExpanded(ExpandedCommand(prompt: "p"))).count == 1)
    }

    @Test func whileATurnRunsItWaits() {
        var state = loaded()
        _ = Reducer.submit(&state, prompt: "first")
        #expect(Reducer.runSlashCommand(&state, "/review x") == [.recordHistory("/review x")])
        #expect(state.entries.last?.text.contains("waits for the running turn") == true)
    }

    @Test func aShellApprovalIsAnsweredToTheRuntime() {
        var state = loaded()
        let callID = Reducer.commandApprovalPrefix + "1"
        _ = Reducer.reduce(&state, .commandApprovalNeeded(callID: callID,
                                                          ToolPreview(toolName: "run_command", keyArgument: "git status")))
        #expect(state.approval?.callID == callID)
        #expect(Reducer.reduce(&state, .key(.character("y"))).isEmpty, "not armed yet: the key goes to the input")
        _ = Reducer.reduce(&state, .approvalArmed(callID: callID))
        #expect(Reducer.reduce(&state, .key(.character("y"))) == [.answerCommandApproval(callID: callID, approved: true)])
        #expect(state.approval == nil)
        #expect(state.entries.last?.text == "Running !`git status` for the command…")
        _ = Reducer.reduce(&state, .commandApprovalNeeded(callID: callID + "2", ToolPreview(toolName: "run_command", keyArgument: "ls")))
        _ = Reducer.reduce(&state, .approvalArmed(callID: callID + "2"))
        #expect(Reducer.reduce(&state, .key(.control("c"))) == [.answerCommandApproval(callID: callID + "2", approved: false)])
        _ = Reducer.reduce(&state, .commandApprovalNeeded(callID: callID + "3", ToolPreview(toolName: "run_command", keyArgument: "ls")))
        _ = Reducer.reduce(&state, .approvalArmed(callID: callID + "3"))
        #expect(Reducer.reduce(&state, .key(.escape)) == [.answerCommandApproval(callID: callID + "3", approved: false)])
    }

    /// While a command expands (its files read, its `!` commands run) the meter says so, Esc
    /// or Ctrl-C asks the runtime to stop it, and a message typed meanwhile waits; when the
    /// runtime says it was not sent, the reason is shown and the waiting message goes.
    @Test func anExpandingCommandCanBeStoppedAndQueuesMessages() {
        var state = loaded()
        _ = Reducer.runSlashCommand(&state, "/review x")
        #expect(state.expandingCommand == "review" && state.isBusy)
        #expect(MeterView.statusText(state) == "running /review · Esc stops it")
        let input = drawn(width: 60, height: 1) { _ = InputView.draw(state, in: Rect(x: 0, y: 0, width: 60, height: 1),
                                                                      buffer: &$0, theme: .standard) }
        #expect(input.line(0).contains("it is sent after /review"))
        #expect(Reducer.reduce(&state, .key(.escape)) == [.cancelExternalCommand])
        #expect(Reducer.reduce(&state, .key(.control("c"))) == [.cancelExternalCommand])
        for character in "meanwhile" { _ = Reducer.reduce(&state, .key(.character(character))) }
        #expect(!Reducer.reduce(&state, .key(.enter)).contains { if case .submit = $0 { true } else { false } })
        #expect(state.queued == ["meanwhile"])
        let effects = Reducer.reduce(&state, .externalCommandNotSent(reason: "/review was stopped: nothing was sent"))
        #expect(state.expandingCommand == nil)
        #expect(state.entries.contains { $0.kind == .error && $0.text == "/review was stopped: nothing was sent" })
        #expect(effects.contains { if case .submit(_, "meanwhile", _) = $0 { true } else { false } })
        #expect(MeterView.statusText(state) != "running /review · Esc stops it")
    }

    @Test func anExpansionThatArrivesEndsTheRunningState() {
        var state = loaded()
        _ = Reducer.runSlashCommand(&state, "/review x")
        _ = Reducer.reduce(&state, .externalCommandExpanded(ExpandedCommand(prompt: "Review x")))
        #expect(state.expandingCommand == nil && state.turn != nil)
        // Esc now goes to the turn, not to the finished expansion.
        #expect(Reducer.reduce(&state, .key(.escape)).contains { if case .cancel = $0 { true } else { false } })
    }
}
