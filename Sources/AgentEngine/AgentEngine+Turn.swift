import AgentCore
import FoundationEssentials

/// How one request of a turn ended.
enum StepOutcome: Sendable {
    case finished(FinishReason)
    case failed(ProviderError)
    case cancelled
}

/// What a context overflow leads to.
enum OverflowAction: Sendable {
    case none, compactAndRetry, fail
}

/// One request's reply and how it ended.
struct StepResult: Sendable {
    var reply: ChatReply
    var outcome: StepOutcome
    /// From the request's first generated token to the end of its stream.
    var streamingSeconds: Double?
}

extension AgentEngine {
    /// Runs turn `turn` through `TurnMachine` until it ends, then publishes its one ending
    /// event (`.finished`, `.failed`, `.refused` or `.cancelled`).
    func runTurn(turn: Int, provider: any LLMProvider, model: String) async {
        let clock = ContinuousClock()
        let start = clock.now
        let machine = TurnMachine(maxSteps: configuration.maxSteps)
        var turnUsage = TokenUsage()
        var firstTokenSeen = false
        var phase = TurnPhase.requesting(step: 1)
        /// At most one compaction per request (D125).
        var compactedThisRequest = false
        defer { turnEnded(turn) }
        while true {
            switch phase {
            case .requesting:
                // A cancel that came while the last tool results were being kept: send nothing.
                if Task.isCancelled {
                    phase = machine.next(phase, .replied(.cancelled, calls: [], toolsUnsupported: false))
                    continue
                }
                if let refusal = configuration.budgetGate?() {
                    phase = machine.next(phase, .refused(refusal))
                    continue
                }
                if !compactedThisRequest, needsCompaction(request(model: model)) {
                    compactedThisRequest = true
                    await compact(turn: turn, provider: provider, model: model, reason: .threshold)
                    if Task.isCancelled { continue }
                }
                let fallback = promptFallback
                let sent = request(model: model)
                publishContext(turn: turn)
                var result = await stream(turn: turn, provider: provider, request: sent,
                                          usageSoFar: turnUsage, turnStart: firstTokenSeen ? nil : start)
                firstTokenSeen = firstTokenSeen || result.reply.hasContent
                if let usage = result.reply.usage ?? Self.estimatedUsage(of: result, request: sent) {
                    turnUsage = turnUsage + usage
                    await recordUsage(usage, provider: provider.name, model: model, turn: turn,
                                      streamingSeconds: result.streamingSeconds)
                }
                if await recoverOverflow(&result, compacted: &compactedThisRequest, turn: turn,
                                         provider: provider, model: model) {
                    continue
                }
                compactedThisRequest = false
                let finished = if case .finished = result.outcome { true } else { false }
                let calls = await keepReply(result.reply, fallback: fallback, runnable: finished, turn: turn)
                setContextBase(result.reply.usage ?? Self.estimatedUsage(of: result, request: sent))
                publishContext(turn: turn)
                phase = machine.next(phase, .replied(result.outcome, calls: calls,
                                                     toolsUnsupported: canFallBack(after: result, fallback: fallback)))
            case .switchingToPromptTools:
                promptFallback = true
                publish(.notice(turn: turn, "\(model) does not support native tool calls; "
                    + "describing the tools in the prompt instead"))
                phase = machine.next(phase, .switchedToPromptTools)
            case .runningTools(let calls, _):
                let completed = await runTools(calls, turn: turn)
                phase = machine.next(phase, .toolsRan(cancelled: !completed))
            case .ended(let ending):
                publishEnding(ending, turn: turn, elapsed: Self.seconds(clock.now - start))
                return
            }
        }
    }

    /// After an overflow: compacts once and returns true to send the request again, or adds
    /// the advice to the failure when compacting is not allowed or did not help.
    private func recoverOverflow(_ result: inout StepResult, compacted: inout Bool, turn: Int,
                                 provider: any LLMProvider, model: String) async -> Bool {
        switch overflowAction(result, compactedThisRequest: compacted) {
        case .none:
            return false
        case .compactAndRetry:
            compacted = true
            if await compact(turn: turn, provider: provider, model: model, reason: .overflow) {
                publish(.notice(turn: turn, "the request did not fit the model's context; compacted and sending it again"))
                return true
            }
        case .fail:
            break
        }
        if case .failed(let error) = result.outcome {
            result.outcome = .failed(Self.overflowAdvice(error, afterCompacting: compacted))
        }
        return false
    }

    /// What to do about a request that overflowed the context: the server's error, or
    /// Ollama's silent truncation (prompt tokens equal to the window in force). Learns the
    /// window the error states. Once compacted for this request, an overflow fails (D125).
    private func overflowAction(_ result: StepResult, compactedThisRequest: Bool) -> OverflowAction {
        var overflowed = false
        if case .failed(let error) = result.outcome, error.kind == .contextTooLong, !result.reply.hasContent {
            learnWindow(from: error)
            overflowed = true
        } else if case .finished = result.outcome, let usage = result.reply.usage, !usage.isEstimate,
                  result.reply.toolCalls.isEmpty, windowInForce.source != .guess,
                  usage.inputTokens == windowInForce.tokens {
            overflowed = configuration.compaction.auto && !compactedThisRequest
        }
        guard overflowed else { return .none }
        return configuration.compaction.auto && !compactedThisRequest ? .compactAndRetry : .fail
    }

    /// Whether a failed request should be sent again with the tools in the prompt: the server
    /// refused native tools before any output, and the prompt form was not in use.
    private func canFallBack(after result: StepResult, fallback: Bool) -> Bool {
        guard case .failed(let error) = result.outcome, !fallback, configuration.tools != nil else { return false }
        return Self.saysToolsUnsupported(error) && result.reply.text.isEmpty && result.reply.toolCalls.isEmpty
    }

    /// Publishes the event that ends the turn.
    private func publishEnding(_ ending: TurnEnding, turn: Int, elapsed: Double) {
        switch ending {
        case .finished(let reason):
            publish(.finished(turn: turn, reason, elapsedSeconds: elapsed))
        case .failed(let error):
            publish(.failed(turn: turn, error))
        case .refused(let message):
            publish(.refused(turn: turn, message))
        case .cancelled:
            publish(.cancelled(turn: turn))
        case .stepLimit:
            publish(.notice(turn: turn, "stopped after \(configuration.maxSteps) requests (the step limit, "
                + "maxSteps in agents.config.json); send a message to continue"))
            publish(.finished(turn: turn, .other("step limit"), elapsedSeconds: elapsed))
        }
    }

    /// The request for the next step: system prompt, conversation and tools, in native or
    /// prompt-fallback form.
    func request(model: String) -> ChatRequest {
        let definitions = offeredTools
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

    /// Streams one request, publishing deltas and the turn's running usage. The reply
    /// accumulates in `liveReply`, where the draft timer finds it: the text is saved as a
    /// draft at most `draftInterval` after it changes, even when the stream then stalls.
    func stream(turn: Int, provider: any LLMProvider, request: ChatRequest, usageSoFar: TokenUsage,
                turnStart: ContinuousClock.Instant?) async -> StepResult {
        let clock = ContinuousClock()
        var awaitingFirstToken = turnStart != nil
        var outcome: StepOutcome?
        var firstContent: ContinuousClock.Instant?
        beginLiveReply()
        defer { endLiveReply() }
        for await event in provider.chatStream(request) {
            if Task.isCancelled { break }
            liveReply.apply(event)
            if firstContent == nil, event.isContent { firstContent = clock.now }
            if awaitingFirstToken, let turnStart, event.isContent {
                awaitingFirstToken = false
                publish(.firstToken(turn: turn, seconds: Self.seconds(clock.now - turnStart)))
            }
            switch event {
            case .textDelta(let text):
                publish(.text(turn: turn, text, streamedTokens: liveReply.outputEstimate.tokens))
                scheduleDraft(turn: turn)
            case .reasoningDelta(let text):
                publish(.reasoning(turn: turn, text, streamedTokens: liveReply.outputEstimate.tokens))
            case .usage(let usage): publish(.usage(turn: turn, usageSoFar + usage))
            case .finish(let reason): outcome = .finished(reason)
            case .error(let error): outcome = .failed(error)
            case .notice(let text): publish(.notice(turn: turn, text))
            case .attemptFailed(let error):
                // A retried attempt the server answered (429, 5xx) is a request sent: counted (D112).
                if error.httpStatus != nil {
                    await recordUsage(TokenUsage(isEstimate: true), provider: provider.name, model: request.model,
                                      turn: turn, streamingSeconds: nil)
                }
            case .toolCallStart, .toolCallArgumentsDelta:
                publish(.toolCallStreaming(turn: turn, streamedTokens: liveReply.outputEstimate.tokens))
            case .toolCallEnd: break
            }
        }
        var reply = liveReply
        if Task.isCancelled { return StepResult(reply: reply, outcome: .cancelled) }
        let ended = outcome ?? .failed(ProviderError(
            kind: .streamInterrupted, provider: provider.name, url: provider.baseURL,
            detail: "the stream ended without a finish or error event"))
        if case .finished = ended, reply.usage == nil {
            // The server reported no usage (llama-cpp-python ignores include_usage): the
            // reply's own running estimate stands in, flagged `~` (D180).
            let estimate = Self.estimate(reply, request: request)
            reply.usage = estimate
            publish(.usage(turn: turn, usageSoFar + estimate))
        }
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
        calls = calls.map(uniquelyIdentified)
        guard !reply.text.isEmpty || !calls.isEmpty else {
            await discardDraft(turn: turn)
            return []
        }
        let message = ChatMessage(role: .assistant, content: reply.text, toolCalls: calls)
        append(message)
        // A reply cut short (cancelled, failed) is saved marked, so `--continue` shows it so (D113).
        await save(message, turn: turn, interrupted: !runnable)
        return calls
    }

    func recordUsage(_ usage: TokenUsage, provider: String, model: String, turn: Int,
                             streamingSeconds: Double?) async {
        let priced = configuration.pricer?(provider, model, usage)
        let record = UsageRecord(provider: provider, model: model, usage: usage,
                                 cost: priced?.cost, costSource: priced?.source, streamingSeconds: streamingSeconds)
        publish(.request(turn: turn, record))
        persist(turn: turn, failure: "could not save usage") { try await $0.recordUsage(record) }
    }

    /// The usage of a request that reached the server but ended without the server's figures
    /// (cancelled or failed mid-stream, or answered with an error), estimated and marked so
    /// (D112): providers bill partial streams, so the meter, the ledger and `usage` count it.
    /// `nil` when the request never reached a server (unreachable, not configured, refused).
    static func estimatedUsage(of result: StepResult, request: ChatRequest) -> TokenUsage? {
        let reply = result.reply
        switch result.outcome {
        case .finished:
            return nil
        case .cancelled:
            guard reply.hasContent else { return nil }
        case .failed(let error):
            guard reply.hasContent || error.httpStatus != nil else { return nil }
            // Answered with an error before any output: counted as a request, nothing generated.
            if !reply.hasContent { return TokenUsage(isEstimate: true) }
        }
        return estimate(reply, request: request)
    }

    /// The usage of a request the server did not report: the prompt estimated, the output
    /// from the reply's running estimate (the figure the meter showed while it streamed).
    static func estimate(_ reply: ChatReply, request: ChatRequest) -> TokenUsage {
        TokenUsage(inputTokens: UsageEstimator.inputTokens(for: request), outputTokens: reply.outputEstimate.tokens,
                   isEstimate: true)
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

extension ChatReply {
    /// True when the reply has any generated content (text, reasoning or a tool call).
    var hasContent: Bool { !text.isEmpty || !reasoning.isEmpty || !toolCalls.isEmpty }
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
