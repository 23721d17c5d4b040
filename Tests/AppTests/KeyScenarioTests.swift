import AgentCore
import Testing
import TerminalUI
@testable import App

/// Key sequences through the reducer, checked on screen: cancel, model switch, scrolling
/// while text streams in.
@Suite(.timeLimit(.minutes(2))) struct KeyScenarioTests {
    @Test func typeEnterThenEscapeCancelsAndTheFrameShowsIt() {
        var state = Scenes.withProviders(columns: 60, rows: 12)
        Scenes.type("write a poem", into: &state)
        #expect(Reducer.reduce(&state, .key(.enter)) == [
            .recordHistory("write a poem"), .submit(turn: 1, prompt: "write a poem", model: "qwen2.5-coder:7b"),
        ])
        Scenes.apply([.turn(.text(turn: 1, "Roses are"))], to: &state)
        var renderer = FrameRenderer()
        #expect(renderer.render(state).frame.textLines[2] == "   Roses are▍")
        #expect(Reducer.reduce(&state, .key(.escape)) == [.cancel(turn: 1)])
        // Late text of the cancelled turn is dropped; the partial reply stays, marked.
        Scenes.apply([.turn(.text(turn: 1, " red")), .turn(.cancelled(turn: 1))], to: &state)
        let lines = renderer.render(state).frame.textLines
        #expect(Array(lines[0...4]) == [" › write a poem", "", "   Roses are", "   [cancelled]", ""])
        #expect(lines[11] == "› Type a prompt · Enter sends · / commands · ? help")
        #expect(lines[10].hasSuffix("ready · ask"))
        // Esc with nothing running does nothing.
        #expect(Reducer.reduce(&state, .key(.escape)).isEmpty)
    }

    @Test func ctrlPFilterDownEnterSwitchesToTheSecondMatch() {
        var state = Scenes.withProviders()
        _ = Reducer.reduce(&state, .key(.control("p")))
        Scenes.apply([.providerModels(name: "cloud", .failed("bad or missing API key"))], to: &state)
        Scenes.type("coder", into: &state)
        let rows = Reducer.pickerRows(state, filter: "coder").map(\.model.id)
        #expect(rows == ["qwen2.5-coder:7b", "deepseek-coder-v2:16b"])
        _ = Reducer.reduce(&state, .key(.down))
        let effects = Reducer.reduce(&state, .key(.enter))
        #expect(effects == [.switchModel(provider: "local", model: "deepseek-coder-v2:16b")])
        #expect(state.overlay == nil)
        #expect(state.provider?.model == "deepseek-coder-v2:16b")
        #expect(state.activeModel?.contextWindow == 163_840)
        var renderer = FrameRenderer()
        let lines = renderer.render(state).frame.textLines
        #expect(lines.contains { $0.hasPrefix(" · Using deepseek-coder-v2:16b on local from the next message.") })
        #expect(lines.contains { $0.hasSuffix("│  deepseek-coder-v2:16b") })
    }

    @Test func typingInThePickerFiltersAndBackspaceWidensAgain() {
        var state = Scenes.withProviders()
        _ = Reducer.reduce(&state, .key(.control("p")))
        Scenes.type("zzz", into: &state)
        var renderer = FrameRenderer()
        #expect(renderer.render(state).frame.textLines.contains { $0.contains("  no match") })
        #expect(Reducer.reduce(&state, .key(.enter)).isEmpty)  // nothing to pick
        Scenes.apply([.key(.backspace), .key(.backspace), .key(.backspace)], to: &state)
        #expect(Reducer.pickerRows(state, filter: "").count == 3)
        _ = Reducer.reduce(&state, .key(.escape))
        #expect(state.overlay == nil)
        #expect(state.provider?.model == "qwen2.5-coder:7b")
    }

    /// A turn streaming many numbered lines into a 60x12 terminal.
    func streamingState() -> AppState {
        var state = Scenes.withProviders(columns: 60, rows: 12)
        Scenes.type("count", into: &state)
        Scenes.apply([.key(.enter)], to: &state)
        for number in 1...30 { Scenes.apply([.turn(.text(turn: 1, "line \(number)\n"))], to: &state) }
        return state
    }

    @Test func pageUpStopsFollowingNewTextDoesNotScrollEndFollowsAgain() {
        var state = streamingState()
        var renderer = FrameRenderer()
        let following = renderer.render(state).frame.textLines
        // The cursor follows the last line (a trailing newline opens no empty line).
        #expect(following[9] == "   line 30▍")
        _ = Reducer.reduce(&state, .key(.pageUp))
        #expect(state.scrollOffset == 8)
        let scrolled = renderer.render(state).frame.textLines
        #expect(Array(scrolled[0...8]) == (13...21).map { "   line \($0)" })
        #expect(scrolled[9] == " ↓ End follows the conversation again")
        // Text streams in: the view stays on the same lines, the hint counts what arrived.
        for number in 31...35 { Scenes.apply([.turn(.text(turn: 1, "line \(number)\n"))], to: &state) }
        let stillScrolled = renderer.render(state).frame.textLines
        #expect(Array(stillScrolled[0...8]) == Array(scrolled[0...8]))
        #expect(stillScrolled[9] == " ↓ 5 new lines · End follows the conversation again")
        // End follows again: the newest text is at the bottom.
        _ = Reducer.reduce(&state, .key(.end))
        #expect(state.scrollOffset == 0)
        let followingAgain = renderer.render(state).frame.textLines
        #expect(followingAgain[9] == "   line 35▍")
        Scenes.apply([.turn(.text(turn: 1, "line 36\n"))], to: &state)
        #expect(renderer.render(state).frame.textLines[9] == "   line 36▍")
    }

    @Test func pageDownBackToTheTailFollowsAndEndInTheInputMovesTheCursor() {
        var state = streamingState()
        var renderer = FrameRenderer()
        _ = renderer.render(state)
        Scenes.apply([.key(.pageUp), .key(.pageUp)], to: &state)
        #expect(state.scrollOffset == 16)
        _ = renderer.render(state)
        Scenes.apply([.key(.pageDown), .key(.pageDown)], to: &state)
        #expect(state.scrollOffset == 0)
        #expect(renderer.render(state).frame.textLines[9] == "   line 30▍")
        // Not scrolled: End moves the input cursor to the end of the line instead.
        Scenes.type("ab", into: &state)
        Scenes.apply([.key(.home), .key(.end)], to: &state)
        #expect(state.input.cursor == 2)
    }
}
