import TerminalUI

/// Where each part of the screen goes for a given terminal size.
public struct ScreenLayout: Sendable, Hashable {
    public var chat: Rect
    /// `nil` when the terminal is too narrow (the meter then names the model).
    public var sidebar: Rect?
    public var meter: Rect
    public var input: Rect

    /// Columns at or above which the sidebar is shown.
    public static let sidebarMinimumColumns = 100
    /// Width of the sidebar including its border column.
    public static let sidebarWidth = 32

    public init(size: TerminalSize) {
        let screen = Rect(x: 0, y: 0, width: size.columns, height: size.rows)
        let (aboveInput, input) = screen.splitBottom(1)
        let (main, meter) = aboveInput.splitBottom(1)
        if size.columns >= Self.sidebarMinimumColumns {
            let (chat, sidebar) = main.splitRight(Self.sidebarWidth)
            self.chat = chat
            self.sidebar = sidebar
        } else {
            chat = main
            sidebar = nil
        }
        self.meter = meter
        self.input = input
    }
}
