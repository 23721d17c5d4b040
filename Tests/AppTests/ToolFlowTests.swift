import AgentCore
import Testing
import TerminalUI
@testable import App

/// Tool calls and approvals through the reducer and on screen.
@Suite(.timeLimit(.minutes(2))) struct ToolFlowTests {
    func runningTurn() -> AppState {
        var state = AppState(size: TerminalSize(columns: 120, rows: 30), provider: ReducerTests.provider)
        "edit it".forEach { _ = Reducer.reduce(&state, .key(.character($0))) }
        _ = Reducer.reduce(&state, .key(.enter))
        return state
    }

    let preview: ToolPreview = {
        var preview = ToolPreview(toolName: "edit_file", keyArgument: "src/a.swift",
                                  detail: "--- a/src/a.swift\n+++ b/src/a.swift\n@@ -1,1 +1,1 @@\n-old\n+new")
        preview.alwaysRule = "edit_file(src/a.swift)"
        return preview
    }()
    var call: ToolCall { ToolCall(id: "c1", name: "edit_file", arguments: #"{"path":"src/a.swift"}"#) }

    @Test func textThenToolThenTextMakesThreeEntries() {
        var state = runningTurn()
        _ = Reducer.reduce(&state, .turn(.text(turn: 1, "Let me edit.")))
        _ = Reducer.reduce(&state, .turn(.toolCall(turn: 1, call: call, preview: preview)))
        _ = Reducer.reduce(&state, .turn(.toolResult(turn: 1, callID: "c1",
                                                       output: ToolOutput(content: "ok", summary: "1 replacement"))))
        _ = Reducer.reduce(&state, .turn(.text(turn: 1, "Done.")))
        _ = Reducer.reduce(&state, .turn(.finished(turn: 1, .stop, elapsedSeconds: 1)))
        #expect(state.entries.map(\.kind) == [.user, .assistant, .tool, .assistant])
        #expect(state.entries.map(\.text) == ["edit it", "Let me edit.", "", "Done."])
        #expect(state.entries[2].tool?.output?.summary == "1 replacement")
        var renderer = FrameRenderer()
        let lines = renderer.render(state).frame.textLines
        #expect(lines.contains { $0.contains("✓ edit_file  src/a.swift  → 1 replacement") })
    }

    @Test func aTurnEndingAfterToolsLeavesNoEmptyAssistantEntry() {
        var state = runningTurn()
        _ = Reducer.reduce(&state, .turn(.toolCall(turn: 1, call: call, preview: preview)))
        _ = Reducer.reduce(&state, .turn(.toolResult(turn: 1, callID: "c1", output: .failure("not found: x"))))
        _ = Reducer.reduce(&state, .turn(.finished(turn: 1, .stop, elapsedSeconds: 1)))
        #expect(state.entries.map(\.kind) == [.user, .tool])
        #expect(state.entries[1].status == .failed)
    }

    @Test func approvalOverlayShowsTheDiffAndYesAnswers() {
        var state = runningTurn()
        _ = Reducer.reduce(&state, .turn(.toolCall(turn: 1, call: call, preview: preview)))
        _ = Reducer.reduce(&state, .turn(.approvalNeeded(turn: 1, callID: "c1", preview: preview)))
        _ = Reducer.reduce(&state, .approvalArmed(callID: "c1"))
        var renderer = FrameRenderer()
        let lines = renderer.render(state).frame.textLines
        #expect(lines.contains { $0.contains("Allow edit_file?") })
        #expect(lines.contains { $0.contains("+new") })
        #expect(lines.contains { $0.contains("y yes · n no (with a reason) · a always this session · Esc no") })
        // The rule "a" adds is shown before it is chosen.
        #expect(lines.contains { $0.contains("a = always allow edit_file(src/a.swift) for this session") })
        // Typing goes to the overlay, not the input line.
        #expect(Reducer.reduce(&state, .key(.character("y"))) == [.answer(callID: "c1", .yes)])
        #expect(state.approval == nil)
        #expect(state.input.text.isEmpty)
    }

    @Test func noWithAReasonIsTypedInTheOverlay() {
        var state = runningTurn()
        _ = Reducer.reduce(&state, .turn(.approvalNeeded(turn: 1, callID: "c1", preview: preview)))
        _ = Reducer.reduce(&state, .approvalArmed(callID: "c1"))
        _ = Reducer.reduce(&state, .key(.character("n")))
        "use git mv".forEach { _ = Reducer.reduce(&state, .key(.character($0))) }
        var renderer = FrameRenderer()
        #expect(renderer.render(state).frame.textLines.contains { $0.contains("Reason (Enter sends, Esc skips): use git mv") })
        #expect(Reducer.reduce(&state, .key(.enter)) == [.answer(callID: "c1", .no(reason: "use git mv"))])
    }

    @Test func escapeDeniesAndAAlwaysAllows() {
        var state = runningTurn()
        _ = Reducer.reduce(&state, .turn(.approvalNeeded(turn: 1, callID: "c1", preview: preview)))
        _ = Reducer.reduce(&state, .approvalArmed(callID: "c1"))
        #expect(Reducer.reduce(&state, .key(.escape)) == [.answer(callID: "c1", .no(reason: nil))])
        _ = Reducer.reduce(&state, .turn(.approvalNeeded(turn: 1, callID: "c2", preview: preview)))
        _ = Reducer.reduce(&state, .approvalArmed(callID: "c2"))
        #expect(Reducer.reduce(&state, .key(.character("a"))) == [.answer(callID: "c2", .always)])
    }

    @Test func withoutAnOfferedRuleAIsNotAnAnswer() {
        var state = runningTurn()
        var plain = preview
        plain.alwaysRule = nil
        plain.protection = "git internals (.git/: hooks, config)"
        _ = Reducer.reduce(&state, .turn(.approvalNeeded(turn: 1, callID: "c1", preview: plain)))
        _ = Reducer.reduce(&state, .approvalArmed(callID: "c1"))
        #expect(Reducer.reduce(&state, .key(.character("a"))).isEmpty)
        #expect(state.approval != nil)
        var renderer = FrameRenderer()
        let lines = renderer.render(state).frame.textLines
        #expect(lines.contains { $0.contains("y yes · n no (with a reason) · Esc no") })
        #expect(!lines.contains { $0.contains("a always") })
        #expect(lines.contains { $0.contains("Protected: git internals (.git/: hooks, config); asks in every mode") })
    }

    @Test func keysTypedBeforeTheApprovalIsArmedGoToTheInputNotTheAnswer() {
        var state = runningTurn()
        _ = Reducer.reduce(&state, .turn(.approvalNeeded(turn: 1, callID: "c1", preview: preview)))
        var renderer = FrameRenderer()
        #expect(renderer.render(state).frame.textLines.contains { $0.contains("keys go to your message for a moment") })
        let effects = "always".flatMap { Reducer.reduce(&state, .key(.character($0))) }
        #expect(effects.isEmpty)
        #expect(state.input.text == "always")
        #expect(state.approval?.callID == "c1")
        _ = Reducer.reduce(&state, .approvalArmed(callID: "c1"))
        #expect(Reducer.reduce(&state, .key(.enter)).isEmpty, "Enter does not approve")
        #expect(Reducer.reduce(&state, .key(.character("y"))) == [.answer(callID: "c1", .yes)])
    }

    @Test func combiningMarksAndSkinTonesKeepTheCursorInsideTheText() {
        var state = runningTurn()
        for scalar in ["e", "\u{301}", "👍", "🏽", "🇺", "🇸"] {
            _ = Reducer.reduce(&state, .key(.character(Character(scalar))))
        }
        #expect(state.input.text == "e\u{301}👍🏽🇺🇸")
        #expect(state.input.cursor == state.input.text.count)
        _ = Reducer.reduce(&state, .key(.backspace))
        _ = Reducer.reduce(&state, .key(.character("x")))
        #expect(state.input.text == "e\u{301}👍🏽x")
    }

    @Test func ctrlOExpandsTheLastToolEntry() {
        var state = runningTurn()
        _ = Reducer.reduce(&state, .turn(.toolCall(turn: 1, call: call, preview: preview)))
        var renderer = FrameRenderer()
        #expect(!renderer.render(state).frame.textLines.contains { $0.contains("+new") })
        _ = Reducer.reduce(&state, .key(.control("o")))
        #expect(renderer.render(state).frame.textLines.contains { $0.contains("+new") })
    }
}
