import AgentCore
import Testing
import TerminalUI
@testable import App

/// Issue 12, item 8 (D137): a long session's chat keeps a bounded number of entries in
/// memory, behind one notice counting the ones dropped; the newest stay, ids stay unique.
@Suite(.timeLimit(.minutes(1))) struct LiveEntryLimitTests {
    @Test func aLongChatKeepsItsNewestEntriesBehindOneNotice() {
        var state = AppState(size: TerminalSize(columns: 80, rows: 24))
        for index in 0..<2_600 { state.append(.user, "message \(index)") }
        #expect(state.entries.count <= AppState.liveEntryLimit)
        #expect(state.entries.last?.text == "message 2599")
        #expect(state.entries.first?.kind == .notice)
        // Every entry is either shown or counted by the notice.
        #expect(state.droppedEntries + state.entries.count - 1 == 2_600)
        #expect(state.entries.first?.text.hasPrefix("\(state.droppedEntries) older entries") == true)
        #expect(state.entries.filter { $0.kind == .notice }.count == 1)
        #expect(Set(state.entries.map(\.id)).count == state.entries.count)
        #expect(state.entries.dropFirst().map(\.text) == (2_600 - state.entries.count + 1..<2_600).map { "message \($0)" })
    }

    @Test func nothingIsDroppedWhileTheUserIsScrolledBackOrOlderPagesWait() {
        var state = AppState(size: TerminalSize(columns: 80, rows: 24))
        state.scrollOffset = 40
        for index in 0..<1_500 { state.append(.user, "message \(index)") }
        #expect(state.entries.count == 1_500)
        state.scrollOffset = 0
        state.olderHistory = OlderHistory(before: 7)
        state.append(.user, "message 1500")
        #expect(state.entries.count == 1_501)
        state.olderHistory = nil
        state.append(.user, "message 1501")
        #expect(state.entries.count <= AppState.liveEntryLimit)
    }

    @Test func aShortChatIsLeftAlone() {
        var state = AppState(size: TerminalSize(columns: 80, rows: 24))
        for index in 0..<AppState.liveEntryLimit { state.append(.assistant, "reply \(index)") }
        #expect(state.entries.count == AppState.liveEntryLimit)
        #expect(state.droppedEntries == 0)
        #expect(state.entries.first?.text == "reply 0")
    }
}

/// D135-D136: the bar reads the engine's figure, whatever turn it came with.
@Suite(.timeLimit(.minutes(1))) struct ContextFigureBarTests {
    @Test func aGuessedWindowIsShownWithAQuestionMarkAndACompactionBesideTheBar() {
        var state = AppState(size: TerminalSize(columns: 120, rows: 24))
        _ = Reducer.reduce(&state, .turn(.context(turn: -1, ContextFigure(tokens: 1313, window: 8192, source: .guess,
                                                                           isEstimate: true))))
        #expect(MeterView.contextBar(state) == "▓▓░░░░░░ ~1.3k/8k?")
        _ = Reducer.reduce(&state, .turn(.compacted(turn: -1, CompactionSummary(before: 5000, after: 1313,
                                                                                  how: "summarized older turns"))))
        #expect(MeterView.contextBar(state) == "▓▓░░░░░░ ~1.3k/8k? compacted −3.7k")
        // Not a running turn's: no chat line (`/compact` answers with its own).
        #expect(state.entries.isEmpty)
    }
}
