import AgentCore
import TerminalUI

/// `/rewind`'s picker (D133): the session's earlier user messages, newest first; Enter on one
/// offers what to restore (the conversation, the files, or both), Enter again does it.
struct RewindLayer: OverlayLayer {
    var points: [RewindPoint]
    var selection = 0
    /// The point chosen, while the scope is asked; `nil` while picking the message.
    var chosen: RewindPoint?
    var scope = 0

    func handle(_ key: KeyEvent, _ state: inout AppState) -> [Effect]? {
        if Reducer.closesPanel(key) {
            if chosen != nil, key == .escape {
                state.updateLayer(RewindLayer.self) { $0.chosen = nil }
            } else {
                state.removeLayers(RewindLayer.self)
            }
            return []
        }
        guard let chosen else {
            if key == .enter, points.indices.contains(selection) {
                state.updateLayer(RewindLayer.self) { $0.chosen = points[selection]; $0.scope = 0 }
            } else {
                state.updateLayer(RewindLayer.self) { $0.selection = Reducer.moved(selection, key, count: points.count) }
            }
            return []
        }
        let scopes = RewindScope.allCases
        var picked: RewindScope?
        if key == .enter { picked = scopes[scope] }
        if case .character(let typed) = key, let digit = Int(String(typed)), (1...scopes.count).contains(digit) {
            picked = scopes[digit - 1]
        }
        guard let picked else {
            state.updateLayer(RewindLayer.self) { $0.scope = Reducer.moved(scope, key, count: scopes.count) }
            return []
        }
        state.removeLayers(RewindLayer.self)
        return Reducer.rewind(&state, to: chosen, picked)
    }

    func draw(_ state: AppState, in area: Rect, buffer: inout ScreenBuffer, theme: Theme) -> (x: Int, y: Int)? {
        guard let inner = OverlayView.panel(over: area, buffer: &buffer, theme: theme) else { return nil }
        if let chosen {
            let files = chosen.changedFiles == 1 ? "1 file" : "\(chosen.changedFiles) files"
            var lines = [StyledLine([("Before: " + DisplayWidth.truncated(Self.oneLine(chosen.text), toFit: inner.width - 8),
                                      theme.text)]),
                         StyledLine([("(\(files) changed since)", theme.muted)])]
            for (index, option) in RewindScope.allCases.enumerated() {
                lines.append(StyledLine([(index == scope ? "▸ " : "  ", theme.accent),
                                         ("\(index + 1). \(option.label)", index == scope ? theme.accent : theme.text)]))
            }
            OverlayView.list(title: "Rewind · ↑↓ Enter or 1-3 · Esc back", lines: lines, scroll: 0,
                             in: inner, buffer: &buffer, theme: theme)
            return nil
        }
        let lines = points.enumerated().map { index, point in
            let files = point.changedFiles > 0 ? "  [\(point.changedFiles) file\(point.changedFiles == 1 ? "" : "s")]" : ""
            let text = DisplayWidth.truncated(Self.oneLine(point.text) + files, toFit: max(1, inner.width - 2))
            return StyledLine([(index == selection ? "▸ " : "  ", theme.accent),
                               (text, index == selection ? theme.accent : theme.text)])
        }
        OverlayView.list(title: "Rewind to before a message · ↑↓ Enter · Esc closes", lines: lines,
                         scroll: max(0, selection - inner.height + 3), in: inner, buffer: &buffer, theme: theme)
        return nil
    }

    /// A message on one line (its line breaks shown as spaces), visible characters only.
    static func oneLine(_ text: String) -> String {
        VisibleText.string(String(text.prefix(400)).split(whereSeparator: \.isNewline).joined(separator: " "))
    }
}
