import TerminalUI

/// Turns the app state into a full frame. Holds the wrap cache between frames.
public struct FrameRenderer {
    private var chatCache = ChatLayoutCache()
    public var theme: Theme

    public init(theme: Theme = .standard) { self.theme = theme }

    /// Draws every view for `state` into a fresh buffer; returns it and the cursor position.
    public mutating func render(_ state: AppState) -> (frame: ScreenBuffer, cursor: (x: Int, y: Int)) {
        var buffer = ScreenBuffer(width: state.size.columns, height: state.size.rows)
        let layout = ScreenLayout(size: state.size)
        ChatView.draw(state, in: layout.chat.inset(horizontal: 1, vertical: 0), buffer: &buffer,
                      cache: &chatCache, theme: theme)
        if let sidebar = layout.sidebar {
            SidebarView.draw(state, in: sidebar, buffer: &buffer, theme: theme)
        }
        if let approval = state.approval {
            ApprovalView.draw(approval, in: layout.chat, buffer: &buffer, theme: theme)
        }
        MeterView.draw(state, in: layout.meter, buffer: &buffer, theme: theme, showsModel: layout.sidebar == nil)
        let cursor = InputView.draw(state, in: layout.input, buffer: &buffer, theme: theme)
        chatCache.retain(ids: Set(state.entries.suffix(256).map(\.id)))
        return (buffer, cursor)
    }
}
