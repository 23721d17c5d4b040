import AgentCore
import AgentEngine
import Synchronization
import Testing
import TerminalUI
@testable import App

/// A provider answering request N with script N: events, then end (or stay open until the
/// turn is cancelled), or wait for `open()` first.
private final class GatedProvider: LLMProvider {
    enum Script: Sendable {
        case events([ProviderEvent])
        case hold([ProviderEvent])
        case gated([ProviderEvent])
    }

    let name = "gated"
    let baseURL = "http://127.0.0.1:1/v1"
    private let scripts: [Script]
    private let count = Mutex(0)
    private let gate = Mutex<(continuation: AsyncStream<ProviderEvent>.Continuation, events: [ProviderEvent])?>(nil)

    init(_ scripts: [Script]) { self.scripts = scripts }

    func chatStream(_ request: ChatRequest) -> AsyncStream<ProviderEvent> {
        let index = count.withLock { count in
            count += 1
            return count - 1
        }
        let (stream, continuation) = AsyncStream<ProviderEvent>.makeStream()
        switch scripts[min(index, scripts.count - 1)] {
        case .events(let events):
            for event in events { continuation.yield(event) }
            continuation.finish()
        case .hold(let events):
            for event in events { continuation.yield(event) }
        case .gated(let events):
            gate.withLock { $0 = (continuation, events) }
        }
        return stream
    }

    /// Lets the gated request's events through.
    func open() {
        guard let (continuation, events) = gate.withLock({ $0 }) else { return }
        for event in events { continuation.yield(event) }
        continuation.finish()
    }

    func listModels() async throws(ProviderError) -> [ModelInfo] { [ModelInfo(id: "m")] }
}

/// One read tool whose result is long enough to move the figure.
private struct ReadTool: ToolExecutor {
    var definitions: [ToolDefinition] { [ToolDefinition(name: "read", description: "Reads a file.")] }
    func effect(of toolName: String) -> ToolEffect? { toolName == "read" ? .read : nil }
    func prepare(_ call: ToolCall) async -> ToolPreparation {
        .ready(ToolPreview(toolName: call.name, keyArgument: call.arguments, detail: ""))
    }
    func execute(_ call: ToolCall) async -> ToolOutput {
        ToolOutput(content: String(repeating: "let value = compute(input)\n", count: 60), summary: "60 lines")
    }
}

/// Issue 12, item 1 (D135): the meter's bar and `/context` show the engine's one figure, after
/// a turn, after a tool result, after a cancel and after a compaction; the bar stays after
/// the cancel, and the compaction is shown beside it and in the chat (D136).
@MainActor
@Suite(.timeLimit(.minutes(2))) struct ContextFigureAgreementTests {
    @Test func theBarAndContextShowOneFigureAtEveryStep() async throws {
        let provider = GatedProvider([
            .events([.textDelta("Hello there."), .usage(TokenUsage(inputTokens: 1200, outputTokens: 20)), .finish(.stop)]),
            .events([.toolCallStart(index: 0, id: "c1", name: "read"), .toolCallArgumentsDelta(index: 0, fragment: "{}"),
                     .toolCallEnd(index: 0), .usage(TokenUsage(inputTokens: 1300, outputTokens: 15)),
                     .finish(.toolCalls)]),
            .gated([.textDelta("Read it."), .usage(TokenUsage(inputTokens: 1900, outputTokens: 10)), .finish(.stop)]),
            .hold([.textDelta("partial answer")]),
            .events([.textDelta("Goal: test. State: fine."), .finish(.stop)]),
        ])
        var configuration = EngineConfiguration(systemPrompt: "You are a test.", tools: ReadTool())
        configuration.contextWindow = 32768
        configuration.compaction = CompactionSettings(auto: true, keepRecentTurns: 1)
        configuration.policy.mode = .yolo
        let engine = AgentEngine(provider: provider, model: "m", configuration: configuration)
        let channel = await engine.subscribe()
        var state = AppState(size: TerminalSize(columns: 120, rows: 30),
                             provider: ActiveProvider(name: "gated", kind: "openai-compatible",
                                                      baseURL: provider.baseURL, model: "m"))

        func drain(until done: (EngineEvent) -> Bool) async {
            while let batch = await channel.next() {
                for event in batch { _ = Reducer.reduce(&state, .turn(event)) }
                if batch.contains(where: done) { return }
            }
        }
        func submit(_ prompt: String) async -> Int {
            _ = Reducer.submit(&state, prompt: prompt)
            let turn = state.nextTurnID - 1
            Task { await engine.submit(turn: turn, prompt: prompt) }
            return turn
        }
        func expectAgreement(_ step: String) async throws {
            let figure = await engine.context
            #expect(state.meter.context == figure, "\(step)")
            let breakdown = await engine.contextBreakdown()
            #expect(breakdown.contains("Context: ~\(figure.tokens) of 32768 tokens"), "\(step): \(breakdown)")
            let bar = try #require(MeterView.contextBar(state), "\(step)")
            #expect(bar.contains("\(MeterView.compact(figure.tokens))/32k"), "\(step): \(bar) vs \(figure.tokens)")
        }

        // After a turn: the server's 1,200 in + 20 out, exactly.
        _ = await submit("hello")
        await drain { $0.endsTurn }
        #expect(state.meter.context?.tokens == 1220)
        try await expectAgreement("after a turn")

        // After a tool result, before the next request: 1,300 + 15 + the result's estimate.
        _ = await submit("read the file")
        var sawResult = false
        await drain { event in
            if case .toolResult = event { sawResult = true }
            if sawResult, case .context = event { return true }
            return false
        }
        #expect((state.meter.context?.tokens ?? 0) > 1315 + 300)
        try await expectAgreement("after a tool result")
        provider.open()
        await drain { $0.endsTurn }
        try await expectAgreement("after the tool turn")

        // After a cancel: the figure stays (and counts the kept partial reply).
        let cancelled = await submit("go on")
        await drain { if case .text = $0 { true } else { false } }
        _ = Reducer.cancelTurn(&state)
        await engine.cancel(turn: cancelled)
        await drain { $0.endsTurn }
        await engine.waitForIdle()
        #expect(state.turn == nil)
        try await expectAgreement("after a cancel")

        // After a compaction: the smaller figure, and the compaction beside the bar.
        let before = try #require(state.meter.context?.tokens)
        let report = await engine.compactNow(instructions: nil)
        #expect(report.contains("saved"), "\(report)")
        await drain { if case .context(Int(-1), _) = $0 { true } else { false } }
        try await expectAgreement("after a compaction")
        let summary = try #require(state.meter.lastCompaction)
        #expect(summary.before == before)
        #expect(summary.after == state.meter.context?.tokens)
        #expect(MeterView.contextBar(state)?.contains("compacted −\(MeterView.compact(summary.saved))") == true)
    }
}
