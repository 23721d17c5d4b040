import TerminalUI

/// The sessions picker: earlier sessions of this directory; Enter resumes the selected one.
struct SessionsLayer: PanelLayer {
    var rows: [SessionRow]
    var selection: Int
    var overlay: Overlay { .sessions(rows: rows, selection: selection) }

    func handle(_ key: KeyEvent, _ state: inout AppState) -> [Effect]? {
        if Reducer.closesPanel(key) {
            state.overlay = nil
        } else if key == .enter, rows.indices.contains(selection) {
            state.overlay = nil
            state.resuming = true
            state.touch()
            return Reducer.cancelForSwitch(&state) + [.resumeSession(rows[selection].id)]
        } else {
            state.overlay = .sessions(rows: rows, selection: Reducer.moved(selection, key, count: rows.count))
        }
        state.touch()
        return []
    }

    func draw(_ state: AppState, in area: Rect, buffer: inout ScreenBuffer, theme: Theme) -> (x: Int, y: Int)? {
        guard let inner = OverlayView.panel(over: area, buffer: &buffer, theme: theme) else { return nil }
        let lines = rows.enumerated().map { index, row in
            StyledLine([(index == selection ? "▸ " : "  ", theme.accent),
                        (DisplayWidth.truncated(row.label, toFit: inner.width - 2),
                         index == selection ? theme.accent : theme.text)])
        }
        OverlayView.list(title: "Resume a session · ↑↓ Enter · Esc closes", lines: lines,
                         scroll: max(0, selection - inner.height + 3), in: inner, buffer: &buffer, theme: theme)
        return nil
    }
}
