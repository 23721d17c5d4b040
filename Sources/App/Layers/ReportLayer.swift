import TerminalUI

/// A read-only report (`/usage`), scrollable; long lines go on, indented, on the next rows.
struct ReportLayer: PanelLayer {
    var title: String
    var lines: [String]
    var scroll: Int
    var overlay: Overlay { .report(title: title, lines: lines, scroll: scroll) }

    func handle(_ key: KeyEvent, _ state: inout AppState) -> [Effect]? {
        state.overlay = Reducer.closesPanel(key) ? nil
            : .report(title: title, lines: lines, scroll: Reducer.scrolled(scroll, key))
        state.touch()
        return []
    }

    func draw(_ state: AppState, in area: Rect, buffer: inout ScreenBuffer, theme: Theme) -> (x: Int, y: Int)? {
        guard let inner = OverlayView.panel(over: area, buffer: &buffer, theme: theme) else { return nil }
        let styled = OverlayView.wrapped(lines, width: inner.width).map { StyledLine([($0, theme.text)]) }
        OverlayView.list(title: title + " · Esc closes", lines: styled, scroll: scroll, in: inner, buffer: &buffer,
                         theme: theme)
        return nil
    }
}
