import AgentCore
import Testing
import TerminalUI
@testable import App

/// The approval box shows exactly what will run (issue 10): the whole command once, wrapped
/// and never cut, every invisible character made visible, all of it reachable by scrolling.
@Suite(.timeLimit(.minutes(2))) struct ApprovalBoxWidgetTests {
    let theme = ExpectedCells.theme
    let cells = ExpectedCells()

    /// A turn waiting for approval of `run_command` with `command`, in a 40x14 screen: no
    /// sidebar, so the chat pane the box covers is 40x12, the size `box` draws it at.
    func commandApproval(_ command: String, columns: Int = 40, rows: Int = 14) -> AppState {
        var state = Scenes.withProviders(columns: columns, rows: rows)
        Scenes.type("Run it", into: &state)
        let preview = ToolPreview(toolName: "run_command", keyArgument: command, detail: command)
        let call = ToolCall(id: "c1", name: "run_command", arguments: "{}")
        Scenes.apply([
            .key(.enter),
            .turn(.toolCall(turn: 1, call: call, preview: preview)),
            .turn(.approvalNeeded(turn: 1, callID: "c1", preview: preview)),
            .approvalArmed(callID: "c1"),
        ], to: &state)
        return state
    }

    func box(_ state: AppState, width: Int = 40, height: Int = 12) -> ScreenBuffer {
        drawn(width: width, height: height) {
            ApprovalView.draw(state.approval!, in: Rect(x: 0, y: 0, width: width, height: height), buffer: &$0, theme: theme)
        }
    }

    /// The box is as tall as what it shows (a one-line command: six rows), at the pane's foot,
    /// with the rows above it left to the chat (D197).
    @Test func aTabIsAnArrowAndTheCommandIsShownOnce() {
        let state = commandApproval("true\t&& echo X")
        cells.expect(box(state), text: [
            "", "", "", "", "",
            " ╭────────────────────────────────────╮",
            " │ Allow run_command?                 │",
            " │ true→&& echo X                     │",
            " │                                    │",
            " │ y yes · n no · Esc no              │",
            " ╰────────────────────────────────────╯",
            "",
        ], masks: [
            "", "", "", "", "",
            " bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb ",
            " btaaaaaaaaaaaaaaaaaatttttttttttttttttb ",
            " btttttwttttttttttttttttttttttttttttttb ",
            " bttttttttttttttttttttttttttttttttttttb ",
            " btmmmmmmmmmmmmmmmmmmmmmttttttttttttttb ",
            " bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb ",
            "",
        ])
        #expect(ApprovalView.rowsAbove(state.approval!, in: Rect(x: 0, y: 0, width: 40, height: 12), theme: theme) == 5)
    }

    @Test func escapesAndBidiControlsAreSpelledOut() {
        let state = commandApproval("printf '\u{1B}[2J'; echo \u{202E}txt.sh\u{7F} \u{200B}x\u{A0}y ")
        #expect(bodyRows(state).joined() == #"printf '\x1b[2J'; echo \u{202E}txt.sh\x7f \u{200B}x\u{00A0}y·"#)
        let text = box(state).textLines.joined(separator: "\n")
        #expect(!text.contains("\u{1B}") && !text.contains("\u{202E}") && !text.contains("\u{7F}"), "\(text)")
    }

    @Test func threeHundredSpacesWrapAndTheRestIsReachable() {
        let command = "true" + String(repeating: " ", count: 300) + "; echo X"
        let state = commandApproval(command)
        // Every column of the command is on some row, in order (nothing dropped or cut), and
        // scrolling down draws every row.
        #expect(bodyRows(state).joined() == command)
        #expect(scrolledThrough(state) == bodyRows(state, padded: true))
        #expect(scrolledThrough(state).last?.hasPrefix("echo X") == true)
    }

    @Test func aTwoThousandCharacterCommandIsAllReachableByScrolling() {
        let words = (0..<400).map { String(format4($0)) }
        let command = "echo " + words.joined(separator: " ")
        #expect(command.count >= 2_000)
        var state = commandApproval(command)
        let first = box(state).textLines
        #expect(first.contains { $0.contains("↓") && $0.contains("more") }, "no 'more' indicator:\n\(first.joined(separator: "\n"))")
        #expect(bodyRows(state).joined() == command)
        #expect(scrolledThrough(state) == bodyRows(state, padded: true))
        // End jumps to the last rows; the indicator then says so, and Home goes back.
        Scenes.apply([.key(.end)], to: &state)
        let last = box(state).textLines
        #expect(last.contains { $0.contains("0399") } && last.contains { $0.contains("· end") })
        Scenes.apply([.key(.home)], to: &state)
        #expect(box(state).textLines.contains { $0.contains("Allow run_command?") && !$0.contains("0399") })
        #expect(box(state) == box(commandApproval(command)))
    }

    @Test func scrollingDownPastTheEndIsNotRemembered() {
        var state = commandApproval("echo " + String(repeating: "word ", count: 200))
        Scenes.apply(Array(repeating: .key(.pageDown), count: 50), to: &state)
        let atEnd = box(state)
        Scenes.apply([.key(.up)], to: &state)
        #expect(box(state) != atEnd, "Up after scrolling past the end must move at once")
    }

    @Test func diffsShowTabsTrailingSpacesAndWrapLongLines() {
        var state = Scenes.withProviders(columns: 40, rows: 14)
        let preview = ToolPreview(toolName: "edit_file", keyArgument: "a.go", detail: """
        @@ -1 +1 @@
        -\tx := 1
        +    x := 1 \(String(repeating: "y", count: 40))END
        """)
        Scenes.apply([.turn(.approvalNeeded(turn: 0, callID: "c9", preview: preview)), .approvalArmed(callID: "c9")],
                     to: &state)
        guard state.approval != nil else { return }
        let text = box(state).textLines
        #expect(text[3].contains("a.go"))
        #expect(text[5].contains("-→x := 1"), "\(text)")
        #expect(text.joined().contains("END"), "a long diff line must wrap, not be cut: \(text)")
    }

    /// The body rows of the box from the top to the end, scrolling with Down (border and
    /// margins removed), as one string per row of the command.
    func scrolledThrough(_ initial: AppState) -> [String] {
        var state = initial
        var rows: [String] = []
        var previousScroll = -1
        while let approval = state.approval, approval.scroll != previousScroll {
            previousScroll = approval.scroll
            let buffer = box(state)
            let area = Rect(x: 0, y: 0, width: buffer.width, height: buffer.height)
            let layout = ApprovalView.Layout(approval, in: area, theme: theme)!
            let bodyTop = layout.inner.y + 1 + layout.content.header.count
            let row = bodyTop + layout.bodyRows - 1
            if rows.isEmpty {
                for y in bodyTop...row { rows.append(bodyText(buffer, y: y, inner: layout.inner)) }
            } else {
                rows.append(bodyText(buffer, y: row, inner: layout.inner))
            }
            Scenes.apply([.key(.down)], to: &state)
        }
        return rows
    }

    /// The text of the box's scrolled rows as laid out (`padded`: filled to the box's width).
    func bodyRows(_ state: AppState, padded: Bool = false) -> [String] {
        let layout = ApprovalView.Layout(state.approval!, in: Rect(x: 0, y: 0, width: 40, height: 12), theme: theme)!
        return layout.content.body.map { line in
            let text = line.segments.map(\.text).joined()
            return padded ? text + String(repeating: " ", count: layout.inner.width - DisplayWidth.of(text)) : text
        }
    }

    func bodyText(_ buffer: ScreenBuffer, y: Int, inner: Rect) -> String {
        String((inner.x..<inner.maxX).map { buffer[$0, y].character })
    }

    func format4(_ number: Int) -> String {
        let text = String(number)
        return String(repeating: "0", count: 4 - text.count) + text
    }
}
