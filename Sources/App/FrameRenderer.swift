import TerminalUI

/// Turns the app state into a full frame. Holds the wrap cache between frames.
public struct FrameRenderer {
    private var chatCache = ChatLayoutCache()
    /// The chat pane's rows as last drawn, pasted back while their lines are unchanged (D191).
    private var chatRows = ReusedRows()
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

    /// How the chat's rows moved up since the previous `render` (a streaming reply's new
    /// rows), for the terminal to move its cells instead of being sent them again (D194).
    public var chatScroll: RegionScroll? { chatRows.lastScroll }

    /// How many chat entries have laid-out lines cached (bounded; see `ChatLayoutCache.trim`).
    public var cachedEntryCount: Int { chatCache.count }

    /// How many laid-out chat lines are cached, over every entry.
    public var cachedLineCount: Int { chatCache.lineCount }

    /// Draws every view for `state` into a fresh buffer; returns it and the cursor position.
    public mutating func render(_ state: AppState) -> (frame: ScreenBuffer, cursor: (x: Int, y: Int)) {
        var buffer = ScreenBuffer(width: state.size.columns, height: state.size.rows)
        let layout = ScreenLayout(for: state)
        var chat = layout.chat
        // An approval box sits at the pane's foot; the chat is drawn above it, its newest lines
        // (what led to the call) in view (D197).
        if let approval = state.approval, let rows = ApprovalView.rowsAbove(approval, in: layout.chat, theme: theme) {
            chat.height = rows
        }
        ChatView.draw(state, in: chat.inset(horizontal: 1, vertical: 0), buffer: &buffer,
                      cache: &chatCache, rows: &chatRows, theme: theme)
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

/// The rows of a pane of styled lines as last drawn (the chat, D191). A row whose line equals
/// the one drawn at the same row, or at the same row shifted by the frame's scroll, is pasted
/// back instead of drawn again: while a reply streams, one or two rows change per frame. The
/// pane must be the first and only writer of its rectangle in a fresh buffer.
struct ReusedRows {
    private var rect: Rect?
    private var lines: [StyledLine] = []
    private var cells: [[Cell]] = []
    /// The last drawing's rows moved up from the one before it (nil: not moved).
    private(set) var lastScroll: RegionScroll?

    /// How far back a scroll is looked for: a streaming frame adds a row or two.
    static let maximumShift = 4

    /// Draws `newLines` from the top of `rect`, one per row.
    mutating func draw(_ newLines: ArraySlice<StyledLine>, in rect: Rect, buffer: inout ScreenBuffer) {
        if rect != self.rect {
            self.rect = rect
            lines = []
            cells = []
        }
        let shift = scroll(to: newLines)
        lastScroll = shift > 0 ? RegionScroll(rect: rect, rows: shift) : nil
        var drawnLines: [StyledLine] = []
        var drawnCells: [[Cell]] = []
        drawnLines.reserveCapacity(newLines.count)
        drawnCells.reserveCapacity(newLines.count)
        for (row, line) in newLines.enumerated() {
            let rowRect = Rect(x: rect.x, y: rect.y + row, width: rect.width, height: 1)
            if let old = reusable(line, at: row, shift: shift) {
                buffer.paste(cells[old], in: rowRect)
                drawnCells.append(cells[old])
            } else {
                var x = rect.x
                for segment in line.segments {
                    x = buffer.put(segment.text, x: x, y: rowRect.y, style: segment.style, maxX: rect.maxX)
                }
                drawnCells.append(buffer.cells(in: rowRect))
            }
            drawnLines.append(line)
        }
        lines = drawnLines
        cells = drawnCells
    }

    /// The row of the last drawing that holds `line` as row `row` of this one, if any.
    private func reusable(_ line: StyledLine, at row: Int, shift: Int) -> Int? {
        if shift > 0, row + shift < lines.count, lines[row + shift] == line { return row + shift }
        if row < lines.count, lines[row] == line { return row }
        return nil
    }

    /// The rows the content moved up by since the last drawing: the smallest shift at which
    /// the first non-blank line of the top rows is found among the old lines (0: none).
    private func scroll(to newLines: ArraySlice<StyledLine>) -> Int {
        guard let probe = newLines.prefix(Self.maximumShift).firstIndex(where: { !$0.segments.isEmpty }) else { return 0 }
        let row = probe - newLines.startIndex
        return (0...Self.maximumShift).first { row + $0 < lines.count && lines[row + $0] == newLines[probe] } ?? 0
    }
}
