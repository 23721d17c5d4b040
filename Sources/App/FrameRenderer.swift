import TerminalUI

/// Turns the app state into a full frame. Holds the wrap cache between frames.
public struct FrameRenderer {
    private var chatCache = ChatLayoutCache()
    /// The sidebar's last drawing, reused while what it shows is unchanged (D186).
    private var sidebarDrawing = ReusedDrawing<SidebarView.Inputs>()
    /// The meter's last drawing, reused while its figures' inputs are unchanged (D189).
    private var meterDrawing = ReusedDrawing<MeterView.Inputs>()
    public var theme: Theme

    public init(theme: Theme = .standard) { self.theme = theme }

    /// The largest useful chat scroll offset as of the last `render`, when that frame reached
    /// the top of the conversation (see `AppState.scrollLimit`).
    public var scrollLimit: Int? { chatCache.scrollLimit }

    /// The newest tool entry with a line on screen in the last `render` (see
    /// `AppState.visibleToolEntryID`).
    public var visibleToolEntryID: Int? { chatCache.visibleToolEntryID }

    /// How many chat entries have laid-out lines cached (bounded; see `ChatLayoutCache.trim`).
    public var cachedEntryCount: Int { chatCache.count }

    /// Draws every view for `state` into a fresh buffer; returns it and the cursor position.
    public mutating func render(_ state: AppState) -> (frame: ScreenBuffer, cursor: (x: Int, y: Int)) {
        var buffer = ScreenBuffer(width: state.size.columns, height: state.size.rows)
        let layout = ScreenLayout(for: state)
        ChatView.draw(state, in: layout.chat.inset(horizontal: 1, vertical: 0), buffer: &buffer,
                      cache: &chatCache, theme: theme)
        if let sidebar = layout.sidebar {
            sidebarDrawing.draw(SidebarView.Inputs(state, rect: sidebar, theme: theme), in: sidebar, buffer: &buffer) {
                SidebarView.draw(state, in: sidebar, buffer: &$0, theme: theme)
            }
        }
        // The layers, bottom-up; one that takes typing (the picker's filter) places the cursor.
        var overlayCursor: (x: Int, y: Int)?
        for layer in state.layers {
            if let cursor = layer.draw(state, in: layout.chat, buffer: &buffer, theme: theme) { overlayCursor = cursor }
        }
        let showsModel = layout.sidebar == nil
        meterDrawing.draw(MeterView.Inputs(state, rect: layout.meter, theme: theme, showsModel: showsModel),
                          in: layout.meter, buffer: &buffer) {
            MeterView.draw(state, in: layout.meter, buffer: &$0, theme: theme, showsModel: showsModel)
        }
        if state.layers.isEmpty {
            // Over the chat pane only: the sidebar's border stays whole.
            let above = Rect(x: layout.meter.x, y: layout.meter.y, width: layout.chat.width, height: 1)
            CompletionView.draw(state, above: above, buffer: &buffer, theme: theme)
        }
        let inputCursor = InputView.draw(state, in: layout.input, buffer: &buffer, theme: theme)
        let cursor = overlayCursor ?? inputCursor
        chatCache.trim(to: state.entries)
        return (buffer, cursor)
    }
}

/// A pane's last drawing and the inputs it was drawn from: while they are equal the cells are
/// pasted back instead of drawn again (the sidebar D186, the meter D189). The pane must be
/// the only writer of its rectangle.
struct ReusedDrawing<Inputs: Equatable> {
    private var inputs: Inputs?
    private var cells: [Cell] = []

    /// Pastes the last drawing into `rect` when `inputs` equal its inputs, else runs `draw`
    /// and keeps what it drew there.
    mutating func draw(_ inputs: Inputs, in rect: Rect, buffer: inout ScreenBuffer,
                       _ draw: (inout ScreenBuffer) -> Void) {
        if inputs == self.inputs {
            buffer.paste(cells, in: rect)
            return
        }
        draw(&buffer)
        self.inputs = inputs
        cells = buffer.cells(in: rect)
    }
}
