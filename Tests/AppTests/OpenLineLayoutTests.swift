import Testing
import TerminalUI
@testable import App

/// The open line of a streaming reply is laid out from its last cut (D148): whatever the
/// text and however it is split, the rows equal those of rendering the whole text at once,
/// and the work per call is the text after the cut, not the whole line.
@Suite(.timeLimit(.minutes(2))) struct OpenLineLayoutTests {
    /// Pieces of one long markdown line: inline code, emphasis, links, autolinks, escapes,
    /// openers that never close, CJK, emoji (ZWJ, flags, modifiers), combining marks, long
    /// unbroken words, markers inside words and next to spaces.
    static let pieces = [
        "word", "words", " ", " ", " ", " ", "  ", "**", "*", "_", "__", "`", "``", "```", "[", "]", "(", ")",
        "<", ">", "\\", "\\*", "\\`", "https://example.com/a/b", "**bold text**", "*it*", "_under_", "`code span`",
        "`` a`b ``", "[link](https://example.com)", "[x](y z)", "[](u)", "<https://a.example>", "<mailto:me@x>",
        "<div>", "a_b_c", "2 * 3", "x**y", "你好世界", "日本語のテキスト", "한국어", "🙂", "👨‍👩‍👧‍👦", "🇫🇷🇩🇪", "👍🏽",
        "e\u{301}", "\u{301}", "a\u{200D}b", "Supercalifragilisticexpialidocious-and-then-some-more-letters",
        String(repeating: "x", count: 70), "—", "…", "\t", "tok1 ", "tok2 ",
    ]

    static func line(seed: UInt64, pieces count: Int) -> String {
        var random = SplitMix(state: seed)
        return (0..<count).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }.joined()
    }

    /// `text` fed to one `IncrementalMarkdown` in random pieces; every call is compared with
    /// rendering that prefix whole. `widths` switches the width mid-stream (a resize).
    func expectStreamedEqualsWhole(_ text: String, seed: UInt64, widths: [Int], maxStep: Int = 9) {
        var random = SplitMix(state: seed)
        let characters = Array(text)
        var incremental = IncrementalMarkdown()
        var end = 0
        var step = 0
        while end < characters.count {
            end = min(characters.count, end + Int.random(in: 1...maxStep, using: &random))
            let width = widths[step / 25 % widths.count]
            step += 1
            let renderer = MarkdownRenderer(width: width, theme: markdownTheme)
            let prefix = String(characters[..<end])
            let streamed = incremental.render(prefix, renderer: renderer)
            let whole = renderer.render(prefix)
            #expect(runs(streamed) == runs(whole), "seed \(seed), width \(width), prefix \(prefix.debugDescription)")
            if runs(streamed) != runs(whole) { return }
        }
    }

    @Test(arguments: Array(UInt64(1)...24))
    func aLongLineStreamedInRandomPiecesEqualsTheWholeRender(seed: UInt64) {
        let text = Self.line(seed: seed, pieces: 160)
        expectStreamedEqualsWhole(text, seed: seed, widths: [seed % 2 == 0 ? 40 : 23])
    }

    @Test(arguments: Array(UInt64(1)...8))
    func aResizeMidStreamGivesTheWholeRenderAtTheNewWidth(seed: UInt64) {
        let text = Self.line(seed: seed &+ 100, pieces: 160)
        expectStreamedEqualsWhole(text, seed: seed, widths: [50, 17, 80, 31])
    }

    @Test(arguments: Array(UInt64(1)...8))
    func listItemsQuotesAndLaterLinesToo(seed: UInt64) {
        let text = "Intro line\n- " + Self.line(seed: seed &+ 200, pieces: 60)
            + "\n  continued " + Self.line(seed: seed &+ 300, pieces: 40)
            + "\n\n> quoted " + Self.line(seed: seed &+ 400, pieces: 60)
            + "\n\n12. numbered " + Self.line(seed: seed &+ 500, pieces: 60)
        expectStreamedEqualsWhole(text, seed: seed, widths: [36])
    }

    @Test func everyCutSplitsTheParseExactly() {
        // For each prefix with a cut: parsing before and after the cut separately gives the
        // runs of the whole prefix, and of every longer text (nothing later changes them).
        for seed in UInt64(1)...40 {
            let characters = Array(Self.line(seed: seed &+ 1000, pieces: 30))
            for end in stride(from: 1, through: characters.count, by: 3) {
                let prefix = String(characters[..<end])
                guard let cut = InlineMarkdown.parseWithCut(prefix).cut else { continue }
                for longer in [prefix, String(characters)] {
                    let index = longer.utf8.index(longer.startIndex, offsetBy: cut)
                    let split = InlineMarkdown.parse(longer[..<index]) + InlineMarkdown.parse(longer[index...])
                    #expect(merged(split) == merged(InlineMarkdown.parse(longer)),
                            "seed \(seed), cut \(cut) in \(prefix.debugDescription), text \(longer.debugDescription)")
                }
            }
        }
    }

    @Test func openersWithoutCloserHoldTheCutBack() {
        // Everything after an opener that may still close waits: the cut stays before it.
        for text in ["a b *c d e f", "a b `c d e f", "a b [c d e f", "a b [c](d e f", "a b <https://x.y/z", "a b _c d e f"] {
            let cut = InlineMarkdown.parseWithCut(text).cut
            #expect(cut == 4, "\(text)")
        }
        // Markers that can never open do not.
        for text in ["a b 2 * 3 and more", "a b snake_case and more", "a b [1] and more", "a b < c and more",
                     "a b <c d and more"] {
            let cut = InlineMarkdown.parseWithCut(text).cut ?? 0
            #expect(cut >= text.utf8.count - "more".utf8.count, "\(text)")
        }
        // Closed markup is passed: the cut is after it.
        #expect(InlineMarkdown.parseWithCut("a **b c** d `e` f [g](h) i <https://j> k l").cut == 39)
    }

    @Test func aLongLineCostsItsNewTextNotItsLength() {
        // 2,000 words on one line, one word per call: the bytes parsed grow with the text,
        // not with text × calls (the whole line each call was about 12,000 × 2,000 / 2).
        let renderer = MarkdownRenderer(width: 90, theme: markdownTheme)
        var incremental = IncrementalMarkdown()
        var text = ""
        for index in 0..<2_000 {
            text += index % 50 == 7 ? "**bold \(index)** " : "tok\(index) "
            _ = incremental.render(text, renderer: renderer)
        }
        let parsed = incremental.openLine?.bytesParsed ?? 0
        #expect(parsed > 0 && parsed < 4 * text.utf8.count, "\(parsed) bytes parsed for \(text.utf8.count)")
        #expect(runs(incremental.render(text, renderer: renderer)) == runs(renderer.render(text)))
    }

    @Test func anEditedLineIsLaidOutAgain() {
        let renderer = MarkdownRenderer(width: 20, theme: markdownTheme)
        var incremental = IncrementalMarkdown()
        _ = incremental.render("one two three four five six seven", renderer: renderer)
        _ = incremental.render("one two three four five six seven eight", renderer: renderer)
        for edited in ["one *two three four five six seven eight*", "uno two", "one two three four five six seven eight nine"] {
            #expect(runs(incremental.render(edited, renderer: renderer)) == runs(renderer.render(edited)), "\(edited)")
        }
    }

    /// Runs with adjacent equal traits merged (as the parser itself merges them).
    func merged(_ runs: [(text: String, traits: InlineTraits)]) -> [String] {
        var result: [(String, InlineTraits)] = []
        for run in runs where !run.text.isEmpty {
            if let last = result.last, last.1 == run.traits {
                result[result.count - 1].0 += run.text
            } else {
                result.append((run.text, run.traits))
            }
        }
        return result.map { "\($0.0)|\($0.1.rawValue)" }
    }
}
