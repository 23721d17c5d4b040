import AgentCore
import Synchronization
import Testing
@testable import AgentEngine

/// A provider that replays scripted events; `hold` keeps the stream open until cancelled.
final class ScriptedProvider: LLMProvider {
    let name = "scripted"
    let baseURL = "http://127.0.0.1:1/v1"
    let events: [ProviderEvent]
    let hold: Bool
    let requests = Mutex<[ChatRequest]>([])
    let terminated = Mutex(false)

    init(events: [ProviderEvent], hold: Bool = false) {
        self.events = events
        self.hold = hold
    }

    func chatStream(_ request: ChatRequest) -> AsyncStream<ProviderEvent> {
        requests.withLock { $0.append(request) }
        let (stream, continuation) = AsyncStream<ProviderEvent>.makeStream()
        for event in events { continuation.yield(event) }
        if !hold { continuation.finish() }
        continuation.onTermination = { _ in self.terminated.withLock { $0 = true } }
        return stream
    }

    func listModels() async throws(ProviderError) -> [ModelInfo] { [ModelInfo(id: "m")] }
}

/// Collects events from a channel until one ends the turn (time-to-first-token reports left out).
func collectTurn(_ channel: EventChannel<EngineEvent>) async -> [EngineEvent] {
    var all: [EngineEvent] = []
    while let batch = await channel.next() {
        all += batch.filter { if case .firstToken = $0 { false } else { true } }
        if batch.contains(where: \.endsTurn) { return all }
    }
    return all
}

/// The next events that are not time-to-first-token reports.
func nextContent(_ channel: EventChannel<EngineEvent>) async -> [EngineEvent] {
    while let batch = await channel.next() {
        let content = batch.withoutContext.filter { if case .firstToken = $0 { false } else { true } }
        if !content.isEmpty { return content }
    }
    return []
}

@Suite(.timeLimit(.minutes(2))) struct AgentEngineTests {
    @Test func streamsATurnAndKeepsTheConversation() async {
        let provider = ScriptedProvider(events: [
            .textDelta("Hel"), .textDelta("lo"), .usage(TokenUsage(inputTokens: 5, outputTokens: 2)), .finish(.stop),
        ])
        let engine = AgentEngine(provider: provider, model: "m", systemPrompt: "be brief")
        let channel = await engine.subscribe()
        await engine.submit(turn: 7, prompt: "hi")
        let events = await collectTurn(channel)
        let text = events.compactMap { if case .text(7, let text, _) = $0 { text } else { nil } }.joined()
        #expect(text == "Hello")
        #expect(events.contains(.usage(turn: 7, TokenUsage(inputTokens: 5, outputTokens: 2))))
        #expect(events.last.map { if case .finished(7, .stop, _) = $0 { true } else { false } } == true)
        await engine.waitForIdle()
        let messages = await engine.messages
        #expect(messages == [ChatMessage(role: .user, content: "hi"), ChatMessage(role: .assistant, content: "Hello")])
        let sent = provider.requests.withLock { $0 }
        #expect(sent.first?.messages.first == ChatMessage(role: .system, content: "be brief"))
        #expect(sent.first?.model == "m")
    }

    @Test func aProviderErrorFailsTheTurnButKeepsTheUserMessage() async {
        let error = ProviderError(kind: .unreachable, provider: "scripted", url: "http://127.0.0.1:1/v1",
                                  detail: "Couldn't connect to server")
        let engine = AgentEngine(provider: ScriptedProvider(events: [.error(error)]), model: "m")
        let channel = await engine.subscribe()
        await engine.submit(turn: 1, prompt: "hi")
        let events = await collectTurn(channel)
        #expect(events.withoutContext == [.failed(turn: 1, error)])
        await engine.waitForIdle()
        #expect(await engine.messages == [ChatMessage(role: .user, content: "hi")])
    }

    @Test func aStreamThatEndsWithoutFinishIsAFailedTurn() async {
        let engine = AgentEngine(provider: ScriptedProvider(events: [.textDelta("partial")]), model: "m")
        let channel = await engine.subscribe()
        await engine.submit(turn: 1, prompt: "hi")
        let events = await collectTurn(channel)
        guard case .failed(1, let error) = events.last else {
            Issue.record("expected a failed turn, got \(events)")
            return
        }
        #expect(error.kind == .streamInterrupted)
        await engine.waitForIdle()
        #expect(await engine.messages.last == ChatMessage(role: .assistant, content: "partial"))
    }

    /// A tool call streaming its arguments says so (with the running estimate), so the meter
    /// neither counts the reply as stalled nor freezes its `~N` while no text comes (D204).
    @Test func aStreamingToolCallIsPublishedAsProgress() async {
        let provider = ScriptedProvider(events: [
            .toolCallStart(index: 0, id: "c1", name: "read"),
            .toolCallArgumentsDelta(index: 0, fragment: "{\"path\": \"a-fairly-long-file-name.txt\"}"),
        ], hold: true)
        let engine = AgentEngine(provider: provider, model: "m")
        let channel = await engine.subscribe()
        await engine.submit(turn: 4, prompt: "hi")
        // Waiting for the UI, a newer progress replaces the pending one: the last says it all.
        var estimate: Int?
        while estimate == nil, let batch = await channel.next() {
            for case .toolCallStreaming(4, let tokens) in batch { estimate = tokens }
        }
        #expect((estimate ?? 0) > 0, "the running estimate counts the call: \(String(describing: estimate))")
        await engine.cancel(turn: 4)
        #expect(await collectTurn(channel).last == .cancelled(turn: 4))
    }

    @Test func cancelEndsTheTurnAndStopsTheProviderStream() async {
        let provider = ScriptedProvider(events: [.textDelta("thinking")], hold: true)
        let engine = AgentEngine(provider: provider, model: "m")
        let channel = await engine.subscribe()
        await engine.submit(turn: 3, prompt: "hi")
        let first = await nextContent(channel)
        #expect(first == [.text(turn: 3, "thinking", streamedTokens: 2)])
        await engine.cancel(turn: 3)
        let rest = await collectTurn(channel)
        // The request reached the server: it is counted, estimated (D112), then the turn ends.
        #expect(rest.last == .cancelled(turn: 3))
        #expect(rest.withoutContext.dropLast().allSatisfy {
            if case .request(3, let record) = $0 { record.usage.isEstimate } else { false }
        })
        await engine.waitForIdle()
        #expect(provider.terminated.withLock { $0 })
        #expect(await engine.messages.last == ChatMessage(role: .assistant, content: "thinking"))
    }

    @Test func withoutAProviderTheTurnFailsWithNotConfigured() async {
        let engine = AgentEngine(provider: nil, model: nil)
        let channel = await engine.subscribe()
        await engine.submit(turn: 1, prompt: "hi")
        guard case .failed(1, let error) = (await channel.next() ?? []).withoutContext.first else {
            Issue.record("expected failure")
            return
        }
        #expect(error.kind == .notConfigured)
    }
}

@Suite(.timeLimit(.minutes(2))) struct EventChannelTests {
    /// Reply text is merged once, by the reader (D180): waiting for the UI it stays as sent;
    /// a newer usage or tool-call progress replaces the pending one and a call's live output
    /// joins, bounded.
    @Test func pendingEventsAreBatchedAndOnlySnapshotsAndToolOutputJoin() async {
        let channel = EventChannel<EngineEvent>(merge: EngineEvent.merge)
        channel.send(.text(turn: 1, "a", streamedTokens: 1))
        channel.send(.text(turn: 1, "b", streamedTokens: 1))
        channel.send(.usage(turn: 1, TokenUsage(outputTokens: 1)))
        channel.send(.usage(turn: 1, TokenUsage(outputTokens: 2)))
        channel.send(.toolCallStreaming(turn: 1, streamedTokens: 3))
        channel.send(.toolCallStreaming(turn: 1, streamedTokens: 9))
        channel.send(.toolOutput(turn: 2, callID: "c1", "x"))
        channel.send(.toolOutput(turn: 2, callID: "c1", String(repeating: "y", count: EngineEvent.liveOutputLimit)))
        channel.send(.text(turn: 2, "c"))
        channel.send(.cancelled(turn: 2))
        channel.send(.cancelled(turn: 2))
        let batch = await channel.next()
        #expect(batch == [.text(turn: 1, "a", streamedTokens: 1), .text(turn: 1, "b", streamedTokens: 1),
                          .usage(turn: 1, TokenUsage(outputTokens: 2)), .toolCallStreaming(turn: 1, streamedTokens: 9),
                          .toolOutput(turn: 2, callID: "c1", String(repeating: "y", count: EngineEvent.liveOutputLimit)),
                          .text(turn: 2, "c"), .cancelled(turn: 2), .cancelled(turn: 2)])
    }

    @Test func finishDrainsThenEnds() async {
        let channel = EventChannel<Int>()
        channel.send(1)
        channel.finish()
        #expect(await channel.next() == [1])
        #expect(await channel.next() == nil)
    }

    @Test func aWaitingConsumerIsWokenBySend() async {
        let channel = EventChannel<Int>()
        async let received = channel.next()
        // Whether `next` is already waiting or not, the event must arrive.
        channel.send(42)
        #expect(await received == [42])
    }

    /// Push delivery (D185): the consumer is told once when events become pending, not
    /// again until it drains, and again for the first event after a drain; what was
    /// pending before `deliver` is announced at once, and so is the end.
    @Test func deliveryTellsTheConsumerOncePerDrain() {
        let channel = EventChannel<Int>()
        let told = Mutex(0)
        channel.send(1)
        channel.deliver { told.withLock { $0 += 1 } }
        #expect(told.withLock { $0 } == 1)
        channel.send(2)
        channel.send(3)
        #expect(told.withLock { $0 } == 1)
        #expect(channel.drain() == [1, 2, 3])
        #expect(channel.drain() == [])
        channel.send(4)
        #expect(told.withLock { $0 } == 2)
        #expect(channel.drain() == [4])
        channel.finish()
        #expect(told.withLock { $0 } == 3)
        channel.send(5)
        #expect(channel.drain() == [])
        #expect(told.withLock { $0 } == 3)
    }

    @Test func cancellingAWaitingConsumerReturnsNil() async {
        let channel = EventChannel<Int>()
        let task = Task { await channel.next() }
        task.cancel()
        #expect(await task.value == nil)
    }
}

@Suite(.timeLimit(.minutes(2))) struct ConversationOrderTests {
    @Test func aNewPromptAfterACancelFollowsThePartialReply() async {
        let provider = ScriptedProvider(events: [.textDelta("partial")], hold: true)
        let engine = AgentEngine(provider: provider, model: "m")
        let channel = await engine.subscribe()
        await engine.submit(turn: 1, prompt: "first")
        #expect(await nextContent(channel) == [.text(turn: 1, "partial", streamedTokens: 2)])
        await engine.cancel(turn: 1)
        await engine.submit(turn: 2, prompt: "second")
        let roles = await engine.messages.map(\.content)
        #expect(roles.prefix(3) == ["first", "partial", "second"])
        await engine.cancel(turn: 2)
        await engine.waitForIdle()
    }
}
