import AgentCore
import Testing
import TerminalUI
@testable import App

/// Ctrl-O on the tool call the user scrolled to, and `/clear` while a reply streams.
@Suite(.timeLimit(.minutes(2))) struct ScreenCommandTests {
    /// A conversation of three tool calls, each followed by a reply of `replyLines` lines.
    private func threeToolCalls(replyLines: Int) -> AppState {
        var state = Scenes.withProviders(columns: 80, rows: 16)
        Scenes.type("look around", into: &state)
        _ = Reducer.reduce(&state, .key(.enter))
        for id in ["t1", "t2", "t3"] {
            let call = ToolCall(id: id, name: "read_file", arguments: #"{"path":"\#(id).txt"}"#)
            let preview = ToolPreview(toolName: "read_file", keyArgument: "\(id).txt")
            Scenes.apply([
                .turn(.toolCall(turn: 1, call: call, preview: preview)),
                .turn(.toolResult(turn: 1, callID: id, output: ToolOutput(content: "contents of \(id)", summary: "1 line"))),
                .turn(.text(turn: 1, (1...replyLines).map { "\(id) line \($0)" }.joined(separator: "\n\n"))),
            ], to: &state)
        }
        Scenes.apply([.turn(.finished(turn: 1, .stop, elapsedSeconds: 1))], to: &state)
        return state
    }

    private func expandedTools(_ state: AppState) -> [String] {
        state.entries.compactMap { entry in entry.tool?.expanded == true ? entry.tool?.callID : nil }
    }

    @Test func ctrlOExpandsTheNewestToolCallOnScreen() {
        var state = threeToolCalls(replyLines: 3)
        var renderer = FrameRenderer()
        // Following the tail, t3 is the newest tool call on screen.
        _ = renderer.render(state)
        state.visibleToolEntryID = renderer.visibleToolEntryID
        _ = Reducer.reduce(&state, .key(.control("o")))
        #expect(expandedTools(state) == ["t3"])
        _ = Reducer.reduce(&state, .key(.control("o")))
        #expect(expandedTools(state).isEmpty)
        // Scrolled up until t3 is below the view, t2 is the newest one on screen.
        var frame = renderer.render(state).frame.textLines
        while frame.contains(where: { $0.contains("t3.txt") }) || !frame.contains(where: { $0.contains("t2.txt") }) {
            _ = Reducer.reduce(&state, .key(.pageUp))
            state.scrollLimit = renderer.scrollLimit
            frame = renderer.render(state).frame.textLines
            if state.scrollOffset >= (state.scrollLimit ?? .max) { break }
        }
        state.visibleToolEntryID = renderer.visibleToolEntryID
        #expect(frame.contains { $0.contains("t2.txt") } && !frame.contains { $0.contains("t3.txt") })
        _ = Reducer.reduce(&state, .key(.control("o")))
        #expect(expandedTools(state) == ["t2"])
        #expect(renderer.render(state).frame.textLines.contains { $0.contains("contents of t2") })
    }

    @Test func ctrlOWithNoToolOnScreenExpandsTheNewestToolCall() {
        var state = threeToolCalls(replyLines: 12)
        var renderer = FrameRenderer()
        _ = renderer.render(state)
        state.visibleToolEntryID = renderer.visibleToolEntryID
        #expect(state.visibleToolEntryID == nil, "t3's long reply fills the view")
        _ = Reducer.reduce(&state, .key(.control("o")))
        #expect(expandedTools(state) == ["t3"])
    }

    @Test func clearWhileAReplyStreamsKeepsTheTurnAndItsLaterText() {
        var state = Scenes.withProviders(columns: 80, rows: 16)
        for (turn, prompt) in [(1, "first"), (2, "second")] {
            Scenes.type(prompt, into: &state)
            _ = Reducer.reduce(&state, .key(.enter))
            Scenes.apply([.turn(.text(turn: turn, "reply to \(prompt)"))], to: &state)
            if turn == 1 { Scenes.apply([.turn(.finished(turn: 1, .stop, elapsedSeconds: 1))], to: &state) }
        }
        Scenes.type("/clear", into: &state)
        _ = Reducer.reduce(&state, .key(.enter))
        Scenes.apply([.turn(.text(turn: 2, ", continued")), .turn(.finished(turn: 2, .stop, elapsedSeconds: 1))],
                     to: &state)
        #expect(state.entries.map(\.text) == ["second", "reply to second, continued"])
        #expect(state.entries.last?.status == .complete)
        // Idle, /clear empties the pane.
        Scenes.type("/clear", into: &state)
        _ = Reducer.reduce(&state, .key(.enter))
        #expect(state.entries.isEmpty)
    }
}
