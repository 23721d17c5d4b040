import AgentCore
import TerminalUI

/// The approval overlay: a box over the chat pane with the tool, its key argument, the
/// diff or command, and the answers (y yes · n no, with a reason · a always · Esc no).
enum ApprovalView {
    static func draw(_ approval: PendingApproval, in area: Rect, buffer: inout ScreenBuffer, theme: Theme) {
        guard let layout = Layout(approval, in: area, theme: theme) else { return }
        buffer.fill(layout.box, style: theme.text)
        drawBorder(layout.box, buffer: &buffer, theme: theme)
        let inner = layout.inner
        _ = buffer.put("Allow \(VisibleText.string(approval.preview.toolName))?", x: inner.x, y: inner.y,
                       style: theme.accent, maxX: inner.maxX)
        var y = inner.y + 1
        let start = min(approval.scroll, layout.maxScroll)
        for line in layout.content.header + layout.content.body.dropFirst(start).prefix(layout.bodyRows) {
            var x = inner.x
            for segment in line.segments { x = buffer.put(segment.text, x: x, y: y, style: segment.style, maxX: inner.maxX) }
            y += 1
        }
        let total = layout.content.body.count
        if layout.maxScroll > 0 {
            let below = total - start - layout.bodyRows
            let position = "lines \(start + 1)-\(start + layout.bodyRows) of \(total)"
            let more = below > 0 ? " · ↓ \(below) more" : " · end"
            let text = fitting([position + more + " · ↑↓ PgUp PgDn Home End scroll", position + more + " · ↑↓ scroll",
                                position + more, String(more.dropFirst(3)) + " · ↑↓", String(more.dropFirst(3))], width: inner.width)
            _ = buffer.put(text, x: inner.x, y: inner.maxY - Layout.footerRows, style: theme.muted, maxX: inner.maxX)
        }
        drawAnswers(approval, inner: inner, buffer: &buffer, theme: theme)
    }

    /// The rows of `area` above the box `approval` is drawn in: where the chat goes meanwhile.
    static func rowsAbove(_ approval: PendingApproval, in area: Rect, theme: Theme) -> Int? {
        Layout(approval, in: area, theme: theme).map { $0.box.y - area.y }
    }

    /// The largest useful scroll offset of `approval` drawn over `area` (0 when all fits).
    static func maxScroll(_ approval: PendingApproval, in area: Rect, theme: Theme) -> Int {
        Layout(approval, in: area, theme: theme)?.maxScroll ?? 0
    }

    /// Where the parts of the box go.
    struct Layout {
        static let footerRows = 2
        var box: Rect
        var inner: Rect
        var content: ApprovalBody
        /// Rows for the scrolled body.
        var bodyRows: Int
        var maxScroll: Int

        init?(_ approval: PendingApproval, in area: Rect, theme: Theme) {
            guard area.width >= 20, area.height >= 6 else { return nil }
            let innerWidth = area.width - 6
            content = ApprovalBody(approval.preview, width: innerWidth, theme: theme)
            // As tall as what it shows (the title, the call, the footer), at most the pane, at
            // the pane's foot: the chat above it keeps its newest lines in view (D197).
            let wanted = 1 + content.header.count + content.body.count + Self.footerRows
            let innerHeight = min(area.height - 4, wanted)
            box = Rect(x: area.x + 1, y: area.maxY - 1 - (innerHeight + 2), width: area.width - 2, height: innerHeight + 2)
            inner = Rect(x: box.x + 2, y: box.y + 1, width: innerWidth, height: innerHeight)
            // The title row, the fixed header (when there is room for a body row too), then the body.
            let free = max(0, inner.height - 1 - Self.footerRows)
            if content.header.count >= free {
                content.body = content.header + content.body
                content.header = []
            }
            bodyRows = max(0, free - content.header.count)
            maxScroll = max(0, content.body.count - bodyRows)
        }
    }

    private static func drawAnswers(_ approval: PendingApproval, inner: Rect, buffer: inout ScreenBuffer, theme: Theme) {
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
