import AgentCore
import Synchronization
import Testing
@testable import AgentEngine

/// What a cancelled or failed request leaves: its usage counted (estimated when the server sent
/// none), the reply saved marked interrupted, and a command's live output (issue 14, bugs 3, 4, 8).
@Suite(.timeLimit(.minutes(2))) struct CancelAccountingTests {
    /// Streams text, then waits until the turn is cancelled.
    func cancelledMidStream(recorder: MemoryRecorder) async -> [EngineEvent] {
        let provider = ScriptedTurnsProvider([.init(events: [.textDelta(String(repeating: "word ", count: 150))],
                                                    hold: true)])
        let engine = AgentEngine(provider: provider, model: "m",
                                 configuration: EngineConfiguration(recorder: recorder))
        let channel = await engine.subscribe()
        await engine.submit(turn: 1, prompt: "go")
        var events: [EngineEvent] = []
        while let batch = await channel.next() {
            events += batch
            if events.contains(where: { if case .text = $0 { true } else { false } }) { break }
        }
        await engine.cancel(turn: 1)
        await engine.waitForIdle()
        while !events.contains(.cancelled(turn: 1)), let batch = await channel.next() { events += batch }
        return events
    }

    @Test func aCancelledStreamIsCountedAsAnEstimatedRequest() async {
        let recorder = MemoryRecorder()
        let events = await cancelledMidStream(recorder: recorder)
        let requests = events.compactMap { if case .request(_, let record) = $0 { record } else { nil } }
        #expect(requests.count == 1)
        #expect(requests.first?.usage.isEstimate == true)
        #expect((requests.first?.usage.outputTokens ?? 0) > 100)
        #expect((requests.first?.usage.inputTokens ?? 0) > 0)
        #expect(recorder.usage.withLock { $0 } == requests)
    }

    @Test func aCancelledReplyIsSavedMarkedInterrupted() async {
        let recorder = MemoryRecorder()
        _ = await cancelledMidStream(recorder: recorder)
        let marked = recorder.interrupted.withLock { $0 }
        #expect(marked.count == 1)
        #expect(marked.first?.role == .assistant)
        #expect(marked.first?.content.hasPrefix("word word") == true)
        // The user's message is not marked.
        #expect(recorder.committed.withLock { $0 }.first?.role == .user)
    }

    @Test func aFailedRequestTheServerAnsweredIsCounted() async {
        let error = ProviderError(kind: .serverError, provider: "scripted", url: "http://127.0.0.1:1/v1", httpStatus: 500)
        let provider = ScriptedTurnsProvider([.init(events: [.error(error)])])
        let recorder = MemoryRecorder()
        let engine = AgentEngine(provider: provider, model: "m", configuration: EngineConfiguration(recorder: recorder))
        let channel = await engine.subscribe()
        let events = await runTurn(engine, channel, turn: 1, prompt: "go")
        await engine.waitForIdle()
        #expect(events.contains { if case .request(_, let record) = $0 { record.usage.isEstimate } else { false } })
        #expect(recorder.usage.withLock { $0.count } == 1)
        // An unreachable server never saw the request: nothing is counted.
        let down = ProviderError(kind: .unreachable, provider: "scripted", url: "http://127.0.0.1:1/v1")
        let unreachable = AgentEngine(provider: ScriptedTurnsProvider([.init(events: [.error(down)])]), model: "m")
        let other = await unreachable.subscribe()
        let none = await runTurn(unreachable, other, turn: 1, prompt: "go")
        #expect(!none.contains { if case .request = $0 { true } else { false } })
    }

    @Test func retriedAttemptsTheServerAnsweredAreCounted() async {
        let limited = ProviderError(kind: .rateLimited, provider: "scripted", url: "http://127.0.0.1:1/v1", httpStatus: 429)
        let down = ProviderError(kind: .unreachable, provider: "scripted", url: "http://127.0.0.1:1/v1")
        let provider = ScriptedTurnsProvider([.init(events: [
            .notice("rate limited, retrying"), .attemptFailed(limited),
            .notice("rate limited, retrying"), .attemptFailed(limited),
            .notice("unreachable, retrying"), .attemptFailed(down),
            .textDelta("hi"), .usage(TokenUsage(inputTokens: 5, outputTokens: 1)), .finish(.stop),
        ])])
        let recorder = MemoryRecorder()
        let engine = AgentEngine(provider: provider, model: "m", configuration: EngineConfiguration(recorder: recorder))
        let channel = await engine.subscribe()
        let events = await runTurn(engine, channel, turn: 1, prompt: "go")
        await engine.waitForIdle()
        let requests = events.compactMap { if case .request(_, let record) = $0 { record.usage } else { nil } }
        // Two answered attempts (estimated, nothing generated) and the one that succeeded; not the unreachable one.
        #expect(requests == [TokenUsage(isEstimate: true), TokenUsage(isEstimate: true),
                             TokenUsage(inputTokens: 5, outputTokens: 1)])
        #expect(recorder.usage.withLock { $0.count } == 3)
    }

    /// A tool that prints two pieces through `progress`, then ends.
    final class PrintingTools: ToolExecutor {
        var definitions: [ToolDefinition] { [ToolDefinition(name: "cmd", description: "Prints.")] }
        func effect(of toolName: String) -> ToolEffect? { toolName == "cmd" ? .command : nil }
        func prepare(_ call: ToolCall) async -> ToolPreparation { .ready(ToolPreview(toolName: "cmd", keyArgument: "")) }
        func execute(_ call: ToolCall) async -> ToolOutput { ToolOutput(content: "", summary: "no progress") }
        func execute(_ call: ToolCall, progress: @escaping @Sendable (String) -> Void) async -> ToolOutput {
            progress("one\n")
            progress("two\n")
            return ToolOutput(content: "one\ntwo\n", summary: "exit 0")
        }
    }

    @Test func aCommandsOutputIsPublishedInOrderBeforeItsResult() async {
        let provider = ScriptedTurnsProvider([
            .init(events: toolCallEvents(index: 0, id: "c", name: "cmd", arguments: "{}") + [.finish(.toolCalls)]),
            .init(events: [.textDelta("done"), .finish(.stop)]),
        ])
        let engine = AgentEngine(provider: provider, model: "m", configuration: EngineConfiguration(
            tools: PrintingTools(), policy: ApprovalPolicy(mode: .yolo)))
        let channel = await engine.subscribe()
        let events = await runTurn(engine, channel, turn: 1, prompt: "go")
        let live = events.compactMap { if case .toolOutput(_, "c", let text) = $0 { text } else { nil } }.joined()
        #expect(live == "one\ntwo\n")
        let outputIndex = events.firstIndex { if case .toolOutput = $0 { true } else { false } }
        let resultIndex = events.firstIndex { if case .toolResult = $0 { true } else { false } }
        #expect(outputIndex != nil && resultIndex != nil && outputIndex! < resultIndex!)
    }
}

/// One estimate of streamed tokens (issue 15, D180): the engine's running estimate travels
/// with the text it publishes, and the same figure is what the ledger records when the
/// server reports no usage, finished or cancelled; the provider path estimates nothing.
@Suite(.timeLimit(.minutes(2))) struct OneEstimateTests {
    @Test func aFinishedReplyWithoutUsageRecordsTheFigureTheTextCarried() async {
        let provider = ScriptedTurnsProvider([.init(events: [.reasoningDelta("weigh it"), .textDelta("Hello "),
                                                             .textDelta("你好 world"), .finish(.stop)])])
        let recorder = MemoryRecorder()
        let engine = AgentEngine(provider: provider, model: "m", configuration: EngineConfiguration(recorder: recorder))
        let channel = await engine.subscribe()
        let events = await runTurn(engine, channel, turn: 1, prompt: "go")
        await engine.waitForIdle()
        let carried = events.compactMap { event -> Int? in
            switch event {
            case .text(_, _, let tokens), .reasoning(_, _, let tokens): tokens
            default: nil
            }
        }
        var tally = UsageEstimator.Tally()
        for piece in ["weigh it", "Hello ", "你好 world"] { tally.add(piece) }
        #expect(carried.last == tally.tokens)
        #expect(carried == carried.sorted(), "the running figure only grows within a request")
        let requests = events.compactMap { if case .request(_, let record) = $0 { record } else { nil } }
        #expect(requests.map(\.usage.outputTokens) == [tally.tokens])
        #expect(requests.first?.usage.isEstimate == true)
        #expect(events.contains { if case .usage(1, let usage) = $0 { usage == requests.first?.usage } else { false } })
        #expect(recorder.usage.withLock { $0 } == requests)
    }

    @Test func aCancelledReplyRecordsTheFigureTheTextCarried() async {
        let recorder = MemoryRecorder()
        let events = await CancelAccountingTests().cancelledMidStream(recorder: recorder)
        let carried = events.compactMap { if case .text(_, _, let tokens) = $0 { tokens } else { nil } }
        let recorded = events.compactMap { if case .request(_, let record) = $0 { record.usage.outputTokens } else { nil } }
        #expect(carried.last == UsageEstimator.tokens(in: String(repeating: "word ", count: 150)))
        #expect(recorded == [carried.last ?? -1])
    }
}
