import AgentCore
import Testing
import TerminalUI
@testable import App

/// The slash-command table is the only list of commands: `/help`, Tab and dispatch read it,
/// so every listed command must do something when typed.
@Suite(.timeLimit(.minutes(2))) struct SlashCommandTableTests {
    /// What a command can change that a person would see.
    struct Visible: Equatable {
        var entries: [ChatEntry]
        var overlay: Overlay?
        var shouldQuit: Bool
        var approvalMode: ApprovalMode
        var model: String?

        init(_ state: AppState) {
            entries = state.entries
            overlay = state.overlay
            shouldQuit = state.shouldQuit
            approvalMode = state.approvalMode
            model = state.provider?.model
        }
    }

    func state() -> AppState {
        var state = PanelTests().state()
        _ = Reducer.reduce(&state, .info("an earlier line", isError: false))
        return state
    }

    @Test(arguments: SlashCommand.all.map(\.name))
    func everyListedCommandDoesSomething(name: String) {
        var state = state()
        let before = Visible(state)
        let effects = Reducer.runSlashCommand(&state, "/" + name).filter {
            if case .recordHistory = $0 { false } else { true }
        }
        #expect(!effects.isEmpty || Visible(state) != before, "/\(name) did nothing")
    }

    @Test func helpAndCompletionComeFromTheTable() {
        var state = state()
        state.input = InputLine(text: "/")
        #expect(Reducer.slashCompletions(state) == SlashCommand.all.map { "/" + $0.name })
        state.themeNames = ["alpha", "beta"]
        state.input = InputLine(text: "/theme b")
        #expect(Reducer.slashCompletions(state) == ["/theme beta"])
        let help = OverlayView.helpLines(theme: .standard).map { $0.segments.map(\.text).joined() }
        for command in SlashCommand.all {
            #expect(help.contains { $0.contains("/" + command.name) && $0.contains(command.help) })
        }
    }

    @Test func exitIsNotSavedInHistory() {
        var state = state()
        let effects = Reducer.runSlashCommand(&state, "/exit")
        #expect(effects == [.quit])
        #expect(state.shouldQuit)
    }

    @Test func anAmbiguousPrefixNamesOnlyTheCommandsItMatches() {
        var state = state()
        _ = Reducer.runSlashCommand(&state, "/u")
        let line = state.entries.last?.text ?? ""
        let expected = SlashCommand.matching("u").map { "/" + $0.name }
        #expect(expected.count > 1)
        #expect(line == "/u is ambiguous: " + expected.joined(separator: " "))
        _ = Reducer.runSlashCommand(&state, "/nosuch")
        #expect(state.entries.last?.text.hasPrefix("Unknown command /nosuch. Commands: /") == true)
    }
}
