import Testing
import TerminalUI
@testable import App

/// Hostile replies (issue 10, D54): no recursion on quote depth, no rescans in inline
/// markup. These render without crashing and with bounded output; the time each takes is
/// printed (never asserted: `frame-bench pathological` measures a release build).
@Suite(.timeLimit(.minutes(2))) struct PathologicalMarkdownTests {
    let t = markdownTheme
    static let clock = ContinuousClock()

    func timed<T>(_ label: String, _ work: () -> T) -> T {
        let start = Self.clock.now
        let result = work()
        print("[pathological markdown] \(label): \(Self.clock.now - start) (debug build)")
        return result
    }

    @Test func twentyThousandQuoteMarkersRenderAsBoundedBars() {
        let lines = timed("20,000 > (one line)") { markdown(String(repeating: ">", count: 20_000), width: 80) }
        #expect(plainText(lines) == ["│ │ │ │ │ │ │ ┊ "])
        let withText = timed("20,000 > then text") {
            markdown(String(repeating: ">", count: 20_000) + " bottom of the well", width: 80)
        }
        #expect(plainText(withText) == ["│ │ │ │ │ │ │ ┊ bottom of the well"])
        #expect(withText.first?.last == Run("bottom of the well", t.muted.adding(.italic)))
    }

    @Test func quoteDepthsChangeLineByLineWithoutNesting() {
        #expect(plainText(markdown("> a\n>> b\n> > > c\n> d\nout", width: 40)) == [
            "│ a", "│ │ b", "│ │ │ c", "│ d", "out",
        ])
        // A narrow pane draws fewer bars (a quarter of the width), the last one dotted.
        #expect(plainText(markdown(">>>> deep", width: 12)) == ["│ │ ┊ deep"])
        // Inside a quoted fence, only the fence's own markers are markers.
        #expect(plainText(markdown("> ```\n> > kept\n> ```", width: 20)) == ["│  > kept" + String(repeating: " ", count: 11)])
    }

    @Test func theBracketFloodRendersInOnePass() {
        let flood = String(repeating: "[", count: 50_000) + String(repeating: "*_`", count: 10_000)
        let lines = timed("50,000 [ + 10,000 *_` whole") { MarkdownRenderer(width: 100, theme: t).render(flood) }
        #expect(lines.allSatisfy { $0.segments.reduce(0) { $0 + DisplayWidth.of($1.text) } <= 100 })
        let shown = lines.flatMap(\.segments).map(\.text).joined()
        #expect(shown.filter { $0 == "[" }.count == 50_000)
        // Code spans take the backticks: what is left is at most the input.
        #expect(shown.count <= flood.count && shown.count >= 50_000)
    }

    @Test func theBracketFloodStreamedGivesTheSameLinesAsWhole() {
        let flood = String(repeating: "[", count: 5_000) + String(repeating: "*_`", count: 1_000)
        let whole = MarkdownRenderer(width: 100, theme: t).render(flood)
        var incremental = IncrementalMarkdown()
        let renderer = MarkdownRenderer(width: 100, theme: t)
        var last: [StyledLine] = []
        let characters = Array(flood)
        timed("8,000-character flood in 64 chunks") {
            for end in stride(from: 125, through: characters.count, by: 125) {
                last = incremental.render(String(characters[..<end]), renderer: renderer)
            }
        }
        #expect(last == whole)
    }

    @Test func otherFloodsStayLinear() {
        let inputs = [
            ("50,000 <", String(repeating: "<", count: 50_000)),
            ("25,000 **a", String(repeating: "**a", count: 25_000)),
            ("25,000 _a_", String(repeating: "_a", count: 25_000)),
            ("backtick runs of length 1...300", (1...300).map { String(repeating: "`", count: $0) + "x" }.joined()),
            ("20,000 [a](", String(repeating: "[a](", count: 20_000)),
            ("20,000 [a]( then )", String(repeating: "[a](", count: 20_000) + ")"),
            ("10,000 list markers", String(repeating: "- ", count: 10_000) + "x"),
            ("10,000 quoted lines", String(repeating: "> > line\n", count: 10_000)),
        ]
        for (name, text) in inputs {
            let lines = timed(name) { MarkdownRenderer(width: 80, theme: t).render(text) }
            #expect(!lines.isEmpty, "\(name)")
            #expect(lines.allSatisfy { $0.segments.reduce(0) { $0 + DisplayWidth.of($1.text) } <= 80 }, "\(name)")
        }
    }
}

/// Streaming a long paragraph or list item re-renders only its last line (D57).
@Suite(.timeLimit(.minutes(2))) struct OpenBlockByLineTests {
    let t = markdownTheme

    @Test func anOpenParagraphKeepsItsCompleteLines() {
        let lines = (0..<300).map { "line \($0) with *some* `code` and [a](b)" }
        let text = lines.joined(separator: "\n")
        let renderer = MarkdownRenderer(width: 30, theme: t)
        var incremental = IncrementalMarkdown()
        var last: [StyledLine] = []
        var calls = 0
        var end = text.startIndex
        while end < text.endIndex {
            end = text.index(end, offsetBy: 17, limitedBy: text.endIndex) ?? text.endIndex
            last = incremental.render(String(text[..<end]), renderer: renderer)
            calls += 1
        }
        #expect(last == renderer.render(text))
        // Each call renders its new complete lines and the partial one: about one line per call,
        // not the whole paragraph again.
        #expect(incremental.openLinesRendered <= lines.count + calls)
    }

    @Test func aListItemAndAQuoteStreamTheSameWay() {
        let text = "- item\n" + (0..<50).map { "  continued \($0) **b**" }.joined(separator: "\n")
            + "\n\n" + (0..<50).map { "> > quoted \($0) _i_" }.joined(separator: "\n")
        let renderer = MarkdownRenderer(width: 24, theme: t)
        var incremental = IncrementalMarkdown()
        var calls = 0
        for end in stride(from: 5, through: text.utf8.count, by: 5) {
            _ = incremental.render(String(text.utf8.prefix(end))!, renderer: renderer)
            calls += 1
        }
        #expect(incremental.render(text, renderer: renderer) == renderer.render(text))
        #expect(incremental.openLinesRendered <= 101 + calls + 1)
    }

    @Test func inlineMarkupDoesNotSpanSourceLines() {
        #expect(plainText(markdown("**a\nb** and `c\nd`", width: 40)) == ["**a", "b** and `c", "d`"])
    }
}

@Suite(.timeLimit(.minutes(2))) struct MarkdownTextTests {
    @Test func thePublicEntryRendersWholeAndStreamedAlike() {
        let text = "# T\n\n> > q **b**\n- item `c`\n```\ncode\n```\ntail [x](y)"
        #expect(MarkdownText.lines(text, width: 20) == MarkdownText.lines(text, width: 20, streamedIn: 7))
        #expect(MarkdownText.lines(text, width: 20).contains("│ │ q b"))
        #expect(MarkdownText.lines("", width: 0) == [])
    }
}
