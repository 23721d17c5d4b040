import Testing
import TerminalUI
@testable import App

/// Whole-buffer expectations for widget tests: the expected text of every row plus a mask
/// row of one letter per cell naming the theme role of that cell's style.
///
/// Mask letters: `t` text, `m` muted, `a` accent, `b` border, `s` selection, `u` user,
/// `A` assistant, `T` tool, `e` error, `w` warning, `k` success, `+` diffAdded, `-` diffRemoved,
/// `c` codeBackground, `M` meter, `O` meterOk, `i` input, space: the terminal's plain style.
/// A mask row shorter than the buffer repeats its last letter to the end (an empty row is plain).
/// Tests may add letters for derived styles (bold assistant text, say).
struct ExpectedCells {
    static let theme = markdownTheme

    static let roles: [Character: ThemeRole] = [
        "t": .text, "m": .muted, "a": .accent, "b": .border, "s": .selection, "u": .user, "A": .assistant,
        "T": .tool, "e": .error, "w": .warning, "k": .success, "+": .diffAdded, "-": .diffRemoved,
        "c": .codeBackground, "M": .meter, "O": .meterOk, "i": .input,
    ]

    var legend: [Character: Style]

    init(extra: [Character: Style] = [:]) {
        var legend: [Character: Style] = [" ": .plain]
        for (letter, role) in Self.roles { legend[letter] = Self.theme.style(role) }
        legend.merge(extra) { _, new in new }
        self.legend = legend
    }

    /// The buffer that `text` and `masks` describe.
    func buffer(width: Int, text: [String], masks: [String]) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: width, height: text.count)
        for (y, line) in text.enumerated() {
            buffer.put(line, x: 0, y: y, style: .plain)
            let mask = y < masks.count ? Array(masks[y]) : []
            for x in 0..<width {
                let letter = mask.isEmpty ? " " : mask[min(x, mask.count - 1)]
                let style = legend[letter] ?? Style(foreground: .indexed(1), background: .indexed(1))
                buffer.restyle(Rect(x: x, y: y, width: 1, height: 1)) { _ in style }
            }
        }
        return buffer
    }

    /// The mask rows of `buffer` (`?` for a style not in the legend), trailing repeats dropped.
    func masks(of buffer: ScreenBuffer) -> [String] {
        let letters = Dictionary(legend.map { ($0.value, $0.key) }, uniquingKeysWith: { a, b in
            // Prefer the letter of the plainer role when two share a style.
            a == " " || b == " " ? " " : min(a, b)
        })
        return (0..<buffer.height).map { y in
            var row = (0..<buffer.width).map { letters[buffer[$0, y].style] ?? "?" }
            while row.count > 1 && row[row.count - 1] == row[row.count - 2] { row.removeLast() }
            if row == [" "] { row = [] }
            return String(row)
        }
    }

    /// Expects `actual` to equal the buffer that `text` and `masks` describe, cell by cell.
    /// On a mismatch the actual rows and masks are printed in the same form.
    func expect(_ actual: ScreenBuffer, text: [String], masks: [String],
                sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = buffer(width: actual.width, text: text, masks: masks)
        guard actual != expected else { return }
        var report = ["buffer differs (\(actual.width)x\(actual.height), expected \(text.count) rows)"]
        if let cell = firstDifferentCell(actual, expected) {
            report.append("first different cell x=\(cell.x) y=\(cell.y): expected \(cell.expected), actual \(cell.actual)")
        }
        report.append("actual text:")
        report += actual.textLines.map { "    \"" + $0 + "\"," }
        report.append("actual masks:")
        report += self.masks(of: actual).map { "    \"" + $0 + "\"," }
        Issue.record(Comment(rawValue: report.joined(separator: "\n")), sourceLocation: sourceLocation)
    }

    private func firstDifferentCell(_ a: ScreenBuffer, _ b: ScreenBuffer) -> (x: Int, y: Int, expected: String,
                                                                             actual: String)? {
        guard a.width == b.width && a.height == b.height else { return nil }
        for y in 0..<a.height {
            for x in 0..<a.width where a[x, y] != b[x, y] {
                return (x, y, describe(b[x, y]), describe(a[x, y]))
            }
        }
        return nil
    }

    private func describe(_ cell: Cell) -> String {
        "\"\(cell.character)\"\(cell.isContinuation ? " (continuation)" : "") " + Snapshot.describe(cell.style)
    }
}

/// A buffer of `width` x `height` with `draw` applied.
func drawn(width: Int, height: Int, _ draw: (inout ScreenBuffer) -> Void) -> ScreenBuffer {
    var buffer = ScreenBuffer(width: width, height: height)
    draw(&buffer)
    return buffer
}
