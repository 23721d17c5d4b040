import AgentCore
import FoundationEssentials

/// Owns the conversation and runs turns against the active provider, publishing
/// `EngineEvent`s to any number of subscribers. The TUI and `swiftcoder run` drive the
/// same engine.
///
/// A turn is a loop (see `AgentEngine+Turn.swift`): request → stream → accumulate → tool
/// calls → approvals → tool results → next request, until the model stops, the step limit
/// is reached, a request fails or the turn is cancelled.
public actor AgentEngine {
    var provider: (any LLMProvider)?
    var model: String?
    var configuration: EngineConfiguration
    /// Whether tool calls go through the system prompt instead of the wire for this model.
    var promptFallback: Bool
    public private(set) var messages: [ChatMessage] = []
    private var subscribers: [EventChannel<EngineEvent>] = []
    private var running: (turn: Int, task: Task<Void, Never>)?
    /// Turns cancelled by the user: nothing of theirs is published after `.cancelled`.
    private var cancelledTurns: Set<Int> = []
    let approvals = ApprovalGate()
    /// Persistence, in order, off the turn's path.
    let writes = RecorderQueue()

    /// - Parameters:
    ///   - provider: Where requests go; `nil` fails every turn with "not configured".
    ///   - model: The model to ask; `nil` likewise.
    ///   - configuration: Tools, approvals, persistence and pricing.
    public init(provider: (any LLMProvider)?, model: String?, configuration: EngineConfiguration = EngineConfiguration()) {
        self.provider = provider
        self.model = model
        self.configuration = configuration
        self.promptFallback = configuration.nativeTools == false
    }

    /// A bare engine with only a system prompt (no tools).
    public init(provider: (any LLMProvider)?, model: String?, systemPrompt: String?) {
        self.init(provider: provider, model: model, configuration: EngineConfiguration(systemPrompt: systemPrompt))
    }

    /// Sends later turns to `provider` with `model`; `nativeTools` says whether that model
    /// calls tools natively (`nil`: unknown). The conversation is kept.
    public func use(provider: any LLMProvider, model: String?, nativeTools: Bool? = nil) {
        self.provider = provider
        self.model = model
        configuration.nativeTools = nativeTools
        promptFallback = nativeTools == false
    }

    /// Saves the conversation from now on with `recorder` (a session created on first use).
    public func setRecorder(_ recorder: (any SessionRecorder)?) {
        configuration.recorder = recorder
    }

    /// Whether a recorder is set.
    public var isRecording: Bool { configuration.recorder != nil }

    /// Changes what runs without asking, from the next tool call on.
    public func setApprovalMode(_ mode: ApprovalMode) {
        configuration.policy.mode = mode
    }

    /// The current approval policy (mode and always-allowed tools).
    public var policy: ApprovalPolicy { configuration.policy }

    /// Replaces the conversation (a resumed session). Cancels a running turn first.
    public func load(_ messages: [ChatMessage]) async {
        await stopRunningTurn()
        self.messages = messages
    }

    /// Starts an empty conversation, optionally saved by a new recorder (a new session).
    public func reset(recorder: (any SessionRecorder)?) async {
        await stopRunningTurn()
        messages = []
        configuration.recorder = recorder
    }

    /// A new subscription: every event from now on, in batches (coalescable ones merged).
    public func subscribe() -> EventChannel<EngineEvent> {
        let channel = EventChannel<EngineEvent>(merge: EngineEvent.merge)
        subscribers.append(channel)
        return channel
    }

    /// Appends `prompt` as a user message and runs turn `turn`, with `model` when given
    /// (else the engine's model). A turn still running is cancelled and awaited first.
    public func submit(turn: Int, prompt: String, model: String? = nil) async {
        if let model { self.model = model }
        await stopRunningTurn()
        let message = ChatMessage(role: .user, content: prompt)
        messages.append(message)
        await save(message, turn: turn)
        guard let provider, let model = self.model else {
            let error = ProviderError(kind: .notConfigured, provider: self.provider?.name ?? "none",
                                      url: self.provider?.baseURL ?? "-", detail: "no provider or model configured")
            publish(.failed(turn: turn, error))
            return
        }
        let task = Task { await self.runTurn(turn: turn, provider: provider, model: model) }
        running = (turn, task)
    }

    /// Cancels turn `turn` if it is the one running: the stream or tool is stopped, the
    /// partial reply is kept (marked by the UI), and nothing of the turn follows `.cancelled`.
    public func cancel(turn: Int) {
        guard let running, running.turn == turn else { return }
        running.task.cancel()
    }

    /// Cancels whatever turn is running (quitting).
    public func cancelRunning() {
        running?.task.cancel()
    }

    /// The user's answer to an `.approvalNeeded` event.
    public func answer(callID: String, _ answer: ApprovalAnswer) {
        approvals.answer(callID, answer)
    }

    /// Waits for the running turn, if any, to end and for its writes to be saved.
    public func waitForIdle() async {
        if let task = running?.task { await task.value }
        await writes.flush()
    }

    /// Cancels the running turn and waits until it has recorded its partial reply, so the
    /// conversation keeps its order.
    private func stopRunningTurn() async {
        guard let running else { return }
        running.task.cancel()
        await running.task.value
    }

    /// Called by the turn when it ends.
    func turnEnded(_ turn: Int) {
        if running?.turn == turn { running = nil }
        approvals.reset()
    }

    func append(_ message: ChatMessage) {
        messages.append(message)
    }

    /// Sends `event` to every subscriber, unless its turn was cancelled (only `.cancelled`
    /// itself gets through, once).
    func publish(_ event: EngineEvent) {
        if cancelledTurns.contains(event.turn) { return }
        if case .cancelled(let turn) = event { cancelledTurns.insert(turn) }
        for subscriber in subscribers { subscriber.send(event) }
    }

    /// Queues a finished message for the session (in order, without waiting), telling the
    /// user if saving fails.
    func save(_ message: ChatMessage, turn: Int) async {
        persist(turn: turn, failure: "could not save the session") { try await $0.commit(message) }
    }

    /// Queues one recorder call; a failure becomes a notice of `turn`.
    func persist(turn: Int, failure: String, _ work: @escaping @Sendable (any SessionRecorder) async throws -> Void) {
        guard let recorder = configuration.recorder else { return }
        writes.enqueue { [weak self] in
            do {
                try await work(recorder)
            } catch {
                await self?.publish(.notice(turn: turn, "\(failure): \(error)"))
            }
        }
    }
}
