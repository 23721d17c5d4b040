import AgentCore
import Testing
import TerminalUI
@testable import App

/// Issue 14, bug 13: a live `~N tok/s` while a reply streams, and a meter laid out by
/// priority so the session totals and the speed survive narrow widths (D117).
@Suite(.timeLimit(.minutes(2))) struct LiveMeterTests {
    let meterTests = MeterTests()

    func meter(_ state: AppState, width: Int, showsModel: Bool = false) -> String {
        drawn(width: width, height: 1) {
            MeterView.draw(state, in: Rect(x: 0, y: 0, width: width, height: 1), buffer: &$0,
                           theme: ExpectedCells.theme, showsModel: showsModel)
        }.textLines[0]
    }

    @Test func theRateShowsWhileTheReplyStreams() {
        var state = meterTests.state()
        meterTests.send("hi", &state)
        meterTests.apply([.firstToken(turn: 1, seconds: 0.3), .text(turn: 1, String(repeating: "word ", count: 40), streamedTokens: 50)], &state)
        // Before the runtime reports how long it has streamed: no rate yet.
        #expect(!meter(state, width: 120).contains("tok/s"))
        // The engine's running estimate is the figure shown (D180).
        let tokens = state.turn?.streamedTokens ?? 0
        #expect(tokens == 50)
        _ = Reducer.reduce(&state, .streamProgress(turn: 1, seconds: 2))
        let expected = Int((Double(tokens) / 2).rounded())
        #expect(meter(state, width: 120).contains("~\(expected) tok/s"), "\(meter(state, width: 120))")
        // A stale turn's progress is ignored.
        _ = Reducer.reduce(&state, .streamProgress(turn: 7, seconds: 100))
        #expect(meter(state, width: 120).contains("~\(expected) tok/s"))
        // Once the request ends the measured rate replaces the live one.
        meterTests.apply([.usage(turn: 1, TokenUsage(inputTokens: 10, outputTokens: 100)),
                          MeterTests.record(10, 100, seconds: 4)], &state)
        #expect(meter(state, width: 120).contains("25.0 tok/s"), "\(meter(state, width: 120))")
    }

    /// A stalled request shows `stalled Ns` in the speed's place until text comes again; the
    /// figure belongs to the turn it was measured for.
    @Test func aStalledStreamShowsStalledInsteadOfItsLastRate() {
        var state = meterTests.state()
        meterTests.send("hi", &state)
        meterTests.apply([.text(turn: 1, String(repeating: "word ", count: 40), streamedTokens: 50)], &state)
        _ = Reducer.reduce(&state, .streamProgress(turn: 1, seconds: 2))
        #expect(meter(state, width: 120).contains("~25 tok/s"))
        _ = Reducer.reduce(&state, .streamStalled(turn: 7, seconds: 3))
        #expect(meter(state, width: 120).contains("~25 tok/s"), "another turn's stall is ignored")
        _ = Reducer.reduce(&state, .streamStalled(turn: 1, seconds: 3))
        #expect(meter(state, width: 120).contains("stalled 3s"), "\(meter(state, width: 120))")
        #expect(!meter(state, width: 120).contains("tok/s"))
        _ = Reducer.reduce(&state, .streamProgress(turn: 1, seconds: 6))
        #expect(!meter(state, width: 120).contains("stalled"))
        #expect(meter(state, width: 120).contains("tok/s"))
    }

    @Test func aBurstTooShortToMeasureShowsNoLiveRate() {
        var state = meterTests.state()
        meterTests.send("hi", &state)
        meterTests.apply([.text(turn: 1, "hello there")], &state)
        _ = Reducer.reduce(&state, .streamProgress(turn: 1, seconds: 0.05))
        #expect(!meter(state, width: 120).contains("tok/s"))
    }

    static let line = MeterView.Line(
        turn: "turn in 2.2k out 96 $0.0123", session: "session in 40.1k out 1.2k $0.1234",
        speed: "42.1 tok/s", ttft: "ttft 350ms", model: "qwen2.5-coder:7b @ local",
        bar: "▓▓░░░░░░ 12k/32k", barFigures: "12k/32k", status: "ready · ask")

    /// At 120 columns (sidebar hidden, model shown) the session totals, the speed and ttft
    /// stay; narrower, parts go in `dropOrder`, the turn and the status last.
    @Test(arguments: [
        (160, ["session", "tok/s", "ttft", "qwen2.5", "▓", "ready"]),
        (130, ["session", "tok/s", "ttft", "▓", "ready"]),
        (120, ["session", "tok/s", "▓", "ready"]),
        (110, ["session", "tok/s", "12k/32k", "ready"]),
        (100, ["session", "12k/32k", "ready"]),
        (80, ["session", "ready"]),
        (50, ["turn in", "ready"]),
    ])
    func partsLeaveByPriority(width: Int, kept: [String]) {
        let (left, right) = MeterView.fitted(Self.line, width: width)
        let text = left + "  " + (right ?? "")
        #expect(DisplayWidth.of(text) <= width, "\(text)")
        for part in kept { #expect(text.contains(part), "\(width): \(part) in \(text)") }
        let all = ["session", "tok/s", "ttft", "qwen2.5", "▓", "12k/32k"]
        // What is gone went in priority order: nothing kept ranks below something dropped.
        let order = ["qwen2.5", "ttft", "▓", "tok/s", "12k/32k", "session"]
        let dropped = all.filter { !text.contains($0) }.compactMap { order.firstIndex(of: $0) }
        if let worstKept = order.indices.filter({ text.contains(order[$0]) }).min() {
            #expect(dropped.allSatisfy { $0 < worstKept }, "\(width): \(text)")
        }
    }

    /// The reported case: 120 columns with the sidebar hidden dropped the session totals.
    @Test func at120ColumnsWithoutTheSidebarTheSessionTotalsStay() {
        var state = Scenes.conversation(columns: 120, rows: 40)
        state.sidebarShown = false
        var renderer = FrameRenderer()
        let lines = renderer.render(state).frame.textLines
        let meter = lines[lines.count - 2]
        #expect(meter.contains("session in"), "\(meter)")
        #expect(meter.contains("tok/s"), "\(meter)")
    }
}
