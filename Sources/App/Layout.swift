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

    /// Whether the sidebar shows when the user has not toggled it: at 100 columns or more.
    public static func showsSidebarByDefault(_ size: TerminalSize) -> Bool {
        size.columns >= sidebarMinimumColumns
    }

    /// The layout of `state`'s screen: the one place both the renderer and the reducer
    /// (paging, for one) read sizes from.
    public init(for state: AppState) {
        self.init(size: state.size, sidebar: state.sidebarShown,
                  inputRows: InputView.rowsWanted(state, width: state.size.columns))
    }

    /// Lines PgUp/PgDn move the chat: its height less two lines kept for context.
    public var pageLines: Int { max(1, chat.height - 2) }

    /// - Parameters:
    ///   - sidebar: `nil` for the default by width; else the user's choice (F2), which still
    ///     needs room for a chat pane of 40 columns.
    ///   - inputRows: rows of the input editor (it grows with its lines).
    public init(size: TerminalSize, sidebar wanted: Bool? = nil, inputRows: Int = 1) {
        let screen = Rect(x: 0, y: 0, width: size.columns, height: size.rows)
        let (aboveInput, input) = screen.splitBottom(max(1, min(inputRows, size.rows / 3)))
        let (main, meter) = aboveInput.splitBottom(1)
        let wantsSidebar = wanted ?? Self.showsSidebarByDefault(size)
        if wantsSidebar && size.columns >= Self.sidebarWidth + 40 {
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
