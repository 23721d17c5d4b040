import AgentCore
import FoundationEssentials
import Synchronization
import Testing
@testable import AgentEngine

@Suite(.timeLimit(.minutes(2))) struct ToolLoopTests {
    private func engine(_ provider: ScriptedTurnsProvider, tools: ScriptedTools, mode: ApprovalMode = .ask,
                        maxSteps: Int = 25, recorder: MemoryRecorder? = nil) -> AgentEngine {
        AgentEngine(provider: provider, model: "m", configuration: EngineConfiguration(
            systemPrompt: "sys", tools: tools, policy: ApprovalPolicy(mode: mode), maxSteps: maxSteps,
            recorder: recorder, pricer: { _, _, usage in (Decimal(usage.outputTokens) / 1000, "test") }))
    }

    @Test func aMultiStepToolLoopSendsResultsBackUntilTheModelStops() async {
        let provider = ScriptedTurnsProvider([
            .init(events: toolCallEvents(index: 0, id: "c1", name: "read", arguments: #"{"path":"a"}"#)
                + [.usage(TokenUsage(inputTokens: 10, outputTokens: 5)), .finish(.toolCalls)]),
            .init(events: toolCallEvents(index: 0, id: "c2", name: "read", arguments: #"{"path":"b"}"#)
                + [.usage(TokenUsage(inputTokens: 20, outputTokens: 5)), .finish(.toolCalls)]),
            .init(events: [.textDelta("done"), .usage(TokenUsage(inputTokens: 30, outputTokens: 2)), .finish(.stop)]),
        ])
        let tools = ScriptedTools()
        let recorder = MemoryRecorder()
        let engine = engine(provider, tools: tools, recorder: recorder)
        let channel = await engine.subscribe()
        let events = await runTurn(engine, channel, turn: 1, prompt: "go")

        #expect(tools.ran == ["c1", "c2"])
        #expect(provider.sentRequests.count == 3)
        let third = provider.sentRequests[2].messages
        #expect(third.map(\.role) == [.system, .user, .assistant, .tool, .assistant, .tool])
        #expect(third[3] == ChatMessage(role: .tool, content: "result of c1", toolCallID: "c1"))
        #expect(provider.sentRequests[0].tools.map(\.name) == ["read", "write", "block"])
        #expect(events.last.map { if case .finished(1, .stop, _) = $0 { true } else { false } } == true)
        // Usage adds up over the turn's requests, and each request is priced and recorded.
        #expect(events.contains(.usage(turn: 1, TokenUsage(inputTokens: 60, outputTokens: 12))))
        let requests = events.compactMap { if case .request(_, let record) = $0 { record } else { nil } }
        #expect(requests.map(\.usage.inputTokens) == [10, 20, 30])
        #expect(requests.map(\.cost) == [Decimal(5) / 1000, Decimal(5) / 1000, Decimal(2) / 1000])
        // Each request says how long it generated (first token to end), within the turn's time.
        let streaming = requests.compactMap(\.streamingSeconds)
        #expect(streaming.count == 3 && streaming.allSatisfy { $0 >= 0 })
        let elapsed = events.compactMap { if case .finished(_, _, let seconds) = $0 { seconds } else { nil } }.first
        #expect(streaming.reduce(0, +) <= elapsed ?? 0)
        #expect(recorder.usage.withLock { $0.count } == 3)
        #expect(recorder.committed.withLock { $0.map(\.role) } == [.user, .assistant, .tool, .assistant, .tool, .assistant])
        #expect(await engine.messages.last == ChatMessage(role: .assistant, content: "done"))
    }

    @Test func twoParallelCallsRunAndAnswerInCallOrder() async {
        let provider = ScriptedTurnsProvider([
            .init(events: toolCallEvents(index: 0, id: "a", name: "read", arguments: "{}")
                + toolCallEvents(index: 1, id: "b", name: "write", arguments: "{}") + [.finish(.toolCalls)]),
            .init(events: [.textDelta("ok"), .finish(.stop)]),
        ])
        let tools = ScriptedTools()
        let engine = engine(provider, tools: tools, mode: .autoEdit)
        let channel = await engine.subscribe()
        let events = await runTurn(engine, channel, turn: 1, prompt: "go")
        #expect(Set(tools.ran) == ["a", "b"])
        let results = events.compactMap { if case .toolResult(_, let id, _) = $0 { id } else { nil } }
        #expect(Set(results) == ["a", "b"])
        let sent = provider.sentRequests[1].messages.filter { $0.role == .tool }.map(\.toolCallID)
        #expect(sent == ["a", "b"])
    }

    @Test func aDenialWithReasonReachesTheModelAndTheToolDoesNotRun() async {
        let provider = ScriptedTurnsProvider([
            .init(events: toolCallEvents(index: 0, id: "w", name: "write", arguments: #"{"path":"x"}"#)
                + [.finish(.toolCalls)]),
            .init(events: [.textDelta("understood"), .finish(.stop)]),
        ])
        let tools = ScriptedTools()
        let engine = engine(provider, tools: tools)
        let channel = await engine.subscribe()
        let events = await runTurn(engine, channel, turn: 1, prompt: "go") { _ in .no(reason: "use a branch") }
        #expect(tools.ran.isEmpty)
        #expect(events.contains { if case .approvalNeeded(1, "w", let preview) = $0 { preview.detail == "+ change" } else { false } })
        let toolMessage = provider.sentRequests[1].messages.last
        #expect(toolMessage?.role == .tool)
        #expect(toolMessage?.content == "error: the user denied this write call: use a branch")
    }

    @Test func alwaysAllowsCallsLikeThisOneForTheRestOfTheSession() async {
        let provider = ScriptedTurnsProvider([
            .init(events: toolCallEvents(index: 0, id: "w1", name: "write", arguments: "{}") + [.finish(.toolCalls)]),
            .init(events: toolCallEvents(index: 0, id: "w2", name: "write", arguments: "{}") + [.finish(.toolCalls)]),
            .init(events: [.textDelta("ok"), .finish(.stop)]),
        ])
        let tools = ScriptedTools()
        let engine = engine(provider, tools: tools)
        let channel = await engine.subscribe()
        let events = await runTurn(engine, channel, turn: 1, prompt: "go") { _ in .always }
        #expect(tools.ran == ["w1", "w2"])
        let asked = events.filter { if case .approvalNeeded = $0 { true } else { false } }
        #expect(asked.count == 1)
        // The scripted preview's target is its arguments, "{}": the rule names exactly that.
        #expect(await engine.policy.rules.allow.map(\.description) == [#"write(\{\})"#])
        #expect(await engine.policy.alwaysAllow.isEmpty)
    }

    @Test func planModeRefusesWritesWithoutAsking() async {
        let provider = ScriptedTurnsProvider([
            .init(events: toolCallEvents(index: 0, id: "w", name: "write", arguments: "{}") + [.finish(.toolCalls)]),
            .init(events: [.finish(.stop)]),
        ])
        let tools = ScriptedTools()
        let engine = engine(provider, tools: tools, mode: .plan)
        let channel = await engine.subscribe()
        let events = await runTurn(engine, channel, turn: 1, prompt: "go")
        #expect(tools.ran.isEmpty)
        #expect(!events.contains { if case .approvalNeeded = $0 { true } else { false } })
        #expect(provider.sentRequests[1].messages.last?.content.contains("plan mode") == true)
    }

    @Test func unknownToolsAndInvalidArgumentsGoBackAsToolErrors() async {
        let provider = ScriptedTurnsProvider([
            .init(events: toolCallEvents(index: 0, id: "u", name: "nope", arguments: "{}")
                + toolCallEvents(index: 1, id: "i", name: "read", arguments: "invalid") + [.finish(.toolCalls)]),
            .init(events: [.finish(.stop)]),
        ])
        let tools = ScriptedTools()
        let engine = engine(provider, tools: tools)
        let channel = await engine.subscribe()
        _ = await runTurn(engine, channel, turn: 1, prompt: "go")
        #expect(tools.ran.isEmpty)
        let results = provider.sentRequests[1].messages.filter { $0.role == .tool }.map(\.content)
        #expect(results == ["error: unknown tool \"nope\"; available tools: read, write, block", "error: bad arguments"])
    }

    @Test func theStepLimitEndsTheLoop() async {
        let provider = ScriptedTurnsProvider([
            .init(events: toolCallEvents(index: 0, id: "r", name: "read", arguments: "{}") + [.finish(.toolCalls)]),
        ])
        let tools = ScriptedTools()
        let engine = engine(provider, tools: tools, maxSteps: 3)
        let channel = await engine.subscribe()
        let events = await runTurn(engine, channel, turn: 1, prompt: "go")
        #expect(provider.sentRequests.count == 3)
        #expect(events.contains { if case .notice(1, let text) = $0 { text.contains("step limit") } else { false } })
        #expect(events.last.map { if case .finished(1, .other("step limit"), _) = $0 { true } else { false } } == true)
        // The conversation stays valid: every call has its result.
        #expect(await engine.messages.last?.role == .tool)
    }
}

@Suite(.timeLimit(.minutes(2))) struct BudgetGateTests {
    @Test func aReachedBudgetRefusesTheNextRequestAndSaysWhy() async {
        let provider = ScriptedTurnsProvider([
            .init(events: toolCallEvents(index: 0, id: "r", name: "read", arguments: "{}")
                + [.usage(TokenUsage(inputTokens: 10, outputTokens: 5)), .finish(.toolCalls)]),
        ])
        let spent = Mutex(0)
        let engine = AgentEngine(provider: provider, model: "m", configuration: EngineConfiguration(
            tools: ScriptedTools(),
            pricer: { _, _, _ in
                spent.withLock { $0 += 1 }
                return (1, "test")
            },
            budgetGate: { spent.withLock { $0 } >= 1 ? "session budget $1.00 reached: $1.00 spent this session." : nil }))
        let channel = await engine.subscribe()
        let events = await runTurn(engine, channel, turn: 1, prompt: "go")
        #expect(provider.sentRequests.count == 1)
        #expect(events.last == .refused(turn: 1, "session budget $1.00 reached: $1.00 spent this session."))
        // The conversation stays valid and retryable: the tool ran and its result is kept.
        #expect(await engine.messages.last?.role == .tool)
    }
}

@Suite(.timeLimit(.minutes(2))) struct ToolOrderTests {
    @Test func writesAndCommandsRunOneAtATimeInCallOrder() async {
        let provider = ScriptedTurnsProvider([
            .init(events: toolCallEvents(index: 0, id: "w1", name: "write", arguments: "{}")
                + toolCallEvents(index: 1, id: "w2", name: "write", arguments: "{}")
                + toolCallEvents(index: 2, id: "r", name: "read", arguments: "{}") + [.finish(.toolCalls)]),
            .init(events: [.finish(.stop)]),
        ])
        let tools = ScriptedTools()
        let engine = AgentEngine(provider: provider, model: "m", configuration: EngineConfiguration(
            tools: tools, policy: ApprovalPolicy(mode: .yolo)))
        let channel = await engine.subscribe()
        let events = await runTurn(engine, channel, turn: 1, prompt: "go")
        #expect(Array(tools.ran.prefix(2)) == ["w1", "w2"])
        let results = events.compactMap { if case .toolResult(_, let id, _) = $0 { id } else { nil } }
        #expect(Array(results.prefix(2)) == ["w1", "w2"])
        #expect(provider.sentRequests[1].messages.filter { $0.role == .tool }.map(\.toolCallID) == ["w1", "w2", "r"])
    }
}
