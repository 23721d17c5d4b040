import AgentCore
import TerminalUI

/// A tool call in the chat pane: one line (`⚙ name  key argument  → summary`), expanded
/// (Ctrl-O) to the preview and the full output. Diff lines are coloured; tabs, control and
/// other invisible characters and trailing spaces are shown (`VisibleText`), and a line too
/// long for the pane ends in `…`.
enum ToolEntryView {
    /// Output lines shown when expanded, at most.
    static let expandedLineLimit = 200
    /// Lines of a running command's output shown under its folded entry (D111).
    static let liveLineCount = 4

    static func lines(_ activity: ToolActivity, width: Int, theme: Theme) -> [StyledLine] {
        let (icon, iconStyle) = status(activity, theme: theme)
        var head: [(text: String, style: Style)] = [(icon + " ", iconStyle), (activity.name, theme.tool)]
        if !activity.keyArgument.isEmpty {
            head.append(("  ", theme.text))
            head += visible(activity.keyArgument, style: theme.text, theme: theme)
        }
        if let output = activity.output {
            head.append(("  → " + VisibleText.string(output.summary), output.isError ? theme.error : theme.muted))
        } else if activity.phase == .awaitingApproval {
            head.append(("  waiting for approval", theme.warning))
        } else if activity.phase == .cancelled {
            head.append(("  → cancelled", theme.warning))
        }
        var lines = [StyledLine(clip(head, width: width))]
        var live = activity.output == nil && !activity.liveOutput.isEmpty ? VisibleText.sourceLines(activity.liveOutput) : []
        if live.last?.isEmpty == true { live.removeLast() }
        guard activity.expanded else {
            // While it runs (and after a cancel) the newest lines of what it printed show below it.
            return lines + outputLines(live.suffix(liveLineCount), width: width, theme: theme)
        }
        let body = activity.preview.isEmpty ? [] : VisibleText.sourceLines(activity.preview)
        for line in body.prefix(expandedLineLimit) {
            let shown = visible(line, style: diffStyle(Substring(line), theme: theme), theme: theme)
            lines.append(StyledLine(clip([("    ", theme.muted)] + shown, width: width)))
        }
        if activity.output == nil {
            if live.count > expandedLineLimit {
                lines.append(StyledLine([("    … \(live.count - expandedLineLimit) earlier lines", theme.muted)]))
            }
            lines += outputLines(live.suffix(expandedLineLimit), width: width, theme: theme)
        }
        if let output = activity.output {
            let outputLines = VisibleText.sourceLines(output.content)
            for line in outputLines.prefix(expandedLineLimit) {
                lines.append(StyledLine(clip([("    ", theme.muted)] + visible(line, style: theme.muted, theme: theme),
                                             width: width)))
            }
            if outputLines.count > expandedLineLimit {
                lines.append(StyledLine([("    … \(outputLines.count - expandedLineLimit) more lines", theme.muted)]))
            }
        }
        return lines
    }

    /// Lines of output, indented and muted, each cut to the pane.
    private static func outputLines(_ source: some Collection<String>, width: Int, theme: Theme) -> [StyledLine] {
        source.map { StyledLine(clip([("    ", theme.muted)] + visible($0, style: theme.muted, theme: theme), width: width)) }
    }

    /// `text` with its invisible characters made visible (`VisibleText`), markers in the
    /// warning colour, the rest in `style`.
    static func visible(_ text: some StringProtocol, style: Style, theme: Theme) -> [(text: String, style: Style)] {
        VisibleText.pieces(text).map { ($0.text, $0.isMarker ? theme.warning : style) }
    }

    private static func status(_ activity: ToolActivity, theme: Theme) -> (String, Style) {
        switch activity.phase {
        case .waiting: ("⚙", theme.muted)
        case .awaitingApproval: ("?", theme.warning)
        case .done: activity.output?.isError == true ? ("✗", theme.error) : ("✓", theme.success)
        case .cancelled: ("⊘", theme.warning)
        }
    }

    /// The style of one line of a unified diff (or plain text).
    static func diffStyle(_ line: Substring, theme: Theme) -> Style {
        if line.hasPrefix("+++") || line.hasPrefix("---") { return theme.muted }
        if line.hasPrefix("+") { return theme.diffAdded }
        if line.hasPrefix("-") { return theme.diffRemoved }
        if line.hasPrefix("@@") { return theme.accent }
        return theme.text
    }

    /// Cuts segments to `width` display columns (a tool line never wraps); a cut line ends
    /// in `…` so it does not pass for the whole text.
    static func clip(_ segments: [(text: String, style: Style)], width: Int) -> [(text: String, style: Style)] {
        let total = segments.reduce(0) { $0 + DisplayWidth.of($1.text) }
        guard total > width else { return segments }
        var remaining = max(0, width - 1)
        var result: [(text: String, style: Style)] = []
        for segment in segments where remaining > 0 {
            let (text, used) = DisplayWidth.prefix(of: segment.text, fitting: remaining)
            remaining -= used
            result.append((text, segment.style))
        }
        if width > 0 { result.append(("…", result.last?.style ?? segments.first?.style ?? .plain)) }
        return result
    }
}
