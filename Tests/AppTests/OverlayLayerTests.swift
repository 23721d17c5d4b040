import AgentCore
import Testing
import TerminalUI
@testable import App

/// A new overlay is one type plus one push: this file adds one (a notice box that closes on
/// Enter and lets every other key through) without touching the app's code.
struct NoticeLayer: OverlayLayer {
    var text: String

    func handle(_ key: KeyEvent, _ state: inout AppState) -> [Effect]? {
        guard key == .enter else { return nil }
        state.removeLayers(NoticeLayer.self)
        return [.listSessions]
    }

    func draw(_ state: AppState, in area: Rect, buffer: inout ScreenBuffer, theme: Theme) -> (x: Int, y: Int)? {
        buffer.put("[ " + text + " ]", x: area.x + 2, y: area.y + 3, style: theme.accent, maxX: area.maxX)
        return (area.x + 2, area.y + 3)
    }
}

@Suite(.timeLimit(.minutes(2))) struct OverlayLayerTests {
    @Test func aPushedLayerDrawsTakesItsKeysAndLetsTheRestThrough() {
        var state = PanelTests().state()
        state.push(NoticeLayer(text: "Heads up"))
        var renderer = FrameRenderer()
        var (frame, cursor) = renderer.render(state)
        #expect(frame.textLines.contains { $0.contains("[ Heads up ]") })
        #expect(frame.textLines[cursor.y].dropFirst(cursor.x).hasPrefix("[ Heads up ]"))
        // A key the layer lets through reaches the input line below it.
        _ = Reducer.reduce(&state, .key(.character("x")))
        #expect(state.input.text == "x")
        // Its own key closes it and asks for its effect.
        #expect(Reducer.reduce(&state, .key(.enter)) == [.listSessions])
        #expect(state.layers.isEmpty)
        (frame, cursor) = renderer.render(state)
        #expect(!frame.textLines.contains { $0.contains("Heads up") })
    }

    @Test func layersDrawBottomUpAndKeysGoTopDown() {
        var state = PanelTests().state()
        state.overlay = .help(scroll: 0)
        state.push(NoticeLayer(text: "On top"))
        var renderer = FrameRenderer()
        let lines = renderer.render(state).frame.textLines
        #expect(lines.contains { $0.contains("Help · Esc closes") })
        #expect(lines.contains { $0.contains("[ On top ]") })
        // Enter goes to the top layer; Esc, which it lets through, closes the help below.
        #expect(Reducer.reduce(&state, .key(.enter)) == [.listSessions])
        state.push(NoticeLayer(text: "Again"))
        _ = Reducer.reduce(&state, .key(.escape))
        #expect(state.overlay == nil)
        #expect(state.layer(NoticeLayer.self)?.text == "Again")
    }

    @Test func anApprovalStaysAboveAPanelOpenedUnderIt() {
        var state = PanelTests().state()
        state.approval = PendingApproval(turn: 1, callID: "c", preview: ToolPreview(toolName: "run_command", keyArgument: "ls"))
        state.overlay = .help(scroll: 0)
        #expect(state.layers.count == 2)
        #expect(state.layers.last is ApprovalLayer)
        state.overlay = nil
        #expect(state.approval?.callID == "c")
    }
}
