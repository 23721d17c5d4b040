import AgentCore
import Testing
import TerminalUI
@testable import App

/// `/undo` and `/rewind` in the reducer: the commands ask the runtime, the picker lists the
/// points newest first, offers the three scopes and asks for the chosen one (D133).
@Suite(.timeLimit(.minutes(2))) struct RewindPickerTests {
    let points = [RewindPoint(checkpoint: 30, text: "third message", changedFiles: 1),
                  RewindPoint(checkpoint: 20, text: "second message", changedFiles: 2),
                  RewindPoint(checkpoint: 10, text: "first message", changedFiles: 2)]

    func key(_ state: inout AppState, _ key: KeyEvent) -> [Effect] {
        Reducer.reduce(&state, .key(key))
    }

    @Test func undoAndRewindAskTheRuntimeButNotDuringATurn() {
        var state = PanelTests().state()
        #expect(Reducer.runSlashCommand(&state, "/undo").contains(.undoFiles))
        #expect(Reducer.runSlashCommand(&state, "/rewind").contains(.listRewindPoints))
        state.turn = RunningTurn(id: 4, entryID: 0)
        #expect(!Reducer.runSlashCommand(&state, "/undo").contains(.undoFiles))
        #expect(state.entries.last?.text.contains("/undo waits for the running turn") == true)
        #expect(!Reducer.runSlashCommand(&state, "/rewind").contains(.listRewindPoints))
    }

    @Test func thePickerChoosesAMessageThenWhatToRestore() {
        var state = PanelTests().state()
        _ = Reducer.reduce(&state, .rewindPoints(points))
        #expect(state.layer(RewindLayer.self)?.points == points)
        _ = key(&state, .down)
        #expect(state.layer(RewindLayer.self)?.selection == 1)
        _ = key(&state, .enter)
        #expect(state.layer(RewindLayer.self)?.chosen == points[1])
        // Esc goes back to the list, Enter again to the scopes; ↓↓ Enter picks "both".
        _ = key(&state, .escape)
        #expect(state.layer(RewindLayer.self)?.chosen == nil)
        _ = key(&state, .enter)
        _ = key(&state, .down)
        _ = key(&state, .down)
        let effects = key(&state, .enter)
        #expect(effects == [.rewind(points[1], .both)])
        #expect(state.layer(RewindLayer.self) == nil)
        #expect(state.entries.last?.text == "Rewinding (both)…")
    }

    @Test func aDigitPicksTheScopeAndEscapeClosesTheList() {
        var state = PanelTests().state()
        _ = Reducer.reduce(&state, .rewindPoints(points))
        _ = key(&state, .enter)
        #expect(key(&state, .character("2")) == [.rewind(points[0], .files)])
        _ = Reducer.reduce(&state, .rewindPoints(points))
        _ = key(&state, .escape)
        #expect(state.layer(RewindLayer.self) == nil)
        _ = Reducer.reduce(&state, .rewindPoints([]))
        #expect(state.layer(RewindLayer.self) == nil)
        #expect(state.entries.last?.text.contains("Nothing to rewind to yet") == true)
    }

    @Test func thePickerShowsTheMessagesNewestFirstAndTheScopes() {
        var state = PanelTests().state()
        _ = Reducer.reduce(&state, .rewindPoints(points))
        let area = Rect(x: 0, y: 0, width: 60, height: 12)
        var buffer = ScreenBuffer(width: 60, height: 12)
        _ = state.layer(RewindLayer.self)?.draw(state, in: area, buffer: &buffer, theme: .standard)
        let text = (0..<12).map { buffer.line($0) }.joined(separator: "\n")
        #expect(text.contains("▸ third message  [1 file]"))
        #expect(text.contains("  second message  [2 files]"))
        _ = key(&state, .enter)
        var chosen = ScreenBuffer(width: 60, height: 12)
        _ = state.layer(RewindLayer.self)?.draw(state, in: area, buffer: &chosen, theme: .standard)
        let options = (0..<12).map { chosen.line($0) }.joined(separator: "\n")
        for scope in RewindScope.allCases { #expect(options.contains(scope.label)) }
        #expect(options.contains("Before: third message"))
    }

    @Test func aRewoundConversationReplacesTheChatAndRefillsTheInput() {
        var state = PanelTests().state()
        _ = Reducer.reduce(&state, .info("old line", isError: false))
        let messages = [ChatMessage(role: .user, content: "first message"), ChatMessage(role: .assistant, content: "ok")]
        _ = Reducer.reduce(&state, .conversationRewound(messages: messages, prompt: "second message",
                                                        report: "restored c.txt; conversation rewound"))
        #expect(state.entries.map(\.text) == ["first message", "ok", "restored c.txt; conversation rewound"])
        #expect(state.input.text == "second message")
    }
}
