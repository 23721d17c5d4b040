import AgentCore
import Testing
import TerminalUI
@testable import App

/// A `/budget` command answers with one notice, whatever the level became (issue 14, bug 5).
@Suite(.timeLimit(.minutes(2))) struct BudgetReportTests {
    func state() -> AppState {
        AppState(size: TerminalSize(columns: 120, rows: 30), provider: ReducerTests.provider)
    }

    @Test func aLimitThatIsReachedGivesOneErrorNoticeWithTheSummary() {
        var state = state()
        let before = state.entries.count
        let reached = "session budget $0.0008 reached: $0.0009 spent this session."
        _ = Reducer.reduce(&state, .budgetReport(summary: "Budget: session $0.0009 of $0.0008, today $0.00 of none.",
                                                 .exceeded(reached)))
        #expect(state.entries.count == before + 1)
        #expect(state.entries.last?.kind == .error)
        #expect(state.entries.last?.text == "Budget: session $0.0009 of $0.0008, today $0.00 of none. " + reached)
        #expect(state.meter.budget == .exceeded(reached))
        // Asking again while nothing changed: one plain notice with the summary.
        _ = Reducer.reduce(&state, .budgetReport(summary: "Budget: …", .exceeded(reached)))
        #expect(state.entries.count == before + 2)
        #expect(state.entries.last?.text == "Budget: …")
    }

    @Test func aWarningIsTheOnlyNoticeAndAWithinLevelJustTheSummary() {
        var state = state()
        let before = state.entries.count
        _ = Reducer.reduce(&state, .budgetReport(summary: "Budget: a.", .warning("Session budget 85% used. Budget: a.")))
        _ = Reducer.reduce(&state, .budgetReport(summary: "Budget: b.", .within))
        #expect(state.entries.dropFirst(before).map(\.text) == ["Session budget 85% used. Budget: a.", "Budget: b."])
        #expect(state.meter.budget == .within)
    }
}
