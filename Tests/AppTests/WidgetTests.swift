import AgentCore
import Testing
import TerminalUI
@testable import App

/// Each view drawn on its own into a buffer of its size and compared cell by cell (text and
/// style) with the whole expected buffer; see `ExpectedCells` for the mask letters.
@Suite struct WidgetTests {
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
                      .turn(.failed(turn: 2, message: "server closed"))], to: &state)
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
                      .turn(.finished(turn: 1, .stop, elapsedSeconds: nil))], to: &state)
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
            .turn(.toolCall(turn: 1, Scenes.editCall, preview: Scenes.editPreview)),
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
            .turn(.toolCall(turn: 1, Scenes.readCall, preview: Scenes.readPreview)),
            .turn(.toolResult(turn: 1, callID: "c1", output: .failure("not found: Sources/main.swift"))),
            .turn(.toolCall(turn: 1, Scenes.editCall, preview: Scenes.editPreview)),
            .turn(.approvalNeeded(turn: 1, callID: "c2", preview: Scenes.editPreview)),
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

    @Test func approvalOverlay() {
        let approval = Scenes.approval().approval!
        cells.expect(drawn(width: 50, height: 16) {
            ApprovalView.draw(approval, in: Rect(x: 0, y: 0, width: 50, height: 16), buffer: &$0, theme: theme)
        }, text: [
            "",
            " ╭──────────────────────────────────────────────╮",
            " │ Allow edit_file?                             │",
            " │ Sources/main.swift                           │",
            " │                                              │",
            " │ --- a/Sources/main.swift                     │",
            " │ +++ b/Sources/main.swift                     │",
            " │ @@ -1,2 +1,6 @@                              │",
            " │  import Foundation                           │",
            #" │ -print("start")                              │"#,
            " │ +func greet(_ name: String) {                │",
            #" │ +    print("Hello, \(name)!")                │"#,
            " │ lines 1-7 of 9 · ↑↓ PgUp PgDn scroll         │",
            " │ y yes · n no · a always · Esc no             │",
            " ╰──────────────────────────────────────────────╯",
            "",
        ], masks: [
            "",
            " bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb ",
            " btaaaaaaaaaaaaaaaatttttttttttttttttttttttttttttb ",
            " bttttttttttttttttttttttttttttttttttttttttttttttb ",
            " bttttttttttttttttttttttttttttttttttttttttttttttb ",
            " btmmmmmmmmmmmmmmmmmmmmmmmmtttttttttttttttttttttb ",
            " btmmmmmmmmmmmmmmmmmmmmmmmmtttttttttttttttttttttb ",
            " btaaaaaaaaaaaaaaattttttttttttttttttttttttttttttb ",
            " bttttttttttttttttttttttttttttttttttttttttttttttb ",
            " bt---------------ttttttttttttttttttttttttttttttb ",
            " bt+++++++++++++++++++++++++++++ttttttttttttttttb ",
            " bt+++++++++++++++++++++++++++++ttttttttttttttttb ",
            " btmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmtttttttttb ",
            " btmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmtttttttttttttb ",
            " bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb ",
            "",
        ])
    }

    @Test func approvalOverlayScrolledWithAReasonBeingTyped() {
        var state = Scenes.approval()
        Scenes.apply([.key(.down), .key(.down)], to: &state)
        Scenes.type("nno", into: &state)
        let approval = state.approval!
        cells.expect(drawn(width: 40, height: 12) {
            ApprovalView.draw(approval, in: Rect(x: 0, y: 0, width: 40, height: 12), buffer: &$0, theme: theme)
        }, text: [
            "",
            " ╭────────────────────────────────────╮",
            " │ Allow edit_file?                   │",
            " │ Sources/main.swift                 │",
            " │                                    │",
            " │ @@ -1,2 +1,6 @@                    │",
            " │  import Foundation                 │",
            #" │ -print("start")                    │"#,
            " │ lines 3-5 of 9 · ↑↓ scroll         │",
            " │ Reason: no                         │",
            " ╰────────────────────────────────────╯",
            "",
        ], masks: [
            "",
            " bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb ",
            " btaaaaaaaaaaaaaaaatttttttttttttttttttb ",
            " bttttttttttttttttttttttttttttttttttttb ",
            " bttttttttttttttttttttttttttttttttttttb ",
            " btaaaaaaaaaaaaaaattttttttttttttttttttb ",
            " bttttttttttttttttttttttttttttttttttttb ",
            " bt---------------ttttttttttttttttttttb ",
            " btmmmmmmmmmmmmmmmmmmmmmmmmmmtttttttttb ",
            " btwwwwwwwwtttttttttttttttttttttttttttb ",
            " bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb ",
            "",
        ])
    }

    @Test func sidebar() {
        let state = Scenes.withProviders()
        cells.expect(drawn(width: 32, height: 20) {
            SidebarView.draw(state, in: Rect(x: 0, y: 0, width: 32, height: 20), buffer: &$0, theme: theme)
        }, text: [
            "│ Provider",
            "│  local · ollama",
            "│  http://127.0.0.1:11434",
            "│  ● online · 3 models",
            "│ Model",
            "│  qwen2.5-coder:7b",
            "│  32.8k ctx · tools · $ n/a",
            "│  loaded",
            "│",
            "│ Providers",
            "│  ● local",
            "│  ○ cloud",
            "│",
            "│ Models (3) · F5 refresh",
            "│ ▸ qwen2.5-coder:7b",
            "│    32.8k ctx · tools · $ n/a",
            "│    loaded",
            "│   llama3.2:3b",
            "│    131k ctx · tools · $ n/a",
            "│   deepseek-coder-v2:16b",
        ], masks: [
            "b aaaaaaaa ",
            "b  tttttttttttttt ",
            "b  mmmmmmmmmmmmmmmmmmmmmm ",
            "b  kkkkkkkkkkkkkkkkkkk ",
            "b aaaaa ",
            "b  tttttttttttttttt ",
            "b  mmmmmmmmmmmmmmmmmmmmmmmmm ",
            "b  mmmmmm ",
            "b ",
            "b aaaaaaaaa ",
            "b  kkkkkkk ",
            "b  eeeeeee ",
            "b ",
            "b aaaaaaaaaaaaaaaaaaaaaaa ",
            "b aaaaaaaaaaaaaaaaaa ",
            "b    mmmmmmmmmmmmmmmmmmmmmmmmm ",
            "b    mmmmmm ",
            "b ttttttttttttt ",
            "b    mmmmmmmmmmmmmmmmmmmmmmmm ",
            "b ttttttttttttttttttttttt ",
        ])
    }

    @Test func meterWithAndWithoutTheModel() {
        let state = Scenes.conversation()
        let both = drawn(width: 100, height: 2) {
            MeterView.draw(state, in: Rect(x: 0, y: 0, width: 100, height: 1), buffer: &$0, theme: theme, showsModel: false)
            MeterView.draw(state, in: Rect(x: 0, y: 1, width: 100, height: 1), buffer: &$0, theme: theme, showsModel: true)
        }
        cells.expect(both, text: [
            " turn in 2.2k out 96 · session in 2.2k out 96 · 48.0 tok/s        ▓░░░░░░░ 2.2k/32.8k · ready · ask",
            " turn in 2.2k out 96                   qwen2.5-coder:7b @ local · ▓░░░░░░░ 2.2k/32.8k · ready · ask",
        ], masks: [
            "M",
            "M",
        ])
        // Too narrow for both halves: the right one is left out rather than overlapping.
        cells.expect(drawn(width: 60, height: 1) {
            MeterView.draw(state, in: Rect(x: 0, y: 0, width: 60, height: 1), buffer: &$0, theme: theme, showsModel: true)
        }, text: [
            " turn in 2.2k out 96 · session in 2.2k out 96   ready · ask",
        ], masks: [
            "M",
        ])
    }

    @Test func multiLineInputEditorWrapsAndScrollsToTheCursor() {
        var state = Scenes.withProviders()
        Scenes.type("first line", into: &state)
        Scenes.apply([.key(.control("j"))], to: &state)
        Scenes.type("second 你好世界 wraps here", into: &state)
        var cursor = (x: 0, y: 0)
        cells.expect(drawn(width: 20, height: 4) {
            cursor = InputView.draw(state, in: Rect(x: 0, y: 0, width: 20, height: 4), buffer: &$0, theme: theme)
        }, text: [
            "› first line",
            "  second 你好世界 w",
            "  raps here",
            "",
        ], masks: [
            "aaiiiiiiiiii ",
            "aaiiiiiiiiiiiiiiiii ",
            "aaiiiiiiiii ",
            "",
        ])
        #expect(cursor == (x: 11, y: 2))
        // Two rows: the first line scrolls out, the cursor's row stays in view.
        cells.expect(drawn(width: 20, height: 2) {
            cursor = InputView.draw(state, in: Rect(x: 0, y: 0, width: 20, height: 2), buffer: &$0, theme: theme)
        }, text: [
            "  second 你好世界 w",
            "  raps here",
        ], masks: [
            "aaiiiiiiiiiiiiiiiii ",
            "aaiiiiiiiii ",
        ])
        #expect(cursor == (x: 11, y: 1))
    }

    @Test func completionPopupAboveTheInput() {
        var state = Scenes.withProviders()
        Scenes.type("/m", into: &state)
        cells.expect(drawn(width: 60, height: 4) {
            CompletionView.draw(state, above: Rect(x: 0, y: 3, width: 60, height: 1), buffer: &$0, theme: theme)
        }, text: [
            "",
            "  /model              pick a model (or set one by id)",
            "  /mode               what runs without asking",
            "",
        ], masks: [
            "",
            "s",
            "s",
            "",
        ])
    }

    @Test func modelPickerFilteredWithAFailingProvider() {
        var state = Scenes.withProviders()
        Scenes.apply([.key(.control("p")), .providerModels(name: "cloud", .failed("bad or missing API key"))], to: &state)
        Scenes.type("coder", into: &state)
        Scenes.apply([.key(.down)], to: &state)
        guard case .modelPicker(let picker) = state.overlay else {
            Issue.record("the picker is not open")
            return
        }
        cells.expect(drawn(width: 70, height: 9) {
            ModelPickerView.draw(picker, state: state, in: Rect(x: 0, y: 0, width: 70, height: 9), buffer: &$0, theme: theme)
        }, text: [
            "Pick a model · type to filter · ↑↓ Enter · F5 refresh · Esc closes",
            "Filter: coder",
            "local  ollama",
            "  ● qwen2.5-coder:7b                  32.8k ctx · tools · $ n/a",
            "▸   deepseek-coder-v2:16b             163k ctx · no tools · $ n/a",
            "cloud  openrouter",
            "  cannot list: bad or missing API key",
            "",
            "",
        ], masks: [
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ",
            "mmmmmmmmttttt ",
            "aaaaammmmmmmm ",
            "aattttttttttttttttttttttttttttttttttttmmmmmmmmmmmmmmmmmmmmmmmmm ",
            "aassssssssssssssssssssssssssssssssssssmmmmmmmmmmmmmmmmmmmmmmmmmmm ",
            "aaaaammmmmmmmmmmm ",
            "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee ",
            "",
            "",
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
            " turn in 2.2k out 96 · session in 2.2k out 96   ready · ask",
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
