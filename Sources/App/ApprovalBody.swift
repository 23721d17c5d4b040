import AgentCore
import TerminalUI

/// What the approval box shows of a tool call, laid out at a width (pure; D55): every
/// character made visible (`VisibleText`), every line wrapped without losing a column, the
/// command once. The header (a short key argument, such as a path) stays in place; the body
/// scrolls.
struct ApprovalBody: Equatable {
    /// Rows under the title that do not scroll.
    var header: [StyledLine]
    /// Rows that scroll.
    var body: [StyledLine]

    /// Header rows allowed for the key argument; a longer one starts the scrolled body instead.
    static let headerRowLimit = 2

    init(_ preview: ToolPreview, width: Int, theme: Theme) {
        let width = max(1, width)
        let markers = theme.warning
        let key = ApprovalBody.visibleLines(preview.keyArgument, width: width, markers: markers) { _ in theme.text }
        // Why it asks, where it runs and what "a" would allow: made visible like the rest.
        let notes = ApprovalView.notes(preview).flatMap { note in
            ApprovalBody.visibleLines(note, width: width, markers: markers) { _ in theme.warning }
        }
        if preview.detail == preview.keyArgument {
            // A command is its own key argument: shown once, in the body.
            header = notes.isEmpty ? [] : notes + [StyledLine([])]
            body = key
            return
        }
        let detail = preview.detail.isEmpty ? [] : ApprovalBody.visibleLines(preview.detail, width: width, markers: markers) {
            ToolEntryView.diffStyle($0, theme: theme)
        }
        let separator = detail.isEmpty ? [] : [StyledLine([])]
        if preview.keyArgument.isEmpty {
            header = notes.isEmpty ? [] : notes + separator
            body = detail
        } else if key.count <= Self.headerRowLimit {
            header = key + notes + separator
            body = detail
        } else {
            header = notes
            body = key + separator + detail
        }
    }

    /// `text` line by line: made visible, styled by `style(sourceLine)`, markers in `markers`,
    /// wrapped at `width` without dropping anything.
    static func visibleLines(_ text: String, width: Int, markers: Style, style: (Substring) -> Style) -> [StyledLine] {
        var result: [StyledLine] = []
        for line in VisibleText.sourceLines(text) {
            let lineStyle = style(Substring(line))
            let segments = VisibleText.pieces(line).map { (text: $0.text, style: $0.isMarker ? markers : lineStyle) }
            result += LosslessWrapper.wrap(segments, width: width)
        }
        return result
    }
}

/// Wraps one line of styled text at a width without losing anything: breaks after a space
/// when it can (the space stays at the end of its row), inside a word when it must, and
/// never drops or trims a character, so the rows put together are the line.
enum LosslessWrapper {
    static func wrap(_ segments: [(text: String, style: Style)], width: Int) -> [StyledLine] {
        let width = max(1, width)
        var rows: [[(Character, Style, Int)]] = []
        var row: [(Character, Style, Int)] = []
        var used = 0
        /// Where the row may break: just after its last space.
        var breakAfterSpace: Int?
        for segment in segments {
            for character in segment.text {
                let columns = DisplayWidth.of(character)
                while used + columns > width && used > 0 {
                    if character != " ", let cut = breakAfterSpace, cut < row.count {
                        rows.append(Array(row[..<cut]))
                        row.removeSubrange(..<cut)
                        used = row.reduce(0) { $0 + $1.2 }
                    } else {
                        rows.append(row)
                        row = []
                        used = 0
                    }
                    breakAfterSpace = nil
                }
                row.append((character, segment.style, columns))
                used += columns
                if character == " " { breakAfterSpace = row.count }
            }
        }
        rows.append(row)
        return rows.map { cells in
            var line: [(text: String, style: Style)] = []
            for (character, style, _) in cells {
                if let last = line.last, last.style == style {
                    line[line.count - 1].text.append(character)
                } else {
                    line.append((String(character), style))
                }
            }
            return StyledLine(line)
        }
    }
}
