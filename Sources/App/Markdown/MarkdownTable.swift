import TerminalUI

/// GFM tables: a header row, a delimiter row (`|---|:--:|--:|`), then body rows, drawn with
/// aligned columns inside the width (issue 14, bug 20). Linear in the table's text: cells are
/// split once, widths measured once; rows and columns beyond the caps are summarised.
extension MarkdownRenderer {
    /// Rows drawn at most (a hostile table of a million rows costs the same as this many).
    static let tableRowLimit = 500
    /// Columns drawn at most.
    static let tableColumnLimit = 24

    enum ColumnAlignment { case left, center, right }

    /// The block's lines as a table, or as plain paragraph lines when the second line is not
    /// a delimiter row (a line that merely starts with `|`).
    func table(_ block: MarkdownBlock) -> [StyledLine] {
        let rows = block.lines.prefix(Self.tableRowLimit + 2).map { Self.cells(of: $0.line) }
        guard rows.count >= 2, let alignments = Self.alignments(rows[1]) else {
            return block.lines.flatMap { line -> [StyledLine] in
                guard case .tableRow(let content) = line.line else { return [] }
                return StyledWrapper.wrap(inline(content, base: base), width: width)
            }
        }
        // Each column needs a cell and a ` │ ` separator: columns that cannot get one are left out,
        // so no row is wider than the pane however narrow it is.
        let fitting = max(1, (width + 3) / 4)
        let columns = min(max(alignments.count, rows[0].count), Self.tableColumnLimit, fitting)
        let body = [rows[0]] + rows.dropFirst(2)
        let rendered = body.map { row in (0..<columns).map { column in
            column < row.count ? inline(row[column], base: base) : []
        } }
        var widths = [Int](repeating: 1, count: columns)
        for row in rendered {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], Self.width(of: cell)) }
        }
        widths = Self.fit(widths, into: width - 3 * (columns - 1))
        var result: [StyledLine] = []
        for (index, row) in rendered.enumerated() {
            var segments: [StyledWrapper.Segment] = []
            for column in 0..<columns {
                if column > 0 { segments.append((" │ ", theme.border)) }
                let alignment = column < alignments.count ? alignments[column] : .left
                let cell = index == 0 ? row[column].map { ($0.text, $0.style.adding(.bold)) } : row[column]
                segments += Self.aligned(cell, width: widths[column], alignment: alignment)
            }
            result.append(StyledLine(segments))
            if index == 0 {
                let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "─┼─")
                result.append(StyledLine([(rule, theme.border)]))
            }
        }
        let hidden = block.lines.count - 2 - (rendered.count - 1)
        if hidden > 0 { result.append(StyledLine([("… \(hidden) more rows", theme.muted)])) }
        return result
    }

    /// The cells of a row: split at `|` not escaped by `\`, the outer empty ones dropped.
    static func cells(of line: MarkdownLine) -> [Substring] {
        guard case .tableRow(let content) = line else { return [] }
        var text = content[...]
        while text.last == " " || text.last == "\r" { text = text.dropLast() }
        if text.first == "|" { text = text.dropFirst() }
        if text.last == "|" && text.dropLast().last != "\\" { text = text.dropLast() }
        var cells: [Substring] = []
        var start = text.startIndex
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if character == "|" && !escaped {
                cells.append(trim(text[start..<index]))
                start = text.index(after: index)
            }
            escaped = character == "\\" && !escaped
        }
        cells.append(trim(text[start...]))
        return cells
    }

    private static func trim(_ text: Substring) -> Substring {
        var result = text.drop { $0 == " " || $0 == "\t" }
        while result.last == " " || result.last == "\t" { result = result.dropLast() }
        return result
    }

    /// The alignments of a delimiter row, or nil when `cells` is not one.
    static func alignments(_ cells: [Substring]) -> [ColumnAlignment]? {
        guard !cells.isEmpty else { return nil }
        var result: [ColumnAlignment] = []
        for cell in cells {
            let inner = cell.drop { $0 == ":" }.reversed().drop { $0 == ":" }
            guard !inner.isEmpty, inner.allSatisfy({ $0 == "-" }) else { return nil }
            let left = cell.first == ":", right = cell.last == ":"
            result.append(left && right ? .center : right ? .right : .left)
        }
        return result
    }

    static func width(of cell: [StyledWrapper.Segment]) -> Int {
        cell.reduce(0) { $0 + DisplayWidth.of($1.text) }
    }

    /// Column widths shrunk to fit `available` (the widest first), at least 1 each.
    static func fit(_ widths: [Int], into available: Int) -> [Int] {
        // Each column at most the whole width first: the loop below then runs a bounded number of times.
        var result = widths.map { min($0, max(1, available)) }
        var excess = result.reduce(0, +) - max(available, widths.count)
        while excess > 0 {
            guard let widest = result.indices.max(by: { result[$0] < result[$1] }), result[widest] > 1 else { break }
            let second = result.enumerated().filter { $0.offset != widest }.map(\.element).max() ?? 1
            let cut = min(excess, max(1, result[widest] - max(second, 1)))
            result[widest] -= cut
            excess -= cut
        }
        return result
    }

    /// A cell cut to `width` (ending in `…` when cut) and padded as aligned.
    static func aligned(_ cell: [StyledWrapper.Segment], width: Int, alignment: ColumnAlignment) -> [StyledWrapper.Segment] {
        var segments: [StyledWrapper.Segment] = []
        var used = 0
        if self.width(of: cell) > width {
            var remaining = max(0, width - 1)
            for segment in cell where remaining > 0 {
                let (text, taken) = DisplayWidth.prefix(of: segment.text, fitting: remaining)
                remaining -= taken
                used += taken
                segments.append((text, segment.style))
            }
            segments.append(("…", cell.last?.style ?? Style.plain))
            used += 1
        } else {
            segments = cell
            used = self.width(of: cell)
        }
        let gap = max(0, width - used)
        let (before, after) = switch alignment {
        case .left: (0, gap)
        case .right: (gap, 0)
        case .center: (gap / 2, gap - gap / 2)
        }
        return (before > 0 ? [(String(repeating: " ", count: before), Style.plain)] : []) + segments
            + (after > 0 ? [(String(repeating: " ", count: after), Style.plain)] : [])
    }
}
