import AgentCore
import Testing
import TerminalUI
@testable import App

/// The approval overlay, sidebar, meter, input editor, completion popup and model picker,
/// each drawn into a buffer of its size and compared cell by cell with the whole expected
/// buffer; see `ExpectedCells` for the mask letters.
@Suite(.timeLimit(.minutes(2))) struct PanelWidgetTests {
    let theme = ExpectedCells.theme
    let cells = ExpectedCells()

    @Test func approvalOverlay() throws {
        let approval = try #require(Scenes.approval().approval)
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
            " │ lines 1-7 of 9 · ↓ 2 more · ↑↓ scroll        │",
            " │ y yes · n no (with a reason) · Esc no        │",
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
            " btmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmttttttttb ",
            " btmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmttttttttb ",
            " bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb ",
            "",
        ])
    }

    @Test func approvalOverlayScrolledWithAReasonBeingTyped() throws {
        // 40x14: the chat pane the box covers is 40x12, the size it is drawn at here.
        var state = Scenes.approval(columns: 40, rows: 14)
        Scenes.apply([.key(.down), .key(.down)], to: &state)
        Scenes.type("nno", into: &state)
        let approval = try #require(state.approval)
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
            " │ lines 3-5 of 9 · ↓ 4 more          │",
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
            " btmmmmmmmmmmmmmmmmmmmmmmmmmttttttttttb ",
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
            "│  32k ctx · tools · $ n/a",
            "│  loaded",
            "│",
            "│ Providers",
            "│  ● local",
            "│  ○ cloud",
            "│",
            "│ Models (3) · F5 refresh",
            "│ ▸ qwen2.5-coder:7b",
            "│    32k ctx · tools · $ n/a",
            "│    loaded",
            "│ … 2 more · Ctrl-P lists all",
            "│",
            "│ ? help · Ctrl-P models",
        ], masks: [
            "b aaaaaaaa ",
            "b  tttttttttttttt ",
            "b  mmmmmmmmmmmmmmmmmmmmmm ",
            "b  kkkkkkkkkkkkkkkkkkk ",
            "b aaaaa ",
            "b  tttttttttttttttt ",
            "b  mmmmmmmmmmmmmmmmmmmmmmm ",
            "b  mmmmmm ",
            "b ",
            "b aaaaaaaaa ",
            "b  kkkkkkk ",
            "b  eeeeeee ",
            "b ",
            "b aaaaaaaaaaaaaaaaaaaaaaa ",
            "b aaaaaaaaaaaaaaaaaa ",
            "b    mmmmmmmmmmmmmmmmmmmmmmm ",
            "b    mmmmmm ",
            "b mmmmmmmmmmmmmmmmmmmmmmmmmmm ",
            "b ",
            "b mmmmmmmmmmmmmmmmmmmmmm ",
        ])
    }

    @Test func switchingToAnUnreachableProviderShowsItOfflineInTheHeaderAsInTheList() {
        var state = Scenes.withProviders()
        Scenes.apply([
            .providersListed(state.providers + [
                ProviderListing(name: "down", kind: "openai-compatible", baseURL: "http://127.0.0.1:9/v1",
                                defaultModel: "qwen"),
            ]),
            .providerModels(name: "down", .failed("server unreachable")),
        ], to: &state)
        Scenes.type("/provider down", into: &state)
        _ = Reducer.reduce(&state, .key(.enter))
        let sidebar = drawn(width: 40, height: 20) {
            SidebarView.draw(state, in: Rect(x: 0, y: 0, width: 40, height: 20), buffer: &$0, theme: theme)
        }
        let rows = (0..<sidebar.height).map { String(sidebar.line($0).reversed().drop { $0 == " " }.reversed()) }
        #expect(rows[1] == "│  down · openai-compatible")
        #expect(rows[3] == "│  ○ offline: server unreachable")
        #expect(rows.contains("│  ○ down"))
        #expect(!rows.contains { $0.contains("online") })
    }

    @Test func meterWithAndWithoutTheModel() {
        let state = Scenes.conversation()
        let both = drawn(width: 100, height: 2) {
            MeterView.draw(state, in: Rect(x: 0, y: 0, width: 100, height: 1), buffer: &$0, theme: theme, showsModel: false)
            MeterView.draw(state, in: Rect(x: 0, y: 1, width: 100, height: 1), buffer: &$0, theme: theme, showsModel: true)
        }
        cells.expect(both, text: [
            " turn in 2.2k out 96 $0.00 · session in 2.2k out 96 $0.00 · 48.0 tok/s       1.2k/32k · ready · ask",
            " turn in 2.2k out 96 $0.00 · session in 2.2k out 96 $0.00 · 48.0 tok/s       1.2k/32k · ready · ask",
        ], masks: [
            "M",
            "M",
        ])
        // Too narrow for both halves: the right one is left out rather than overlapping.
        cells.expect(drawn(width: 60, height: 1) {
            MeterView.draw(state, in: Rect(x: 0, y: 0, width: 60, height: 1), buffer: &$0, theme: theme, showsModel: true)
        }, text: [
            " turn in 2.2k out 96 $0.00                      ready · ask",
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
            "  ● qwen2.5-coder:7b                  32k ctx · tools · $ n/a · loaded",
            "▸   deepseek-coder-v2:16b             160k ctx · no tools · $ n/a",
            "cloud  openrouter",
            "  cannot list: bad or missing API key",
            "",
            "",
        ], masks: [
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ",
            "mmmmmmmmttttt ",
            "aaaaammmmmmmm ",
            "aattttttttttttttttttttttttttttttttttttm",
            "aassssssssssssssssssssssssssssssssssssmmmmmmmmmmmmmmmmmmmmmmmmmmm ",
            "aaaaammmmmmmmmmmm ",
            "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee ",
            "",
            "",
        ])
    }

    @Test func reportOverlayLongerThanItsBoxSaysWhatIsBelow() {
        var state = Scenes.withProviders()
        Scenes.apply([.report(title: "Usage", lines: (1...8).map { "row \($0)" })], to: &state)
        let area = Rect(x: 0, y: 0, width: 40, height: 8)
        guard let overlay = state.overlay else {
            Issue.record("the report is not open")
            return
        }
        cells.expect(drawn(width: 40, height: 8) {
            OverlayView.draw(overlay, state: state, in: area, buffer: &$0, theme: theme)
        }, text: [
            " ╭────────────────────────────────────╮",
            " │ Usage · Esc closes                 │",
            " │ row 1                              │",
            " │ row 2                              │",
            " │ row 3                              │",
            " │ row 4                              │",
            " │ ↓ 4 more lines · ↑↓ scroll         │",
            " ╰────────────────────────────────────╯",
        ], masks: [
            " bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb ",
            " btaaaaaaaaaaaaaaaaaatttttttttttttttttb ",
            " bttttttttttttttttttttttttttttttttttttb ",
            " bttttttttttttttttttttttttttttttttttttb ",
            " bttttttttttttttttttttttttttttttttttttb ",
            " bttttttttttttttttttttttttttttttttttttb ",
            " btmmmmmmmmmmmmmmmmmmmmmmmmmmtttttttttb ",
            " bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb ",
        ])
        // Scrolled to the end (the scroll is clamped): the last rows and "end".
        Scenes.apply([.key(.pageDown)], to: &state)
        guard let scrolled = state.overlay else { return }
        cells.expect(drawn(width: 40, height: 8) {
            OverlayView.draw(scrolled, state: state, in: area, buffer: &$0, theme: theme)
        }, text: [
            " ╭────────────────────────────────────╮",
            " │ Usage · Esc closes                 │",
            " │ row 5                              │",
            " │ row 6                              │",
            " │ row 7                              │",
            " │ row 8                              │",
            " │ end · ↑↓ PgUp PgDn Home scroll     │",
            " ╰────────────────────────────────────╯",
        ], masks: [
            " bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb ",
            " btaaaaaaaaaaaaaaaaaatttttttttttttttttb ",
            " bttttttttttttttttttttttttttttttttttttb ",
            " bttttttttttttttttttttttttttttttttttttb ",
            " bttttttttttttttttttttttttttttttttttttb ",
            " bttttttttttttttttttttttttttttttttttttb ",
            " btmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmtttttb ",
            " bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb ",
        ])
    }
}
