import AgentCore
import FoundationEssentials
import Testing
import TerminalUI
@testable import App

/// A resumed session holds its recent part; scrolling to its top reads the page before (D73).
@Suite(.timeLimit(.minutes(2))) struct OlderHistoryTests {
    private func resumed(_ count: Int, from start: Int, older: OlderHistory?) -> AppState {
        var state = AppState(size: TerminalSize(columns: 80, rows: 12), provider: ReducerTests.provider)
        let messages = (start..<(start + count)).map { ChatMessage(role: $0 % 2 == 0 ? .user : .assistant, content: "m\($0)") }
        _ = Reducer.reduce(&state, .conversationLoaded(ResumedSession(messages: messages, older: older)))
        return state
    }

    @Test func scrollingToTheTopAsksOnceForTheOlderPage() {
        var state = resumed(30, from: 100, older: OlderHistory(before: 100))
        var renderer = FrameRenderer()
        var asked: [Effect] = []
        for _ in 0..<20 {
            _ = renderer.render(state)
            state.scrollLimit = renderer.scrollLimit
            asked += Reducer.reduce(&state, .key(.pageUp))
        }
        #expect(asked == [.loadOlder(before: 100)])
        #expect(state.olderHistory?.loading == true)
    }

    @Test func aFullyLoadedSessionAsksForNothing() {
        var state = resumed(30, from: 0, older: nil)
        var renderer = FrameRenderer()
        for _ in 0..<20 {
            _ = renderer.render(state)
            state.scrollLimit = renderer.scrollLimit
            #expect(Reducer.reduce(&state, .key(.pageUp)).isEmpty)
        }
    }

    @Test func anOlderPageGoesInFrontAndTheViewKeepsItsPlace() {
        var state = resumed(30, from: 100, older: OlderHistory(before: 100, loading: true))
        state.scrollOffset = 7
        let ids = Set(state.entries.map(\.id))
        let page = (60..<100).map { ChatMessage(role: $0 % 2 == 0 ? .user : .assistant, content: "m\($0)") }
        _ = Reducer.reduce(&state, .olderMessagesLoaded(OlderMessages(messages: page, older: OlderHistory(before: 60))))
        #expect(state.entries.map(\.text) == (60..<130).map { "m\($0)" })
        #expect(Set(state.entries.map(\.id)).count == 70)
        #expect(ids.isSubset(of: Set(state.entries.map(\.id))))
        #expect(state.scrollOffset == 7)
        #expect(state.olderHistory == OlderHistory(before: 60))
    }

    @Test func newAndClearForgetTheOlderPages() {
        for command in ["/new", "/clear"] {
            var state = resumed(30, from: 100, older: OlderHistory(before: 100))
            command.forEach { _ = Reducer.reduce(&state, .key(.character($0))) }
            _ = Reducer.reduce(&state, .key(.enter))
            #expect(state.olderHistory == nil, "\(command)")
        }
    }
}
