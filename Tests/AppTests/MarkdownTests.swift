import Testing
import TerminalUI
@testable import App

/// Each markdown construct rendered whole, styles included, at a narrow and a wide width.
@Suite(.timeLimit(.minutes(2))) struct MarkdownTests {
    let t = markdownTheme
    var text: Style { t.assistant }
    var code: Style { t.codeBackground }

    @Test func headingsAtAWideAndANarrowWidth() {
        let h1 = t.accent.adding([.bold, .underline]), h2 = t.accent.adding(.bold), h3 = text.adding(.bold)
        #expect(markdown("# Big Title Here\n## Two ##\n### Three\nbody", width: 40) == [
            [Run("Big Title Here", h1)], [Run("Two", h2)], [Run("Three", h3)], [Run("body", text)],
        ])
        #expect(markdown("# Big Title Here", width: 8) == [[Run("Big", h1)], [Run("Title", h1)], [Run("Here", h1)]])
    }

    @Test func inlineBoldItalicCodeAndEscapes() {
        let source = "a **b** *c* `d e` _f_ \\*g\\* snake_case_name 2*3*4"
        #expect(markdown(source, width: 60) == [[
            Run("a ", text), Run("b", text.adding(.bold)), Run(" ", text), Run("c", text.adding(.italic)),
            Run(" ", text), Run("d e", code), Run(" ", text), Run("f", text.adding(.italic)),
            Run(" *g* snake_case_name 2", text), Run("3", text.adding(.italic)), Run("4", text),
        ]])
        #expect(markdown("a **b** *c* `d`", width: 3) == [
            [Run("a ", text), Run("b", text.adding(.bold))],
            [Run("c", text.adding(.italic)), Run(" ", text), Run("d", code)],
        ])
        // Unclosed delimiters stay as typed.
        #expect(markdown("**not bold and `not code", width: 60) == [[Run("**not bold and `not code", text)]])
        #expect(markdown("***both***", width: 20) == [[Run("both", text.adding([.bold, .italic]))]])
    }

    @Test func linksShowTheTextAndTheURL() {
        var link = text
        link.foreground = t.accent.foreground
        link.attributes.insert(.underline)
        #expect(markdown("see [the docs](https://x.io/a) or <https://y.io>", width: 60) == [[
            Run("see ", text), Run("the docs", link), Run(" (https://x.io/a)", t.muted), Run(" or ", text),
            Run("https://y.io", link),
        ]])
        #expect(markdown("see [the docs](https://x.io/a)", width: 12) == [
            [Run("see ", text), Run("the docs", link)], [Run("(https://x.i", t.muted)], [Run("o/a)", t.muted)],
        ])
    }

    @Test func fencedCodeHasALabelAndTheBackgroundAcrossTheWidth() {
        let label = Style(foreground: t.muted.foreground, background: code.background, attributes: .italic)
        let source = "before\n```swift\nlet x = 1\n\n```\nafter"
        #expect(markdown(source, width: 14) == [
            [Run("before", text)],
            [Run(" ", code), Run("swift", label), Run("        ", code)],
            [Run(" let x = 1    ", code)],
            [Run("              ", code)],
            [Run("after", text)],
        ])
        // Narrow: long code lines are hard-wrapped, still padded to the width.
        #expect(markdown("```\nabcdefgh\n```", width: 6) == [[Run(" abcd ", code)], [Run(" efgh ", code)]])
    }

    /// Found by the `markdown` fuzzer: a fence's info string of 86 columns made the label
    /// line wider than the pane; it is cut with an ellipsis.
    @Test func aLongCodeLabelIsCutToTheWidth() {
        let label = Style(foreground: t.muted.foreground, background: code.background, attributes: .italic)
        let info = String(repeating: "\u{FFFD}", count: 81) + "swift"
        #expect(markdown("```" + info + "\nx\n```", width: 8) == [
            [Run(" ", code), Run("\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}…", label)],
            [Run(" x      ", code)],
        ])
    }

    @Test func anUnclosedFenceRendersAsCodeSoFar() {
        #expect(markdown("```py\nprint(1)", width: 12) == [
            [Run(" ", code), Run("py", Style(foreground: t.muted.foreground, background: code.background,
                                             attributes: .italic)), Run("         ", code)],
            [Run(" print(1)   ", code)],
        ])
    }

    @Test func diffCodeBlocksColourTheirLines() {
        let lines = markdown("```diff\n@@ -1 +1 @@\n-old\n+new\n same\n```", width: 14)
        let onCode = { (style: Style) in Style(foreground: style.foreground, background: code.background,
                                               attributes: style.attributes) }
        #expect(lines.count == 5)
        #expect(lines[1] == [Run(" ", code), Run("@@ -1 +1 @@", onCode(t.muted)), Run("  ", code)])
        #expect(lines[2] == [Run(" ", code), Run("-old", onCode(t.diffRemoved)), Run("         ", code)])
        #expect(lines[3] == [Run(" ", code), Run("+new", onCode(t.diffAdded)), Run("         ", code)])
        #expect(lines[4] == [Run("  same        ", code)])
    }

    @Test func bulletListsHangTheirWrappedLines() {
        let marker = t.accent
        #expect(markdown("- one two three\n- four\n  - nested item\n* five", width: 10) == [
            [Run("•", marker), Run(" one two", text)],
            [Run("  three", text)],
            [Run("•", marker), Run(" four", text)],
            [Run("  ", text), Run("◦", marker), Run(" nested", text)],
            [Run("    item", text)],
            [Run("•", marker), Run(" five", text)],
        ])
        #expect(markdown("- one two three", width: 40) == [[Run("•", marker), Run(" one two three", text)]])
    }

    @Test func numberedListsKeepTheirNumbersAndContinuationLines() {
        let marker = t.accent
        #expect(markdown("1. alpha beta\n   more\n10. gamma **g**", width: 10) == [
            [Run("1.", marker), Run(" alpha", text)],
            [Run("   beta", text)],
            [Run("   more", text)],
            [Run("10.", marker), Run(" gamma", text)],
            [Run("    ", text), Run("g", text.adding(.bold))],
        ])
    }

    @Test func blockQuotesHaveABar() {
        let quoted = t.muted.adding(.italic)
        #expect(markdown("> quoted **x**\n> line two", width: 30) == [
            [Run("│ ", t.border), Run("quoted ", quoted), Run("x", quoted.adding(.bold))],
            [Run("│ ", t.border), Run("line two", quoted)],
        ])
        #expect(markdown("> quoted **x**", width: 6) == [
            [Run("│ ", t.border), Run("quot", quoted)],
            [Run("│ ", t.border), Run("ed ", quoted), Run("x", quoted.adding(.bold))],
        ])
        #expect(markdown("> > deep", width: 20) == [[Run("│ │ ", t.border), Run("deep", quoted)]])
    }

    @Test func rulesAndBlankLines() {
        #expect(markdown("\n\na\n\n\n---\n\nb\n\n", width: 5) == [
            [Run("a", text)], [], [Run("─────", t.border)], [], [Run("b", text)],
        ])
        #expect(markdown("***", width: 12) == [[Run(String(repeating: "─", count: 12), t.border)]])
        #expect(markdown("a\r\nb\r\n\r\n# c\r\n", width: 12) == [
            [Run("a", text)], [Run("b", text)], [], [Run("c", t.accent.adding([.bold, .underline]))],
        ])
    }

    @Test func wideCharactersWrapByDisplayWidth() {
        #expect(plainText(markdown("你好世界 hello 🙂🙂", width: 6)) == ["你好世", "界", "hello", "🙂🙂"])
        #expect(markdown("**你好**世界", width: 5) == [[Run("你好", text.adding(.bold))], [Run("世界", text)]])
        #expect(plainText(markdown("- 你好世界", width: 6)) == ["• 你好", "  世界"])
    }

    @Test func plainTextWrapsExactlyLikeTextWrapper() {
        let samples = ["你好！Hello 🙂 — that is 'hello' in Chinese.", "one  two   three four",
                       "a verylongwordthatdoesnotfit here", "line one\nline two"]
        for sample in samples {
            for width in [4, 7, 12, 40] {
                #expect(plainText(markdown(sample, width: width)) == TextWrapper.wrap(sample, width: width),
                        "\(sample) at \(width)")
            }
        }
    }
}
