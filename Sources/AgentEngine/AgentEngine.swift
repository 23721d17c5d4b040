import AgentCore
import FoundationEssentials

/// Owns the conversation and runs turns against the active provider, publishing
/// `EngineEvent`s to its subscribers. The TUI and `swiftcoder run` drive the same engine.
///
/// Tools, approvals and persisted sessions arrive in later issues; a turn here is one
/// streamed request: request → stream → accumulate → finish.
public actor AgentEngine {
    private var provider: (any LLMProvider)?
    private var model: String?
    private let systemPrompt: String?
    public private(set) var messages: [ChatMessage] = []
    private var subscribers: [EventChannel<EngineEvent>] = []
    private var running: (turn: Int, task: Task<Void, Never>)?

    public init(provider: (any LLMProvider)?, model: String?, systemPrompt: String? = nil) {
        self.provider = provider
        self.model = model
        self.systemPrompt = systemPrompt
    }

    /// Sends later turns to `provider` with `model` (for example a local server found
    /// after start-up). The conversation is kept.
    public func use(provider: any LLMProvider, model: String?) {
        self.provider = provider
        self.model = model
    }

    /// A new subscription: every event from now on, in batches (coalescable ones merged).
    public func subscribe() -> EventChannel<EngineEvent> {
        let channel = EventChannel<EngineEvent>(merge: EngineEvent.merge)
        subscribers.append(channel)
        return channel
    }

    /// Appends `prompt` as a user message and streams the reply as turn `turn`, from
    /// `model` when given (else the engine's model). A turn still running (or still
    /// winding down after a cancel) is cancelled and awaited first.
    public func submit(turn: Int, prompt: String, model: String? = nil) async {
        if let model { self.model = model }
        if let running {
            // Let the old turn record its partial reply before the new prompt is added,
            // so the conversation keeps its order.
            running.task.cancel()
            await running.task.value
        }
        messages.append(ChatMessage(role: .user, content: prompt))
        guard let provider, let model = self.model else {
            let error = ProviderError(kind: .notConfigured, provider: self.provider?.name ?? "none",
                                      url: self.provider?.baseURL ?? "-", detail: "no provider or model configured")
            publish(.failed(turn: turn, error))
            return
        }
        let request = ChatRequest(model: model, messages: requestMessages())
        let task = Task { await self.stream(turn: turn, provider: provider, request: request) }
        running = (turn, task)
    }

    /// Cancels turn `turn` if it is the one running; its partial reply is kept.
    public func cancel(turn: Int) {
        guard let running, running.turn == turn else { return }
        running.task.cancel()
    }

    /// Waits for the running turn, if any, to end.
    public func waitForIdle() async {
        if let task = running?.task { await task.value }
    }

    private func requestMessages() -> [ChatMessage] {
        guard let systemPrompt, !systemPrompt.isEmpty else { return messages }
        return [ChatMessage(role: .system, content: systemPrompt)] + messages
    }

    private func stream(turn: Int, provider: any LLMProvider, request: ChatRequest) async {
        let clock = ContinuousClock()
        let start = clock.now
        var reply = ChatReply()
        var outcome: EngineEvent?
        for await event in provider.chatStream(request) {
            if Task.isCancelled { break }
            reply.apply(event)
            switch event {
            case .textDelta(let text): publish(.text(turn: turn, text))
            case .reasoningDelta(let text): publish(.reasoning(turn: turn, text))
            case .usage(let usage): publish(.usage(turn: turn, usage))
            case .finish(let reason):
                outcome = .finished(turn: turn, reason, elapsedSeconds: seconds(clock.now - start))
            case .error(let error): outcome = .failed(turn: turn, error)
            case .notice(let text): publish(.notice(turn: turn, text))
            case .toolCallStart, .toolCallArgumentsDelta, .toolCallEnd: break
            }
        }
        if Task.isCancelled { outcome = .cancelled(turn: turn) }
        let final = outcome ?? .failed(turn: turn, ProviderError(
            kind: .streamInterrupted, provider: provider.name, url: provider.baseURL,
            detail: "the stream ended without a finish or error event"))
        if !reply.text.isEmpty || !reply.toolCalls.isEmpty {
            messages.append(ChatMessage(role: .assistant, content: reply.text,
                                        toolCalls: reply.toolCalls.sorted { $0.key < $1.key }.map(\.value)))
        }
        if running?.turn == turn { running = nil }
        publish(final)
    }

    private func publish(_ event: EngineEvent) {
        for subscriber in subscribers { subscriber.send(event) }
    }

    private func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
