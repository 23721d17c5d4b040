import TerminalUI

/// The input editor: a prompt marker and the text over as many rows as the layout gives
/// it (lines wrap by display width), scrolled to keep the cursor visible.
enum InputView {
    static let prompt = "› "
    static let continuation = "  "

    /// Rows the input wants at `width` (its wrapped lines), before the layout's cap.
    static func rowsWanted(_ state: AppState, width: Int) -> Int {
        visualLines(state.input, width: max(1, width - DisplayWidth.of(prompt) - 1)).lines.count
    }

    /// Draws the input and returns the screen position of the cursor.
    static func draw(_ state: AppState, in rect: Rect, buffer: inout ScreenBuffer, theme: Theme) -> (x: Int, y: Int) {
        guard !rect.isEmpty else { return (rect.x, rect.y) }
        let promptStyle = state.turn == nil ? theme.accent : theme.muted
        let textX = rect.x + DisplayWidth.of(prompt)
        let width = max(1, rect.maxX - textX - 1)
        let (lines, cursorLine, cursorColumn) = visualLines(state.input, width: width)
        let first = max(0, min(cursorLine - rect.height + 1, lines.count - rect.height))
        for (row, line) in lines.dropFirst(first).prefix(rect.height).enumerated() {
            let marker = row == 0 && first == 0 ? prompt : continuation
            buffer.put(marker, x: rect.x, y: rect.y + row, style: promptStyle, maxX: rect.maxX)
            buffer.put(line, x: textX, y: rect.y + row, style: theme.input, maxX: rect.maxX)
        }
        if state.input.text.isEmpty {
            let hint = placeholder(state)
            buffer.put(hint, x: textX, y: rect.y, style: theme.muted, maxX: rect.maxX)
        } else if state.quitArmed != nil {
            // Typed text stays; the request sits at the right end of the last row.
            let hint = " " + quitHint
            let x = max(textX, rect.maxX - DisplayWidth.of(hint))
            buffer.put(hint, x: x, y: rect.y + min(rect.height, lines.count - first) - 1, style: theme.accent, maxX: rect.maxX)
        }
        return (textX + cursorColumn, rect.y + cursorLine - first)
    }

    static let quitHint = "Press Ctrl-C again to quit"

    private static func placeholder(_ state: AppState) -> String {
        if state.quitArmed != nil { return quitHint }
        if !state.queued.isEmpty {
            let count = state.queued.count == 1 ? "1 message" : "\(state.queued.count) messages"
            return state.turn == nil ? "\(count) queued · sent one by one after this one"
                : "\(count) queued · sent when the reply ends"
        }
        if state.turn != nil { return "Type the next message · it is sent when the reply ends" }
        if let name = state.expandingCommand { return "Type the next message · it is sent after /\(name)" }
        if state.provider == nil { return "" }
        return "Type a prompt · Enter sends · / commands · ? help"
    }

    /// The input's text as display lines of at most `width` columns, and the cursor's line
    /// and column among them.
    static func visualLines(_ input: InputLine, width: Int) -> (lines: [String], cursorLine: Int, cursorColumn: Int) {
        var lines: [String] = [""]
        var columns = 0
        var cursorLine = 0
        var cursorColumn = 0
        for (offset, character) in input.text.enumerated() {
            if offset == input.cursor { (cursorLine, cursorColumn) = (lines.count - 1, columns) }
            if character == "\n" {
                lines.append("")
                columns = 0
                continue
            }
            let characterWidth = DisplayWidth.of(character)
            if columns + characterWidth > width {
                lines.append("")
                columns = 0
                if offset == input.cursor { (cursorLine, cursorColumn) = (lines.count - 1, 0) }
            }
            lines[lines.count - 1].append(character)
            columns += characterWidth
        }
        if input.cursor >= input.text.count {
            if columns >= width {
                lines.append("")
                columns = 0
            }
            (cursorLine, cursorColumn) = (lines.count - 1, columns)
        }
        return (lines, cursorLine, cursorColumn)
    }
}
