import Testing
import TerminalUI
@testable import App

/// GFM tables are drawn with aligned columns inside the width, linear in the text
/// (issue 14, bug 20).
@Suite(.timeLimit(.minutes(2))) struct MarkdownTableTests {
    static func text(_ lines: [StyledLine]) -> [String] {
        lines.map { $0.segments.map(\.text).joined() }
    }

    static let table = """
        | Name | Size | Kind |
        |:-----|-----:|:----:|
        | a.swift | 12 | file |
        | Sources | 1024 | dir |
        """

    @Test func columnsAreAlignedAsTheDelimiterRowSays() {
        let lines = Self.text(MarkdownRenderer(width: 60, theme: markdownTheme).render(Self.table))
        #expect(lines == [
            "Name    │ Size │ Kind",
            "────────┼──────┼─────",
            "a.swift │   12 │ file",
            "Sources │ 1024 │ dir ",
        ])
    }

    @Test func aWideTableIsCutToTheWidthWithAnEllipsis() {
        let wide = "| a | b |\n|---|---|\n| " + String(repeating: "x", count: 200) + " | short |\n"
        let lines = Self.text(MarkdownRenderer(width: 30, theme: markdownTheme).render(wide))
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 30 }, "\(lines)")
        #expect(lines[2].contains("…"))
        #expect(lines[2].hasSuffix("short"))
    }

    @Test func manyColumnsInANarrowPaneStayInsideIt() {
        let header = "|" + (1...24).map { " c\($0) |" }.joined()
        let table = header + "\n|" + String(repeating: "---|", count: 24) + "\n" + header + "\n"
        for width in [12, 30, 50] {
            let lines = Self.text(MarkdownRenderer(width: width, theme: markdownTheme).render(table))
            #expect(lines.allSatisfy { DisplayWidth.of($0) <= width }, "\(width): \(lines)")
        }
    }

    @Test func aLineStartingWithABarWithoutADelimiterRowStaysText() {
        let lines = Self.text(MarkdownRenderer(width: 40, theme: markdownTheme).render("| not a table\n| really\n"))
        #expect(lines == ["| not a table", "| really"])
    }

    @Test func escapedBarsStayInTheCell() {
        let lines = Self.text(MarkdownRenderer(width: 40, theme: markdownTheme).render("| a \\| b | c |\n|---|---|\n"))
        #expect(lines.first == "a | b │ c")
    }

    @Test func aHugeTableIsBoundedAndSaysHowManyRowsAreLeftOut() {
        let rows = (0..<5000).map { "| \($0) | row |" }.joined(separator: "\n")
        let lines = Self.text(MarkdownRenderer(width: 40, theme: markdownTheme).render("| n | t |\n|---|---|\n" + rows + "\n"))
        #expect(lines.count == 2 + MarkdownRenderer.tableRowLimit + 1)
        #expect(lines.last == "… \(5000 - MarkdownRenderer.tableRowLimit) more rows")
    }

    @Test func streamingATableGivesTheSameLinesAsTheWholeText() {
        let renderer = MarkdownRenderer(width: 50, theme: markdownTheme)
        let document = "Before\n\n" + Self.table + "\n\nAfter"
        var incremental = IncrementalMarkdown()
        for end in document.indices {
            let prefix = String(document[..<end])
            #expect(Self.text(incremental.render(prefix, renderer: renderer)) == Self.text(renderer.render(prefix)))
        }
    }
}
