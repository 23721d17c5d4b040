import TerminalUI

/// The input line: a prompt marker and the text, scrolled to keep the cursor visible.
enum InputView {
    static let prompt = "› "

    /// Draws the input and returns the screen position of the cursor.
    static func draw(_ state: AppState, in rect: Rect, buffer: inout ScreenBuffer, theme: Theme) -> (x: Int, y: Int) {
        guard !rect.isEmpty else { return (rect.x, rect.y) }
        let promptStyle = state.turn == nil ? theme.accent : theme.muted
        let start = buffer.put(prompt, x: rect.x, y: rect.y, style: promptStyle, maxX: rect.maxX)
        let available = max(1, rect.maxX - start - 1)
        let characters = Array(state.input.text.map { $0 == "\n" ? "⏎" : $0 })
        let cursor = min(state.input.cursor, characters.count)
        // Find the first visible character so the cursor stays inside the line.
        var first = 0
        var widthBeforeCursor = characters[0..<cursor].reduce(0) { $0 + DisplayWidth.of($1) }
        while widthBeforeCursor >= available && first < cursor {
            widthBeforeCursor -= DisplayWidth.of(characters[first])
            first += 1
        }
        let visible = String(characters[first...])
        buffer.put(visible, x: start, y: rect.y, style: theme.input, maxX: rect.maxX)
        if state.input.text.isEmpty && state.turn == nil && state.provider != nil {
            buffer.put("Type a prompt · Enter sends", x: start, y: rect.y, style: theme.muted, maxX: rect.maxX)
        }
        return (start + widthBeforeCursor, rect.y)
    }
}
