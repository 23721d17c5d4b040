import AgentCore
import Testing
import TerminalUI
@testable import App

/// Esc and Ctrl-C during a `!` command stop that command; neither quits the app.
@Suite(.timeLimit(.minutes(2))) struct ShellCancelTests {
    func runningShell() -> (AppState, Int) {
        var state = AppState(size: TerminalSize(columns: 120, rows: 40), provider: ReducerTests.provider)
        for character in "!sleep 100" { _ = Reducer.reduce(&state, .key(.character(character))) }
        let effects = Reducer.reduce(&state, .key(.enter))
        guard case .runShell(let entryID, "sleep 100") = effects.last else {
            Issue.record("expected a shell run, got \(effects)")
            return (state, -1)
        }
        return (state, entryID)
    }

    @Test(arguments: [KeyEvent.escape, .control("c")])
    func aKeyStopsTheRunningCommand(key: KeyEvent) {
        var (state, entryID) = runningShell()
        #expect(Reducer.reduce(&state, .key(key)) == [.cancelShell(entryID: entryID)])
        _ = Reducer.reduce(&state, .shellFinished(entryID: entryID, ToolOutput(content: "cancelled", isError: true, summary: "cancelled")))
        // Once it ended, Ctrl-C twice quits as usual.
        #expect(!Reducer.reduce(&state, .key(.control("c"))).contains(.quit))
        #expect(Reducer.reduce(&state, .key(.control("c"))).contains(.quit))
    }
}

/// `/permissions` asks the runtime for the rules in force.
@Suite(.timeLimit(.minutes(2))) struct PermissionsCommandTests {
    @Test func permissionsAsksForTheRules() {
        var state = AppState(size: TerminalSize(columns: 120, rows: 40), provider: ReducerTests.provider)
        for character in "/permissions" { _ = Reducer.reduce(&state, .key(.character(character))) }
        #expect(Reducer.reduce(&state, .key(.enter)).contains(.showPermissions))
    }
}
