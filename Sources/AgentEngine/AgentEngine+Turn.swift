import AgentCore
import FoundationEssentials

/// How one request of a turn ended.
enum StepOutcome: Sendable {
    case finished(FinishReason)
    case failed(ProviderError)
    case cancelled
}

/// One request's reply and how it ended.
struct StepResult: Sendable {
    var reply: ChatReply
    var outcome: StepOutcome
    /// From the request's first generated token to the end of its stream.
    var streamingSeconds: Double?
}

extension AgentEngine {
    /// The turn loop: request → stream → accumulate → tool calls → approvals → results →
    /// next request, until the model stops, `maxSteps` requests were made, a request fails or
    /// the turn is cancelled. Ends with exactly one `.finished`, `.failed` or `.cancelled`.
    func runTurn(turn: Int, provider: any LLMProvider, model: String) async {
        let clock = ContinuousClock()
        let start = clock.now
        var turnUsage = TokenUsage()
        var step = 0
        var firstTokenSeen = false
        defer { turnEnded(turn) }
        while step < configuration.maxSteps {
            step += 1
            if let refusal = configuration.budgetGate?() {
                publish(.refused(turn: turn, refusal))
                return
            }
            let fallback = promptFallback
            let result = await stream(turn: turn, provider: provider, request: request(model: model),
                                      usageSoFar: turnUsage, turnStart: firstTokenSeen ? nil : start)
            firstTokenSeen = firstTokenSeen || !result.reply.text.isEmpty || !result.reply.reasoning.isEmpty
                || !result.reply.toolCalls.isEmpty
            if let usage = result.reply.usage {
                turnUsage = turnUsage + usage
                await recordUsage(usage, provider: provider.name, model: model, turn: turn,
                                  streamingSeconds: result.streamingSeconds)
            }
            let finished = if case .finished = result.outcome { true } else { false }
            let calls = await keepReply(result.reply, fallback: fallback, runnable: finished, turn: turn)
            switch result.outcome {
            case .cancelled:
                publish(.cancelled(turn: turn))
                return
            case .failed(let error):
                if !fallback, configuration.tools != nil, Self.saysToolsUnsupported(error),
                   result.reply.text.isEmpty, result.reply.toolCalls.isEmpty {
                    promptFallback = true
                    step -= 1
                    publish(.notice(turn: turn, "\(model) does not support native tool calls; "
                        + "describing the tools in the prompt instead"))
                    continue
                }
                publish(.failed(turn: turn, error))
                return
            case .finished(let reason):
                if calls.isEmpty {
                    publish(.finished(turn: turn, reason, elapsedSeconds: Self.seconds(clock.now - start)))
                    return
                }
                guard await runTools(calls, turn: turn) else {
                    publish(.cancelled(turn: turn))
                    return
                }
            }
        }
        publish(.notice(turn: turn, "stopped after \(configuration.maxSteps) requests (the step limit, "
            + "maxSteps in agents.config.json); send a message to continue"))
        publish(.finished(turn: turn, .other("step limit"), elapsedSeconds: Self.seconds(clock.now - start)))
    }

    /// The request for the next step: system prompt, conversation and tools, in native or
    /// prompt-fallback form.
    func request(model: String) -> ChatRequest {
        let definitions = configuration.tools?.definitions ?? []
        var system = configuration.systemPrompt ?? ""
        var history = messages
        var wireTools: [ToolDefinition] = definitions
        if promptFallback && !definitions.isEmpty {
            let section = ToolPromptFallback.systemPrompt(for: definitions)
            system = system.isEmpty ? section : system + "\n\n" + section
            history = FallbackTranscript.convert(messages)
            wireTools = []
        }
        let all = system.isEmpty ? history : [ChatMessage(role: .system, content: system)] + history
        return ChatRequest(model: model, messages: all, tools: wireTools)
    }

    /// Streams one request, publishing deltas and the turn's running usage, and saving the
    /// partial reply as a draft about once a second.
    func stream(turn: Int, provider: any LLMProvider, request: ChatRequest, usageSoFar: TokenUsage,
                turnStart: ContinuousClock.Instant?) async -> StepResult {
        let clock = ContinuousClock()
        var lastDraft = clock.now
        var awaitingFirstToken = turnStart != nil
        var reply = ChatReply()
        var outcome: StepOutcome?
        var firstContent: ContinuousClock.Instant?
        for await event in provider.chatStream(request) {
            if Task.isCancelled { break }
            reply.apply(event)
            if firstContent == nil, event.isContent { firstContent = clock.now }
            if awaitingFirstToken, let turnStart, event.isContent {
                awaitingFirstToken = false
                publish(.firstToken(turn: turn, seconds: Self.seconds(clock.now - turnStart)))
            }
            switch event {
            case .textDelta(let text): publish(.text(turn: turn, text))
            case .reasoningDelta(let text): publish(.reasoning(turn: turn, text))
            case .usage(let usage): publish(.usage(turn: turn, usageSoFar + usage))
            case .finish(let reason): outcome = .finished(reason)
            case .error(let error): outcome = .failed(error)
            case .notice(let text): publish(.notice(turn: turn, text))
            case .toolCallStart, .toolCallArgumentsDelta, .toolCallEnd: break
            }
            if clock.now - lastDraft >= configuration.draftInterval, !reply.text.isEmpty {
                lastDraft = clock.now
                await saveDraft(reply.text, turn: turn)
            }
        }
        if Task.isCancelled { return StepResult(reply: reply, outcome: .cancelled) }
        let ended = outcome ?? .failed(ProviderError(
            kind: .streamInterrupted, provider: provider.name, url: provider.baseURL,
            detail: "the stream ended without a finish or error event"))
        let streamed = firstContent.map { Self.seconds(clock.now - $0) }
        return StepResult(reply: reply, outcome: ended, streamingSeconds: streamed)
    }

    /// Adds the reply to the conversation (and the session) and returns the tool calls to
    /// run: native ones, or those parsed from the text in prompt-fallback mode. A reply that
    /// did not finish (`runnable` false) keeps only its text, so the conversation never holds
    /// a tool call without its result and stays valid to retry.
    func keepReply(_ reply: ChatReply, fallback: Bool, runnable: Bool, turn: Int) async -> [ToolCall] {
        var calls = runnable ? reply.toolCalls.sorted { $0.key < $1.key }.map(\.value) : []
        if runnable, fallback, let tools = configuration.tools {
            let known = Set(tools.definitions.map(\.name))
            let parsed = ToolPromptFallback.parseToolCalls(from: reply.text, knownTools: known)
            calls += parsed.calls
            for problem in parsed.problems { publish(.notice(turn: turn, "unreadable tool call: \(problem)")) }
        }
        guard !reply.text.isEmpty || !calls.isEmpty else {
            await discardDraft(turn: turn)
            return []
        }
        let message = ChatMessage(role: .assistant, content: reply.text, toolCalls: calls)
        append(message)
        await save(message, turn: turn)
        return calls
    }

    private func recordUsage(_ usage: TokenUsage, provider: String, model: String, turn: Int,
                             streamingSeconds: Double?) async {
        let priced = configuration.pricer?(provider, model, usage)
        let record = UsageRecord(provider: provider, model: model, usage: usage,
                                 cost: priced?.cost, costSource: priced?.source, streamingSeconds: streamingSeconds)
        publish(.request(turn: turn, record))
        persist(turn: turn, failure: "could not save usage") { try await $0.recordUsage(record) }
    }

    private func saveDraft(_ text: String, turn: Int) async {
        persist(turn: turn, failure: "could not save the partial reply") { try await $0.saveDraft(text) }
    }

    private func discardDraft(turn: Int) async {
        persist(turn: turn, failure: "could not clear the partial reply") { try await $0.discardDraft() }
    }

    /// Whether a failed request was refused because the model cannot take tools.
    static func saysToolsUnsupported(_ error: ProviderError) -> Bool {
        if error.kind == .toolsUnsupported { return true }
        let text = [error.serverMessage, error.detail].compactMap { $0 }.joined(separator: " ").lowercased()
        return text.contains("does not support tools") || text.contains("tools is not supported")
            || text.contains("tool use is not supported") || text.contains("does not support tool")
            || text.contains("tool_choice") && text.contains("not supported")
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

extension ProviderEvent {
    /// True for events that carry generated content (text, reasoning or a tool call).
    var isContent: Bool {
        switch self {
        case .textDelta, .reasoningDelta, .toolCallStart, .toolCallArgumentsDelta: true
        default: false
        }
    }
}
