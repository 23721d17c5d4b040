import Testing
import TerminalUI
@testable import App

/// A theme whose every role has its own colour, so a wrong role shows in comparisons.
let markdownTheme: Theme = {
    var theme = Theme(name: "test")
    for (index, role) in ThemeRole.allCases.enumerated() {
        theme.set(role, Style(foreground: .indexed(UInt8(100 + index))))
    }
    theme.accent = Style(foreground: .indexed(33), attributes: .bold)
    theme.codeBackground = Style(foreground: .indexed(250), background: .indexed(236))
    return theme
}()

/// One run of a line: text and style, comparable.
struct Run: Hashable, CustomStringConvertible {
    var text: String
    var style: Style
    init(_ text: String, _ style: Style) {
        self.text = text
        self.style = style
    }
    var description: String { "\"\(text)\"@\(style.foreground)/\(style.background)/\(style.attributes.rawValue)" }
}

/// Lines as runs with adjacent equal styles merged and empty runs dropped, so tests compare
/// what the screen shows rather than how segments happen to be split.
func runs(_ lines: [StyledLine]) -> [[Run]] {
    lines.map { line in
        var merged: [Run] = []
        for segment in line.segments where !segment.text.isEmpty {
            if let last = merged.last, last.style == segment.style {
                merged[merged.count - 1].text += segment.text
            } else {
                merged.append(Run(segment.text, segment.style))
            }
        }
        return merged
    }
}

/// `text` rendered as markdown at `width` with the test theme, as runs.
func markdown(_ text: String, width: Int) -> [[Run]] {
    runs(MarkdownRenderer(width: width, theme: markdownTheme).render(text))
}

/// The plain text of rendered lines.
func plainText(_ lines: [[Run]]) -> [String] { lines.map { $0.map(\.text).joined() } }

/// A small deterministic generator for random splits.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
