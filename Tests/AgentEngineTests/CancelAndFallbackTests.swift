import AgentCore
import Testing
@testable import AgentEngine

@Suite(.timeLimit(.minutes(2))) struct CancelAndFallbackTests {
    @Test func cancellingMidStreamKeepsThePartialReplyAndDropsLaterEvents() async {
        let provider = ScriptedTurnsProvider([.init(events: [.textDelta("part")], hold: true)])
        let engine = AgentEngine(provider: provider, model: "m",
                                 configuration: EngineConfiguration(tools: ScriptedTools()))
        let channel = await engine.subscribe()
        await engine.submit(turn: 1, prompt: "go")
        var events: [EngineEvent] = []
        while let batch = await channel.next() {
            events += batch
            if events.contains(.text(turn: 1, "part", streamedTokens: 1)) { break }
        }
        await engine.cancel(turn: 1)
        await engine.waitForIdle()
        // A second turn runs normally; nothing more of turn 1 arrives after its `.cancelled`.
        await engine.submit(turn: 2, prompt: "again")
        await engine.cancel(turn: 2)
        await engine.waitForIdle()
        while let batch = await channel.next() {
            events += batch
            if batch.contains(.cancelled(turn: 2)) { break }
        }
        let afterCancel = events.drop { $0 != .cancelled(turn: 1) }.dropFirst()
        #expect(events.contains(.cancelled(turn: 1)))
        #expect(!afterCancel.contains { $0.turn == 1 })
        #expect(provider.terminated.withLock { $0 } >= 1)
        let messages = await engine.messages
        #expect(messages.prefix(2) == [ChatMessage(role: .user, content: "go"), ChatMessage(role: .assistant, content: "part")])
    }

    @Test func cancellingMidToolStopsTheToolAndAnswersEveryCall() async {
        let provider = ScriptedTurnsProvider([
            .init(events: toolCallEvents(index: 0, id: "b", name: "block", arguments: "{}") + [.finish(.toolCalls)]),
        ])
        let tools = ScriptedTools()
        let engine = AgentEngine(provider: provider, model: "m", configuration: EngineConfiguration(
            tools: tools, policy: ApprovalPolicy(mode: .yolo)))
        let channel = await engine.subscribe()
        await engine.submit(turn: 1, prompt: "go")
        let deadline = ContinuousClock.now + .seconds(90)
        while !tools.blockStarted.withLock({ $0 }) && ContinuousClock.now < deadline { await Task.yield() }
        await engine.cancel(turn: 1)
        await engine.waitForIdle()
        var events: [EngineEvent] = []
        while let batch = await channel.next() {
            events += batch
            if batch.contains(where: \.endsTurn) { break }
        }
        #expect(tools.blockCancelled.withLock { $0 })
        #expect(events.last == .cancelled(turn: 1))
        let last = await engine.messages.last
        #expect(last?.role == .tool && last?.toolCallID == "b")
    }

    @Test func aCancelWhileWaitingForApprovalEndsTheTurn() async {
        let provider = ScriptedTurnsProvider([
            .init(events: toolCallEvents(index: 0, id: "w", name: "write", arguments: "{}") + [.finish(.toolCalls)]),
        ])
        let tools = ScriptedTools()
        let engine = AgentEngine(provider: provider, model: "m", configuration: EngineConfiguration(tools: tools))
        let channel = await engine.subscribe()
        await engine.submit(turn: 1, prompt: "go")
        var events: [EngineEvent] = []
        while let batch = await channel.next() {
            events += batch
            if batch.contains(where: { if case .approvalNeeded = $0 { true } else { false } }) { break }
        }
        await engine.cancel(turn: 1)
        await engine.waitForIdle()
        while let batch = await channel.next() {
            events += batch
            if batch.contains(where: \.endsTurn) { break }
        }
        #expect(tools.ran.isEmpty)
        #expect(events.last == .cancelled(turn: 1))
    }

    @Test func toolsUnsupportedSwitchesToThePromptFallback() async {
        let refusal = ProviderError(kind: .toolsUnsupported, provider: "scripted", url: "u", httpStatus: 400,
                                    serverMessage: "registry.ollama.ai/library/gemma:2b does not support tools")
        let provider = ScriptedTurnsProvider([
            .init(events: [.error(refusal)]),
            .init(events: [.textDelta("Reading.\n```json\n{\"name\": \"read\", \"arguments\": {\"path\": \"a\"}}\n```"),
                           .finish(.stop)]),
            .init(events: [.textDelta("It says hi."), .finish(.stop)]),
        ])
        let tools = ScriptedTools()
        let engine = AgentEngine(provider: provider, model: "m", configuration: EngineConfiguration(
            systemPrompt: "sys", tools: tools))
        let channel = await engine.subscribe()
        let events = await runTurn(engine, channel, turn: 1, prompt: "read a")
        #expect(tools.ran == ["fallback_1"])
        let requests = provider.sentRequests
        #expect(requests.count == 3)
        #expect(requests[0].tools.count == 3)
        #expect(requests[1].tools.isEmpty)
        #expect(requests[1].messages.first?.content.contains("# How to call a tool") == true)
        // The result goes back as a user message the model can read without tool support.
        #expect(requests[2].messages.last?.role == .user)
        #expect(requests[2].messages.last?.content.hasPrefix("Result of read (call fallback_1):") == true)
        #expect(events.contains { if case .notice(1, let text) = $0 { text.contains("does not support native tool calls") } else { false } })
        #expect(events.last.map { if case .finished(1, .stop, _) = $0 { true } else { false } } == true)
    }

    @Test func aFailedStreamKeepsItsTextButNotHalfAToolCall() async {
        let error = ProviderError(kind: .streamInterrupted, provider: "scripted", url: "u")
        let provider = ScriptedTurnsProvider([
            .init(events: [.textDelta("Let me")] + toolCallEvents(index: 0, id: "r", name: "read", arguments: "{")
                + [.error(error)]),
        ])
        let tools = ScriptedTools()
        let engine = AgentEngine(provider: provider, model: "m", configuration: EngineConfiguration(tools: tools))
        let channel = await engine.subscribe()
        let events = await runTurn(engine, channel, turn: 1, prompt: "go")
        #expect(events.last == .failed(turn: 1, error))
        #expect(tools.ran.isEmpty)
        #expect(await engine.messages == [ChatMessage(role: .user, content: "go"),
                                          ChatMessage(role: .assistant, content: "Let me")])
    }

    @Test func theSystemPromptNamesTheDirectoryPlatformToolsAndAgentsFile() {
        let prompt = SystemPrompt.build(workingDirectory: "/p", platform: "Linux x86_64",
                                        tools: [ToolDefinition(name: "read_file", description: "Reads a file. More.")],
                                        agentsFile: "Use tabs.")
        #expect(prompt.contains("Working directory: /p"))
        #expect(prompt.contains("Platform: Linux x86_64"))
        #expect(prompt.contains("- read_file: Reads a file."))
        #expect(prompt.hasSuffix("# Project instructions (AGENTS.md)\n\nUse tabs."))
        #expect(!SystemPrompt.build(workingDirectory: "/p", platform: "L", tools: [], agentsFile: nil).contains("AGENTS"))
    }
}
