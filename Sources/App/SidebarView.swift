import AgentCore
import TerminalUI

/// The right-hand panel: the active provider, its connection, the model and the keys.
enum SidebarView {
    static func draw(_ state: AppState, in rect: Rect, buffer: inout ScreenBuffer, theme: Theme) {
        guard !rect.isEmpty else { return }
        for y in rect.y..<rect.maxY { buffer.put("│", x: rect.x, y: y, style: theme.border) }
        let content = Rect(x: rect.x + 2, y: rect.y, width: rect.width - 3, height: rect.height)
        var row = content.y
        func line(_ text: String, _ style: Style, indent: Int = 0) {
            for piece in TextWrapper.wrap(text, width: max(1, content.width - indent)) {
                guard row < content.maxY else { return }
                buffer.put(piece, x: content.x + indent, y: row, style: style, maxX: content.maxX)
                row += 1
            }
        }
        line("Provider", theme.accent)
        if let provider = state.provider {
            line(provider.name, theme.text, indent: 1)
            line(provider.kind, theme.muted, indent: 1)
            line(provider.baseURL, theme.muted, indent: 1)
            let (status, style) = connectionLine(provider.connection, theme: theme)
            line(status, style, indent: 1)
            row += 1
            line("Model", theme.accent)
            line(provider.model ?? "(none set)", provider.model == nil ? theme.warning : theme.text, indent: 1)
        } else {
            line("none configured", theme.warning, indent: 1)
        }
        row += 1
        line("Keys", theme.accent)
        for (keys, meaning) in keyHelp { line("\(keys.padding(to: 10))\(meaning)", theme.muted, indent: 1) }
    }

    static let keyHelp: [(String, String)] = [
        ("Enter", "send"),
        ("Esc", "cancel reply"),
        ("Ctrl-C", "cancel / quit"),
        ("Ctrl-D", "quit"),
        ("PgUp/PgDn", "scroll"),
    ]

    static func connectionLine(_ status: ConnectionStatus, theme: Theme) -> (String, Style) {
        switch status {
        case .unknown: ("○ not checked", theme.muted)
        case .checking: ("… connecting", theme.muted)
        case .online(let count): ("● online · \(count) model\(count == 1 ? "" : "s")", theme.success)
        case .offline(let reason): ("○ offline: \(reason)", theme.error)
        }
    }
}

extension String {
    /// The string padded with spaces to at least `width` columns.
    func padding(to width: Int) -> String {
        let current = DisplayWidth.of(self)
        return current >= width ? self + " " : self + String(repeating: " ", count: width - current)
    }
}
