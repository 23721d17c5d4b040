import AgentCore
import Testing
import TerminalUI
@testable import App

/// The layout is computed in one place (`ScreenLayout`), read by the renderer and the reducer.
@Suite(.timeLimit(.minutes(2))) struct ScreenLayoutTests {
    @Test func pagingMovesTheChatHeightLessTwoLines() {
        var state = PanelTests().state()
        let layout = ScreenLayout(for: state)
        #expect(layout.pageLines == layout.chat.height - 2)
        #expect(Reducer.pageSize(state) == layout.pageLines)
        // A taller input leaves a shorter chat, and a shorter page.
        state.input = InputLine(text: "one\ntwo\nthree")
        #expect(ScreenLayout(for: state).chat.height < layout.chat.height)
        #expect(Reducer.pageSize(state) == ScreenLayout(for: state).pageLines)
    }

    @Test func thePickerPlacesTheCursorAfterItsFilterText() {
        var state = PanelTests().state()
        _ = Reducer.reduce(&state, .key(.control("p")))
        for character in "lla" { _ = Reducer.reduce(&state, .key(.character(character))) }
        var renderer = FrameRenderer()
        let (frame, cursor) = renderer.render(state)
        let line = frame.textLines[cursor.y]
        let beforeCursor = String(line.prefix(cursor.x))
        #expect(beforeCursor.hasSuffix("Filter: lla"))
    }
}
