import AgentCore
import Testing
import TerminalUI
@testable import App

/// A running command's output live in the chat, and what a cancel leaves of it (issue 14, bug 3).
@Suite(.timeLimit(.minutes(2))) struct LiveToolOutputTests {
    var call: ToolCall { ToolCall(id: "c1", name: "run_command", arguments: #"{"command":"make test"}"#) }

    func runningCommand() -> AppState {
        var state = ToolFlowTests().runningTurn()
        _ = Reducer.reduce(&state, .turn(.text(turn: 1, "Running the tests.")))
        let preview = ToolPreview(toolName: "run_command", keyArgument: "make test", detail: "make test")
        _ = Reducer.reduce(&state, .turn(.toolCall(turn: 1, call: call, preview: preview)))
        return state
    }

    func screen(_ state: AppState) -> [String] {
        var renderer = FrameRenderer()
        return renderer.render(state).frame.textLines
    }

    @Test func outputShowsWhileTheCommandRunsNewestLinesFolded() {
        var state = runningCommand()
        let printed = (1...10).map { "line \($0)\n" }.joined()
        _ = Reducer.reduce(&state, .turn(.toolOutput(turn: 1, callID: "c1", String(printed.prefix(21)))))
        _ = Reducer.reduce(&state, .turn(.toolOutput(turn: 1, callID: "c1", String(printed.dropFirst(21)))))
        #expect(state.entries.last?.tool?.liveOutput == printed)
        let lines = screen(state)
        #expect(lines.contains { $0.contains("line 10") })
        #expect(lines.contains { $0.contains("line 7") })
        #expect(!lines.contains { $0.contains("line 6") })
        // Ctrl-O shows all of it.
        _ = Reducer.reduce(&state, .key(.control("o")))
        #expect(screen(state).contains { $0.contains("line 1") && !$0.contains("line 10") })
    }

    @Test func cancellingMarksTheToolNotTheTextAndKeepsItsOutput() {
        var state = runningCommand()
        _ = Reducer.reduce(&state, .turn(.toolOutput(turn: 1, callID: "c1", "compiling a\ncompiling b\n")))
        _ = Reducer.reduce(&state, .key(.escape))
        #expect(state.turn == nil)
        let tool = state.entries.last { $0.kind == .tool }
        #expect(tool?.tool?.phase == .cancelled)
        #expect(tool?.status == .cancelled)
        #expect(state.entries.first { $0.kind == .assistant }?.status == .complete)
        // Events of the cancelled turn that arrive late change nothing.
        _ = Reducer.reduce(&state, .turn(.toolOutput(turn: 1, callID: "c1", "late\n")))
        let lines = screen(state)
        #expect(lines.contains { $0.contains("⊘ run_command  make test  → cancelled") })
        #expect(lines.contains { $0.contains("compiling b") })
        #expect(!lines.contains { $0.contains("⚙") })
        #expect(!lines.contains { $0.contains("[cancelled]") })
        #expect(!lines.contains { $0.contains("late") })
        _ = Reducer.reduce(&state, .key(.control("o")))
        #expect(screen(state).contains { $0.contains("compiling a") })
    }

    @Test func cancellingWhileTextStreamsStillMarksTheText() {
        var state = ToolFlowTests().runningTurn()
        _ = Reducer.reduce(&state, .turn(.text(turn: 1, "Half a reply")))
        _ = Reducer.reduce(&state, .key(.escape))
        #expect(state.entries.last?.status == .cancelled)
        #expect(screen(state).contains { $0.contains("[cancelled]") })
    }

    @Test func liveOutputIsBoundedToItsNewestBytes() {
        var state = runningCommand()
        let chunk = String(repeating: "x", count: 999) + "\n"
        for _ in 0..<100 { _ = Reducer.reduce(&state, .turn(.toolOutput(turn: 1, callID: "c1", chunk))) }
        _ = Reducer.reduce(&state, .turn(.toolOutput(turn: 1, callID: "c1", "the end\n")))
        let live = state.entries.last?.tool?.liveOutput ?? ""
        #expect(live.utf8.count <= EngineEvent.liveOutputLimit)
        #expect(live.hasSuffix("the end\n"))
    }

    @Test func toolOutputEventsMergeBoundedPerCall() {
        var event = EngineEvent.toolOutput(turn: 1, callID: "c1", "a")
        #expect(EngineEvent.merge(&event, .toolOutput(turn: 1, callID: "c1", "b")))
        #expect(event == .toolOutput(turn: 1, callID: "c1", "ab"))
        #expect(!EngineEvent.merge(&event, .toolOutput(turn: 1, callID: "c2", "c")))
        let big = String(repeating: "é", count: EngineEvent.liveOutputLimit)
        #expect(EngineEvent.merge(&event, .toolOutput(turn: 1, callID: "c1", big)))
        if case .toolOutput(_, _, let text) = event {
            #expect(text.utf8.count <= EngineEvent.liveOutputLimit)
            #expect(text.allSatisfy { $0 == "é" })
        }
    }
}

/// The meter after Esc mid-stream: the cancelled request's estimate arrives late and is shown
/// marked `~` (issue 14, bug 4).
@Suite(.timeLimit(.minutes(2))) struct CancelledMeterTests {
    @Test func aCancelledRequestsEstimateReachesTheMeter() {
        let meterTests = MeterTests()
        var state = meterTests.state()
        meterTests.send("go", &state)
        meterTests.apply([.text(turn: 1, String(repeating: "word ", count: 150))], &state)
        _ = Reducer.reduce(&state, .key(.escape))
        meterTests.apply([MeterTests.record(40, 150, estimate: true), .cancelled(turn: 1)], &state)
        let meter = meterTests.meter(state)
        #expect(meter.contains("turn in ~40 out ~150"), "\(meter)")
        #expect(!meter.contains("turn –"))
        #expect(state.meter.session.outputTokens == 150)
    }

    @Test func aRetriedAttemptIsCountedWithoutLosingTheEstimate() {
        let meterTests = MeterTests()
        var state = meterTests.state()
        meterTests.send("go", &state)
        let pending = state.turn?.pendingInputTokens
        meterTests.apply([MeterTests.record(0, 0, estimate: true)], &state)
        #expect(state.meter.turnCost.requests == 1)
        #expect(state.turn?.pendingInputTokens == pending)
    }
}
