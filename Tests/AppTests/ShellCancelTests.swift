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

    func meter(_ state: AppState) -> String {
        drawn(width: 120, height: 1) {
            MeterView.draw(state, in: Rect(x: 0, y: 0, width: 120, height: 1), buffer: &$0,
                           theme: ExpectedCells.theme, showsModel: false)
        }.textLines[0]
    }

    /// The meter says the command runs, its output shows as it comes, and what it printed
    /// stays once it ends (issue 14, bug 2).
    @Test func theMeterSaysACommandRunsAndItsOutputShowsLive() {
        var (state, entryID) = runningShell()
        #expect(meter(state).contains("running ! command · Esc stops it"))
        #expect(!meter(state).contains("ready"))
        _ = Reducer.reduce(&state, .shellOutput(entryID: entryID, "tick 1\ntick 2\n"))
        var renderer = FrameRenderer()
        #expect(renderer.render(state).frame.textLines.contains { $0.contains("tick 2") })
        _ = Reducer.reduce(&state, .shellFinished(entryID: entryID, ToolOutput(content: "tick 1\ntick 2\n", summary: "exit 0")))
        #expect(meter(state).contains("ready"))
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
