import AgentCore
import Testing
import TerminalUI
@testable import App

/// The chat pane's views drawn into a buffer of their size and compared cell by cell (text
/// and style) with the whole expected buffer; see `ExpectedCells` for the mask letters.
@Suite(.timeLimit(.minutes(2))) struct ChatWidgetTests {
    let theme = ExpectedCells.theme
    let cells = ExpectedCells()

    /// The chat pane of `state` drawn into a `width` x `height` buffer.
    func chat(_ state: AppState, width: Int, height: Int) -> ScreenBuffer {
        var cache = ChatLayoutCache()
        return drawn(width: width, height: height) {
            ChatView.draw(state, in: Rect(x: 0, y: 0, width: width, height: height), buffer: &$0, cache: &cache,
                          theme: theme)
        }
    }

    /// Every kind of chat entry: user, assistant (cancelled, failed, streaming), notice, error.
    func entriesOfEachKind() -> AppState {
        var state = AppState(size: TerminalSize(columns: 40, rows: 24), provider: Scenes.activeProvider)
        Scenes.type("hi 你好", into: &state)
        Scenes.apply([.key(.enter), .turn(.text(turn: 1, "Sure.")), .key(.escape),
                      .info("Saved.", isError: false), .info("Disk full", isError: true)], to: &state)
        Scenes.type("again", into: &state)
        Scenes.apply([.key(.enter), .turn(.text(turn: 2, "Partial")),
                      .turn(.refused(turn: 2, "server closed"))], to: &state)
        Scenes.type("go", into: &state)
        Scenes.apply([.key(.enter), .turn(.text(turn: 3, "Streaming"))], to: &state)
        return state
    }

    @Test func chatEntriesOfEachKind() {
        cells.expect(chat(entriesOfEachKind(), width: 40, height: 20), text: [
            "› hi 你好",
            "",
            "  Sure.",
            "  [cancelled]",
            "",
            "· Saved.",
            "",
            "✗ Disk full",
            "",
            "› again",
            "",
            "  Partial",
            "  [incomplete]",
            "",
            "✗ server closed",
            "",
            "› go",
            "",
            "  Streaming▍",
            "",
        ], masks: [
            "uuttttttt ",
            "",
            "AAAAAAA ",
            "mmwwwwwwwwwww ",
            "",
            "mmmmmmmm ",
            "",
            "eeeeeeeeeee ",
            "",
            "uuttttt ",
            "",
            "AAAAAAAAA ",
            "mmwwwwwwwwwwww ",
            "",
            "eeeeeeeeeeeeeee ",
            "",
            "uutt ",
            "",
            "AAAAAAAAAAAA ",
            "",
        ])
    }

    @Test func chatWrapsCJKAndEmojiByDisplayWidth() {
        var state = AppState(size: TerminalSize(columns: 40, rows: 24), provider: Scenes.activeProvider)
        Scenes.type("你好世界，这是一个很长的句子 🙂🙂 emoji end", into: &state)
        Scenes.apply([.key(.enter), .turn(.text(turn: 1, "答：🙂 好的。")),
                      .turn(.finished(turn: 1, .stop, elapsedSeconds: 0))], to: &state)
        cells.expect(chat(state, width: 17, height: 8), text: [
            "› 你好世界，这是",
            "  一个很长的句子",
            "  🙂🙂 emoji end",
            "",
            "  答：🙂 好的。",
            "",
            "",
            "",
        ], masks: [
            "uutttttttttttttt ",
            "uutttttttttttttt ",
            "uutttttttttttttt ",
            "",
            "AAAAAAAAAAAAAAA ",
            "",
            "",
            "",
        ])
    }

    @Test func assistantMarkdownWithACodeBlock() {
        let state = Scenes.conversation(columns: 60, rows: 30)
        let extra: [Character: Style] = [
            "B": theme.assistant.adding(.bold),
            "L": Style(foreground: theme.muted.foreground, background: theme.codeBackground.background, attributes: .italic),
        ]
        ExpectedCells(extra: extra).expect(chat(state, width: 44, height: 14), text: [
            "",
            "  I'll read the file first.",
            "",
            "✓ read_file  Sources/main.swift  → 2 lines",
            "",
            "  Here is the function:",
            "",
            "   swift",
            "   func greet(_ name: String) {",
            #"       print("Hello, \(name)!")"#,
            "   }",
            "",
            "  Call it from main.swift, then run swift",
            "  run.",
        ], masks: [
            "",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAA ",
            "",
            "kkTTTTTTTTTttttttttttttttttttttmmmmmmmmmmm ",
            "",
            "AAAAAAAAAAAAAABBBBBBBBA ",
            "AA ",
            "AAcLLLLLc",
            "AAc",
            "AAc",
            "AAc",
            "AA ",
            "AAAAAAAAAAAAAAAccccccccccAAAAAAAAAAAccccc ",
            "AAcccA ",
        ])
    }

    @Test func toolEntryCollapsedThenExpanded() {
        var state = Scenes.withProviders(columns: 60, rows: 20)
        Scenes.type("edit", into: &state)
        Scenes.apply([
            .key(.enter),
            .turn(.toolCall(turn: 1, call: Scenes.editCall, preview: Scenes.editPreview)),
            .turn(.toolResult(turn: 1, callID: "c2", output: ToolOutput(content: "ok\nsaved", summary: "1 replacement"))),
        ], to: &state)
        cells.expect(chat(state, width: 44, height: 3), text: [
            "› edit",
            "",
            "✓ edit_file  Sources/main.swift  → 1 replac…",
        ], masks: [
            "uutttt ",
            "",
            "kkTTTTTTTTTttttttttttttttttttttm",
        ])
        Scenes.apply([.key(.control("o"))], to: &state)
        cells.expect(chat(state, width: 44, height: 14), text: [
            "› edit",
            "",
            "✓ edit_file  Sources/main.swift  → 1 replac…",
            "    --- a/Sources/main.swift",
            "    +++ b/Sources/main.swift",
            "    @@ -1,2 +1,6 @@",
            "     import Foundation",
            #"    -print("start")"#,
            "    +func greet(_ name: String) {",
            #"    +    print("Hello, \(name)!")"#,
            "    +}",
            #"    +greet("world")"#,
            "    ok",
            "    saved",
        ], masks: [
            "uutttt ",
            "",
            "kkTTTTTTTTTttttttttttttttttttttm",
            "mmmmmmmmmmmmmmmmmmmmmmmmmmmm ",
            "mmmmmmmmmmmmmmmmmmmmmmmmmmmm ",
            "mmmmaaaaaaaaaaaaaaa ",
            "mmmmtttttttttttttttttt ",
            "mmmm--------------- ",
            "mmmm+++++++++++++++++++++++++++++ ",
            "mmmm+++++++++++++++++++++++++++++ ",
            "mmmm++ ",
            "mmmm+++++++++++++++ ",
            "mmmmmm ",
            "mmmmmmmmm ",
        ])
    }

    @Test func toolEntryWaitingForApprovalAndFailed() {
        var state = Scenes.withProviders(columns: 60, rows: 20)
        Scenes.type("edit", into: &state)
        Scenes.apply([
            .key(.enter),
            .turn(.toolCall(turn: 1, call: Scenes.readCall, preview: Scenes.readPreview)),
            .turn(.toolResult(turn: 1, callID: "c1", output: .failure("not found: Sources/main.swift"))),
            .turn(.toolCall(turn: 1, call: Scenes.editCall, preview: Scenes.editPreview)),
            .turn(.approvalNeeded(turn: 1, callID: "c2", preview: Scenes.editPreview)),
            .approvalArmed(callID: "c2"),
        ], to: &state)
        // A narrow pane cuts the tool line instead of wrapping it.
        cells.expect(chat(state, width: 40, height: 3), text: [
            "✗ read_file  Sources/main.swift  → not …",
            "",
            "? edit_file  Sources/main.swift  waitin…",
        ], masks: [
            "eeTTTTTTTTTtttttttttttttttttttte",
            "",
            "wwTTTTTTTTTttttttttttttttttttttw",
        ])
    }

    @Test func wholeFrameAt60x20WithTheSidebarFolded() {
        var renderer = FrameRenderer(theme: theme)
        let (frame, cursor) = renderer.render(Scenes.conversation(columns: 60, rows: 20))
        let extra: [Character: Style] = [
            "B": theme.assistant.adding(.bold),
            "L": Style(foreground: theme.muted.foreground, background: theme.codeBackground.background, attributes: .italic),
        ]
        ExpectedCells(extra: extra).expect(frame, text: [
            " › Add a greeting function to main.swift",
            "",
            "   I'll read the file first.",
            "",
            " ✓ read_file  Sources/main.swift  → 2 lines",
            "",
            "   Here is the function:",
            "",
            "    swift",
            "    func greet(_ name: String) {",
            #"        print("Hello, \(name)!")"#,
            "    }",
            "",
            "   Call it from main.swift, then run swift run.",
            "",
            "",
            "",
            "",
            " turn in 2.2k out 96 $0.00                      ready · ask",
            "› Type a prompt · Enter sends · / commands · ? help",
        ], masks: [
            " uuttttttttttttttttttttttttttttttttttttt ",
            "",
            " AAAAAAAAAAAAAAAAAAAAAAAAAAA ",
            "",
            " kkTTTTTTTTTttttttttttttttttttttmmmmmmmmmmm ",
            "",
            " AAAAAAAAAAAAAABBBBBBBBA ",
            " AA ",
            " AAcLLLLLcccccccccccccccccccccccccccccccccccccccccccccccccc ",
            " AAcccccccccccccccccccccccccccccccccccccccccccccccccccccccc ",
            " AAcccccccccccccccccccccccccccccccccccccccccccccccccccccccc ",
            " AAcccccccccccccccccccccccccccccccccccccccccccccccccccccccc ",
            " AA ",
            " AAAAAAAAAAAAAAAccccccccccAAAAAAAAAAAcccccccccA ",
            "",
            "",
            "",
            "",
            "M",
            "aammmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm ",
        ])
        #expect(cursor == (x: 2, y: 19))
    }
}
