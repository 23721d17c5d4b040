import AgentCore
import Synchronization
import Testing
@testable import AgentEngine

/// What the engine promises about order, cancellation and the session's scope.
@Suite(.timeLimit(.minutes(2))) struct EngineOrderingTests {
    private func writeCall(_ id: String) -> ScriptedTurnsProvider.Script {
        .init(events: toolCallEvents(index: 0, id: id, name: "write", arguments: "{}") + [.finish(.toolCalls)])
    }

    /// Reads the channel until `stop` says so (or the channel ends).
    private func collect(_ channel: EventChannel<EngineEvent>, into events: inout [EngineEvent],
                         until stop: ([EngineEvent]) -> Bool) async {
        while !stop(events), let batch = await channel.next() { events += batch }
    }

    @Test func afterACancelDuringApprovalOnlyTheCancelledEventFollows() async {
        let provider = ScriptedTurnsProvider([writeCall("w")])
        let engine = AgentEngine(provider: provider, model: "m", configuration: EngineConfiguration(tools: ScriptedTools()))
        let channel = await engine.subscribe()
        await engine.submit(turn: 1, prompt: "go")
        var events: [EngineEvent] = []
        await collect(channel, into: &events) { $0.contains { if case .approvalNeeded = $0 { true } else { false } } }
        let seenBefore = events.count
        await engine.cancel(turn: 1)
        await engine.waitForIdle()
        await collect(channel, into: &events) { $0.contains(where: \.endsTurn) }
        // The call still gets its result in the conversation, but no `.toolResult` is published.
        #expect(Array(events.dropFirst(seenBefore)) == [.cancelled(turn: 1)])
        let last = await engine.messages.last
        #expect(last?.role == .tool && last?.toolCallID == "w")
    }

    @Test func aTurnCancelledBeforeItStartsSendsNoRequest() async {
        let provider = ScriptedTurnsProvider([.init(events: [.textDelta("hi"), .finish(.stop)])])
        let engine = AgentEngine(provider: provider, model: "m")
        let channel = await engine.subscribe()
        await engine.cancel(turn: 7)
        await engine.submit(turn: 7, prompt: "never mind")
        var events: [EngineEvent] = []
        await collect(channel, into: &events) { $0.contains(where: \.endsTurn) }
        #expect(events.withoutContext == [.cancelled(turn: 7)])
        #expect(provider.sentRequests.isEmpty)
        #expect(await engine.messages == [ChatMessage(role: .user, content: "never mind")])
    }

    @Test(.timeLimit(.minutes(1)))
    func overlappingSubmitsEachEndOnceAndTheLastStaysCancellable() async {
        let provider = ScriptedTurnsProvider([.init(events: [.textDelta("…")], hold: true)])
        let engine = AgentEngine(provider: provider, model: "m")
        let channel = await engine.subscribe()
        await engine.submit(turn: 1, prompt: "1")
        async let second: Void = engine.submit(turn: 2, prompt: "2")
        async let third: Void = engine.submit(turn: 3, prompt: "3")
        _ = await (second, third)
        // The prompt submitted last is the turn that runs; cancelling it must end it.
        let users = await engine.messages.filter { $0.role == .user }.map(\.content)
        let lastTurn = Int(users.last ?? "") ?? 0
        await engine.cancel(turn: lastTurn)
        await engine.waitForIdle()
        var events: [EngineEvent] = []
        await collect(channel, into: &events) { $0.filter(\.endsTurn).count == 3 }
        #expect(users.first == "1" && users.sorted() == ["1", "2", "3"])
        #expect(Set(events.filter(\.endsTurn)) == [.cancelled(turn: 1), .cancelled(turn: 2), .cancelled(turn: 3)])
        #expect(provider.sentRequests.count == 3)
    }

    @Test func alwaysRulesLastOnlyForTheSession() async {
        let provider = ScriptedTurnsProvider([writeCall("w1"), .init(events: [.textDelta("done"), .finish(.stop)])])
        let engine = AgentEngine(provider: provider, model: "m", configuration: EngineConfiguration(
            tools: ScriptedTools(), policy: ApprovalPolicy(mode: .ask, alwaysAllow: ["read"])))
        let channel = await engine.subscribe()
        _ = await runTurn(engine, channel, turn: 1, prompt: "go") { _ in .always }
        #expect(await engine.policy.alwaysAllow == ["read"])
        #expect(await engine.policy.rules.allow.map(\.description) == [#"write(\{\})"#])
        await engine.reset(recorder: nil)
        #expect(await engine.policy.rules.allow.isEmpty)
        _ = await runTurn(engine, channel, turn: 2, prompt: "go") { _ in .always }
        await engine.load([ChatMessage(role: .user, content: "old")])
        #expect(await engine.policy.rules.allow.isEmpty)
        #expect(await engine.policy.alwaysAllow == ["read"])
    }

    @Test func aStalledStreamStillHasItsTextSavedWithinTheDraftInterval() async {
        let provider = ScriptedTurnsProvider([.init(events: [.textDelta("partial answer")], hold: true)])
        let recorder = MemoryRecorder()
        let engine = AgentEngine(provider: provider, model: "m", configuration: EngineConfiguration(
            recorder: recorder, draftInterval: .milliseconds(20)))
        await engine.submit(turn: 1, prompt: "go")
        // No event follows the delta: the draft must be saved by the timer, not by a next chunk.
        let deadline = ContinuousClock.now + .seconds(90)
        while recorder.drafts.withLock({ $0.isEmpty }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        #expect(recorder.drafts.withLock { $0 } == ["partial answer"])
        await engine.cancel(turn: 1)
        await engine.waitForIdle()
    }

    @Test func toolCallIdsRepeatedAcrossRequestsAreMadeUniqueWithinTheTurn() async {
        let provider = ScriptedTurnsProvider([
            .init(events: toolCallEvents(index: 0, id: "dup", name: "read", arguments: "{}") + [.finish(.toolCalls)]),
            .init(events: toolCallEvents(index: 0, id: "dup", name: "read", arguments: "{}") + [.finish(.toolCalls)]),
            .init(events: [.textDelta("ok"), .finish(.stop)]),
        ])
        let engine = AgentEngine(provider: provider, model: "m", configuration: EngineConfiguration(tools: ScriptedTools()))
        let channel = await engine.subscribe()
        _ = await runTurn(engine, channel, turn: 1, prompt: "go")
        let messages = await engine.messages
        let callIDs = messages.flatMap(\.toolCalls).map(\.id)
        let resultIDs = messages.compactMap(\.toolCallID)
        #expect(callIDs == ["dup", "dup_2"])
        #expect(resultIDs == ["dup", "dup_2"])
    }

    @Test func anUnsubscribedChannelEnds() async {
        let engine = AgentEngine(provider: ScriptedTurnsProvider([.init(events: [.finish(.stop)])]), model: "m")
        let channel = await engine.subscribe()
        await engine.unsubscribe(channel)
        #expect(await channel.next() == nil)
    }
}
