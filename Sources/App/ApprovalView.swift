import AgentCore
import TerminalUI

/// The approval overlay: a box over the chat pane with the tool, its key argument, the
/// diff or command, and the answers (y yes · n no, with a reason · a always · Esc no).
enum ApprovalView {
    static func draw(_ approval: PendingApproval, in area: Rect, buffer: inout ScreenBuffer, theme: Theme) {
        guard area.width >= 20, area.height >= 6 else { return }
        let box = Rect(x: area.x + 1, y: area.y + 1, width: area.width - 2, height: area.height - 2)
        buffer.fill(box, style: theme.text)
        drawBorder(box, buffer: &buffer, theme: theme)
        let inner = Rect(x: box.x + 2, y: box.y + 1, width: box.width - 4, height: box.height - 2)
        var y = inner.y
        let title = "Allow \(approval.preview.toolName)?"
        _ = buffer.put(title, x: inner.x, y: y, style: theme.accent, maxX: inner.maxX)
        y += 1
        _ = buffer.put(approval.preview.keyArgument, x: inner.x, y: y, style: theme.text, maxX: inner.maxX)
        y += 1
        for note in notes(approval.preview) {
            _ = buffer.put(note, x: inner.x, y: y, style: theme.warning, maxX: inner.maxX)
            y += 1
        }
        y += 1
        let footerRows = 2
        let bodyRows = max(0, inner.maxY - footerRows - y)
        let body = approval.preview.detail.split(separator: "\n", omittingEmptySubsequences: false)
        let start = min(approval.scroll, max(0, body.count - bodyRows))
        for line in body.dropFirst(start).prefix(bodyRows) {
            _ = buffer.put(line, x: inner.x, y: y, style: ToolEntryView.diffStyle(line, theme: theme), maxX: inner.maxX)
            y += 1
        }
        if body.count > bodyRows && bodyRows > 0 {
            let position = "lines \(start + 1)-\(min(body.count, start + bodyRows)) of \(body.count) · ↑↓ "
            let text = fitting([position + "PgUp PgDn scroll", position + "scroll"], width: inner.width)
            _ = buffer.put(text, x: inner.x, y: inner.maxY - footerRows, style: theme.muted, maxX: inner.maxX)
        }
        let footerY = inner.maxY - 1
        if let reason = approval.reason {
            // The label shortens so the reason being typed stays in view; a long reason shows its end.
            let label = fitting(["Reason (Enter sends, Esc skips): ", "Reason: "], width: inner.width - 12)
            let x = buffer.put(label, x: inner.x, y: footerY, style: theme.warning, maxX: inner.maxX)
            var shown = Substring(reason.text)
            while !shown.isEmpty && DisplayWidth.of(shown) > inner.maxX - x - 1 { shown = shown.dropFirst() }
            _ = buffer.put(shown, x: x, y: footerY, style: theme.text, maxX: inner.maxX)
        } else if !approval.armed {
            _ = buffer.put(fitting(["(keys go to your message for a moment, then answer here)", "(one moment…)"],
                                   width: inner.width), x: inner.x, y: footerY, style: theme.muted, maxX: inner.maxX)
        } else {
            let answers = approval.preview.alwaysRule == nil
                ? fitting(["y yes · n no (with a reason) · Esc no", "y yes · n no · Esc no"], width: inner.width)
                : fitting(["y yes · n no (with a reason) · a always this session · Esc no",
                           "y yes · n no · a always · Esc no"], width: inner.width)
            _ = buffer.put(answers, x: inner.x, y: footerY, style: theme.muted, maxX: inner.maxX)
        }
    }

    /// Lines under the call: why it asks whatever the mode, the sandbox it runs in, and the
    /// exact rule "a" would add (shown before it is chosen).
    static func notes(_ preview: ToolPreview) -> [String] {
        var notes: [String] = []
        if let protection = preview.protection { notes.append("Protected: \(protection); asks in every mode") }
        if let sandbox = preview.sandbox { notes.append("Runs \(sandbox)") }
        if let rule = preview.alwaysRule { notes.append("a = always allow \(rule) for this session") }
        return notes
    }

    /// The first of `texts` that fits `width` columns, else the last (the shortest).
    static func fitting(_ texts: [String], width: Int) -> String {
        texts.first { DisplayWidth.of($0) <= width } ?? texts.last ?? ""
    }

    private static func drawBorder(_ box: Rect, buffer: inout ScreenBuffer, theme: Theme) {
        let horizontal = String(repeating: "─", count: max(0, box.width - 2))
        _ = buffer.put("╭" + horizontal + "╮", x: box.x, y: box.y, style: theme.border)
        _ = buffer.put("╰" + horizontal + "╯", x: box.x, y: box.maxY - 1, style: theme.border)
        for row in (box.y + 1)..<(box.maxY - 1) {
            _ = buffer.put("│", x: box.x, y: row, style: theme.border)
            _ = buffer.put("│", x: box.maxX - 1, y: row, style: theme.border)
        }
    }
}
