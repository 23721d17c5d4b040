import TerminalUI

/// Every key binding and slash command, scrollable. Esc, Ctrl-C or F1 (at the top) close it.
struct HelpLayer: PanelLayer {
    var scroll: Int
    var overlay: Overlay { .help(scroll: scroll) }

    func handle(_ key: KeyEvent, _ state: inout AppState) -> [Effect]? {
        if Reducer.closesPanel(key) || (key == .function(1) && scroll == 0) {
            state.overlay = nil
        } else {
            state.overlay = .help(scroll: Reducer.scrolled(scroll, key))
        }
        state.touch()
        return []
    }

    func draw(_ state: AppState, in area: Rect, buffer: inout ScreenBuffer, theme: Theme) -> (x: Int, y: Int)? {
        guard let inner = OverlayView.panel(over: area, buffer: &buffer, theme: theme) else { return nil }
        OverlayView.list(title: "Help · Esc closes", lines: OverlayView.helpLines(theme: theme, externalCommands: state.externalCommands), scroll: scroll,
                         in: inner, buffer: &buffer, theme: theme)
        return nil
    }
}
