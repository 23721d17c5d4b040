import AgentCore
import Testing
import TerminalUI
@testable import App

/// The sessions picker (`/sessions`), drawn into a buffer of its size and compared cell by
/// cell; Down moves the selection, Enter resumes the selected session.
@Suite(.timeLimit(.minutes(2))) struct SessionsPickerWidgetTests {
    let theme = ExpectedCells.theme
    let cells = ExpectedCells()

    static let rows = [
        SessionRow(id: 3, label: "2026-12-02 09:14  6 msgs  qwen  fix the parser"),
        SessionRow(id: 2, label: "2026-12-01 18:40  2 msgs  qwen  重构 🙂 module"),
        SessionRow(id: 1, label: "2026-11-30 08:02  12 msgs  gpt-4o  a long title that is cut at the border"),
    ]

    @Test func theSelectedSessionIsMarkedAndEnterResumesIt() throws {
        var state = Scenes.withProviders(columns: 60, rows: 20)
        _ = Reducer.reduce(&state, .sessionsListed(Self.rows))
        _ = Reducer.reduce(&state, .key(.down))
        let overlay = try #require(state.overlay)
        cells.expect(drawn(width: 50, height: 7) {
            OverlayView.draw(overlay, state: state, in: Rect(x: 0, y: 0, width: 50, height: 7), buffer: &$0, theme: theme)
        }, text: [
            " ╭──────────────────────────────────────────────╮",
            " │ Resume a session · ↑↓ Enter · Esc closes     │",
            " │   2026-12-02 09:14  6 msgs  qwen  fix the p… │",
            " │ ▸ 2026-12-01 18:40  2 msgs  qwen  重构 🙂 m… │",
            " │   2026-11-30 08:02  12 msgs  gpt-4o  a long… │",
            " │                                              │",
            " ╰──────────────────────────────────────────────╯",
        ], masks: [
            " bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb ",
            " btaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaatttttb ",
            " btaatttttttttttttttttttttttttttttttttttttttttttb ",
            " btaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaatb ",
            " btaatttttttttttttttttttttttttttttttttttttttttttb ",
            " bttttttttttttttttttttttttttttttttttttttttttttttb ",
            " bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb ",
        ])
        #expect(Reducer.reduce(&state, .key(.enter)).contains(.resumeSession(2)))
    }
}
