import AgentCore
import Testing
import TerminalUI
@testable import App

/// Streaming: finished blocks are cached, only the tail is re-rendered, and any way of
/// splitting the text gives the same lines as rendering it whole.
@Suite(.timeLimit(.minutes(2))) struct MarkdownStreamingTests {
    static let document = """
    # Plan

    Intro with **bold**, *italic*, `code` and a [link](https://example.com).
    Second line of the paragraph, 你好世界 🙂.

    - first item that is long enough to wrap
      continued here
    - second
      - nested
    1. one
    2. two

    > a quote
    > > nested quote

    ```swift
    func f() {
        print("hi")
    }
    ```

    ---
    ```diff
    -old
    +new
    ```
    Final words without a trailing newline
    """

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func randomSplitsGiveTheSameLinesAsTheWholeText(seed: UInt64) {
        var random = SplitMix(state: seed)
        let characters = Array(Self.document)
        for width in [18, 60] {
            let renderer = MarkdownRenderer(width: width, theme: markdownTheme)
            var incremental = IncrementalMarkdown()
            var end = 0
            while end < characters.count {
                end = min(characters.count, end + Int.random(in: 1...12, using: &random))
                let prefix = String(characters[..<end])
                let streamed = incremental.render(prefix, renderer: renderer)
                #expect(runs(streamed) == runs(renderer.render(prefix)), "width \(width), prefix of \(end)")
            }
            #expect(runs(incremental.render(Self.document, renderer: renderer)) == runs(renderer.render(Self.document)))
        }
    }

    @Test func finishedBlocksAreRenderedOnce() {
        let renderer = MarkdownRenderer(width: 40, theme: markdownTheme)
        var incremental = IncrementalMarkdown()
        var text = (1...20).map { "Paragraph \($0) **done**." }.joined(separator: "\n\n") + "\n\nStreaming"
        _ = incremental.render(text, renderer: renderer)
        let afterFirst = incremental.blocksRendered
        #expect(afterFirst == 41)  // 20 paragraphs, 20 blank lines, the open tail
        for word in [" more", " words", " arrive", "."] {
            text += word
            let before = incremental.blocksRendered
            _ = incremental.render(text, renderer: renderer)
            // Only the blank line before the open paragraph and the paragraph itself.
            #expect(incremental.blocksRendered - before == 2)
        }
        #expect(runs(incremental.render(text, renderer: renderer)) == runs(renderer.render(text)))
    }

    @Test func aChangedPrefixOrWidthStartsAgain() {
        let renderer = MarkdownRenderer(width: 30, theme: markdownTheme)
        var incremental = IncrementalMarkdown()
        _ = incremental.render("# One\n\nfirst\n\nsecond", renderer: renderer)
        let edited = "# Two\n\nfirst\n\nsecond"
        #expect(runs(incremental.render(edited, renderer: renderer)) == runs(renderer.render(edited)))
        let narrow = MarkdownRenderer(width: 4, theme: markdownTheme)
        #expect(runs(incremental.render(edited, renderer: narrow)) == runs(narrow.render(edited)))
    }

    @Test func aClosedFenceIsFinishedAtOnce() {
        let renderer = MarkdownRenderer(width: 30, theme: markdownTheme)
        var incremental = IncrementalMarkdown()
        _ = incremental.render("```\ncode\n```\n", renderer: renderer)
        let before = incremental.blocksRendered
        _ = incremental.render("```\ncode\n```\nnext", renderer: renderer)
        #expect(incremental.blocksRendered - before == 1)
    }
}

/// Assistant entries in the chat pane are rendered as markdown.
@Suite(.timeLimit(.minutes(2))) struct ChatMarkdownTests {
    func state(_ text: String, columns: Int, status: ChatEntry.Status = .complete) -> AppState {
        var state = AppState(size: TerminalSize(columns: columns, rows: 12),
                             provider: ActiveProvider(name: "p", kind: "k", baseURL: "u", model: "m"))
        state.append(.assistant, text, status: status)
        return state
    }

    @Test func aCodeBlockHasItsBackgroundAcrossTheChatWidth() {
        var renderer = FrameRenderer(theme: markdownTheme)
        let frame = renderer.render(state("Look:\n```sh\nls -la\n```\nDone **now**.", columns: 40)).frame
        #expect(Array(frame.textLines.prefix(5)) == ["   Look:", "    sh", "    ls -la", "   Done now.", ""])
        let background = markdownTheme.codeBackground.background
        for y in 1...2 {
            #expect((3..<39).allSatisfy { frame[$0, y].style.background == background }, "row \(y)")
            #expect(frame[2, y].style.background == .default && frame[39, y].style.background == .default)
        }
        #expect(frame[8, 3].style == markdownTheme.assistant.adding(.bold))  // "now"
    }

    @Test func theStreamingCursorFollowsTheMarkdown() {
        var renderer = FrameRenderer(theme: markdownTheme)
        let paragraph = renderer.render(state("some **bold", columns: 40, status: .streaming)).frame
        #expect(paragraph.textLines[0] == "   some **bold▍")
        let code = renderer.render(state("```\nlet x", columns: 40, status: .streaming)).frame
        #expect(code.textLines[0] == "    let x▍")
        #expect(code[9, 0].style.background == markdownTheme.codeBackground.background)
        let empty = renderer.render(state("", columns: 40, status: .streaming)).frame
        #expect(empty.textLines[0] == "   ▍")
    }

    @Test func changingTheThemeRedrawsCachedEntries() {
        var renderer = FrameRenderer(theme: markdownTheme)
        let conversation = state("**x**", columns: 40)
        #expect(renderer.render(conversation).frame[3, 0].style == markdownTheme.assistant.adding(.bold))
        renderer.theme = ThemeCatalog().load("monochrome", depth: .monochrome).theme
        #expect(renderer.render(conversation).frame[3, 0].style == Style(attributes: .bold))
    }
}

@Suite(.timeLimit(.minutes(2))) struct DiffStylerTests {
    @Test func unifiedDiffLinesGetTheirRoles() {
        let t = markdownTheme
        let diff = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-old line\n+new line\n context\n"
        #expect(runs(DiffStyler.lines(diff, width: 40, theme: t)) == [
            [Run("diff --git a/x b/x", t.muted.adding(.bold))], [Run("--- a/x", t.muted.adding(.bold))],
            [Run("+++ b/x", t.muted.adding(.bold))], [Run("@@ -1,2 +1,2 @@", t.muted)],
            [Run("-old line", t.diffRemoved)], [Run("+new line", t.diffAdded)], [Run(" context", t.text)],
        ])
        #expect(runs(DiffStyler.lines("+abcdef", width: 4, theme: t)) == [[Run("+abc", t.diffAdded)], [Run("def", t.diffAdded)]])
    }
}

@Suite(.timeLimit(.minutes(2))) struct OpenCodeBlockTests {
    @Test func aStreamingCodeBlockRendersOnlyItsNewLines() {
        let renderer = MarkdownRenderer(width: 30, theme: markdownTheme)
        var incremental = IncrementalMarkdown()
        var text = "Intro\n\n```swift\n"
        _ = incremental.render(text, renderer: renderer)
        for index in 1...50 {
            text += "let v\(index) = \(index)\n"
            let before = incremental.codeLinesRendered
            _ = incremental.render(text + "// partial", renderer: renderer)
            // The newly completed line and the partial one.
            #expect(incremental.codeLinesRendered - before == 2)
        }
        #expect(runs(incremental.render(text, renderer: renderer)) == runs(renderer.render(text)))
    }

    @Test func anEditedOpenCodeBlockIsRenderedAgain() {
        let renderer = MarkdownRenderer(width: 30, theme: markdownTheme)
        var incremental = IncrementalMarkdown()
        _ = incremental.render("```\nold line\nnext", renderer: renderer)
        let edited = "```\nnew line\nnext"
        #expect(runs(incremental.render(edited, renderer: renderer)) == runs(renderer.render(edited)))
        let relabelled = "```diff\n-new line\nnext"
        _ = incremental.render("```diff\n", renderer: renderer)
        #expect(runs(incremental.render(relabelled, renderer: renderer)) == runs(renderer.render(relabelled)))
    }
}
