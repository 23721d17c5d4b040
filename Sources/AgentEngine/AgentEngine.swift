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
    /// Turns the user cancelled: from the cancel on, only their usage records and one
    /// `.cancelled` are published.
    private var cancelledTurns: Set<Int> = []
    /// Turns whose `.cancelled` has been published: nothing more of theirs goes out.
    private var closedTurns: Set<Int> = []
    /// The last of the queued `submit`/`load`/`reset` calls, so they take effect one at a
    /// time in the order they were made (the actor is reentrant across their awaits).
    private var lastCommand: Task<Void, Never>?
    /// The tools allowed without asking by the configuration; "always" answers add to the
    /// policy for the current session only.
    private let configuredAlwaysAllow: Set<String>
    /// The configured rules; "always" answers add to them for one session only.
    private let configuredRules: PermissionRules
    /// The reply of the request being streamed (the draft timer reads it).
    var liveReply = ChatReply()
    /// Counts streams, so a draft timer of an earlier one does nothing.
    private var liveGeneration = 0
    private var draftTimer: Task<Void, Never>?
    /// Tool call ids given out in the running turn (ids must be unique within it).
    private var usedCallIDs: Set<String> = []
    let approvals = ApprovalGate()
    /// Persistence, in order, off the turn's path.
    let writes = RecorderQueue()
    /// The window the server stated in an overflow error (D126).
    var learnedWindow: Int?
    /// The window the server reports for the model in use (its model list).
    var reportedWindow: Int?
    /// The request size after a compaction that saved too little: automatic compaction waits
    /// until the conversation is larger (D125).
    var ineffectiveCompactionSize: Int?
    /// The conversation before the last compaction (`/compact undo`).
    var beforeCompaction: [ChatMessage]?
    /// Compactions so far, and the estimated size of the last summary request.
    public internal(set) var compactionCount = 0
    public internal(set) var lastCompactionRequestTokens: Int?
    /// What the last compaction did, for `/compact`.
    var lastCompactionReport = ""
    /// A custom command's `allowed-tools` for the next turn to start, and for the running one (D147).
    var nextTurnRestriction: TurnRestriction?
    var turnRestriction: TurnRestriction?
    /// The last request's size (input plus output) and the conversation's length after its
    /// reply: the base of the context figure (D135); nil after the conversation was replaced.
    var contextBase: ContextBase?

    /// - Parameters:
    ///   - provider: Where requests go; `nil` fails every turn with "not configured".
    ///   - model: The model to ask; `nil` likewise.
    ///   - configuration: Tools, approvals, persistence and pricing.
    public init(provider: (any LLMProvider)?, model: String?, configuration: EngineConfiguration = EngineConfiguration()) {
        self.provider = provider
        self.model = model
        self.configuration = configuration
        self.promptFallback = configuration.nativeTools == false
        self.configuredAlwaysAllow = configuration.policy.alwaysAllow
        self.configuredRules = configuration.policy.rules
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
        contextBase = nil
        publishContext(turn: Self.manualTurn)
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

    /// Adds tools that run without asking (an MCP server's `alwaysAllow`, once its tools are known).
    public func allow(tools: Set<String>) {
        configuration.policy.alwaysAllow.formUnion(tools)
    }

    /// The current approval policy (mode and always-allowed tools).
    public var policy: ApprovalPolicy { configuration.policy }

    /// Replaces the conversation (a resumed session). Cancels a running turn first; tools
    /// allowed "always" in the previous session ask again.
    public func load(_ messages: [ChatMessage]) async {
        await inOrder {
            await self.stopRunningTurn()
            await self.startSession(messages: messages)
        }
    }

    /// Starts an empty conversation, optionally saved by a new recorder (a new session).
    public func reset(recorder: (any SessionRecorder)?) async {
        await inOrder {
            await self.stopRunningTurn()
            await self.startSession(messages: [])
            await self.setRecorder(recorder)
        }
    }

    private func startSession(messages: [ChatMessage]) {
        self.messages = messages
        contextBase = nil
        beforeCompaction = nil
        ineffectiveCompactionSize = nil
        publishContext(turn: Self.manualTurn)
        configuration.policy.alwaysAllow = configuredAlwaysAllow
        configuration.policy.rules = configuredRules
    }

    /// A new subscription: every event from now on, in batches (coalescable ones merged).
    public func subscribe() -> EventChannel<EngineEvent> {
        let channel = EventChannel<EngineEvent>(merge: EngineEvent.merge)
        subscribers.append(channel)
        return channel
    }

    /// Ends `channel`'s subscription: it gets nothing more, and `next()` returns `nil` once
    /// drained.
    public func unsubscribe(_ channel: EventChannel<EngineEvent>) {
        subscribers.removeAll { $0 === channel }
        channel.finish()
    }

    /// Appends `prompt` as a user message and runs turn `turn`, with `model` when given
    /// (else the engine's model). A turn still running is cancelled and awaited first.
    /// Calls take effect one at a time, in the order they were made.
    public func submit(turn: Int, prompt: String, model: String? = nil) async {
        await inOrder { await self.start(turn: turn, prompt: prompt, model: model) }
    }

    /// Runs `command` after every earlier queued command has finished.
    func inOrder(_ command: @escaping @Sendable () async -> Void) async {
        let previous = lastCommand
        let task = Task {
            await previous?.value
            await command()
        }
        lastCommand = task
        await task.value
    }

    private func start(turn: Int, prompt: String, model: String?) async {
        if let model { self.model = model }
        turnRestriction = nextTurnRestriction
        nextTurnRestriction = nil
        await stopRunningTurn()
        let message = ChatMessage(role: .user, content: prompt)
        messages.append(message)
        publishContext(turn: turn)
        await save(message, turn: turn)
        if cancelledTurns.contains(turn) {
            publish(.cancelled(turn: turn))
            return
        }
        guard let provider, let model = self.model else {
            let error = ProviderError(kind: .notConfigured, provider: self.provider?.name ?? "none",
                                      url: self.provider?.baseURL ?? "-", detail: "no provider or model configured")
            publish(.failed(turn: turn, error))
            return
        }
        usedCallIDs = []
        let task = Task { await self.runTurn(turn: turn, provider: provider, model: model) }
        running = (turn, task)
    }

    /// Cancels turn `turn` if it is the one running: the stream or tool is stopped, the
    /// partial reply is kept (marked by the UI). From now on the turn publishes only the
    /// usage of requests that had already ended and, last, one `.cancelled`.
    /// A turn cancelled before it started (its `submit` still queued) does not run.
    public func cancel(turn: Int) {
        cancelledTurns.insert(turn)
        guard let running, running.turn == turn else { return }
        running.task.cancel()
    }

    /// Cancels whatever turn is running (quitting).
    public func cancelRunning() {
        guard let running else { return }
        cancel(turn: running.turn)
    }

    /// The user's answer to an `.approvalNeeded` event.
    public func answer(callID: String, _ answer: ApprovalAnswer) {
        approvals.answer(callID, answer)
    }

    /// Waits for the running turn, if any, to end and for its writes to be saved.
    public func waitForIdle() async {
        await lastCommand?.value
        if let task = running?.task { await task.value }
        await writes.flush()
    }

    /// Cancels the running turn and waits until it has recorded its partial reply, so the
    /// conversation keeps its order.
    private func stopRunningTurn() async {
        guard let running else { return }
        cancel(turn: running.turn)
        await running.task.value
    }

    /// Called by the turn when it ends.
    func turnEnded(_ turn: Int) {
        if running?.turn == turn { running = nil }
        approvals.reset()
    }

    /// Sets the conversation (compaction and its undo).
    func replaceMessages(_ replacement: [ChatMessage]) {
        messages = replacement
        contextBase = nil
    }

    func append(_ message: ChatMessage) {
        messages.append(message)
    }

    /// Sends `event` to every subscriber. Once a turn is cancelled, only its usage records
    /// (the requests were made and cost money) get through, and whatever would have ended
    /// it is published as one `.cancelled`; after that, nothing of the turn.
    func publish(_ event: EngineEvent) {
        let turn = event.turn
        // The context figure describes the conversation, not the turn: a cancelled turn's too.
        if case .context = event {
            for subscriber in subscribers { subscriber.send(event) }
            return
        }
        if closedTurns.contains(turn) { return }
        var event = event
        if cancelledTurns.contains(turn) {
            if event.endsTurn {
                event = .cancelled(turn: turn)
            } else if case .request = event {
                // Accounting is delivered even for a cancelled turn.
            } else {
                return
            }
        }
        if case .cancelled = event { closedTurns.insert(turn) }
        for subscriber in subscribers { subscriber.send(event) }
    }

    /// Starts accumulating a new request's reply in `liveReply`.
    func beginLiveReply() {
        liveReply = ChatReply()
        liveGeneration += 1
    }

    /// Stops the draft timer of the stream that ended; `liveReply` stays until the next one.
    func endLiveReply() {
        liveGeneration += 1
        draftTimer?.cancel()
        draftTimer = nil
    }

    /// Saves the live reply's text as a draft `draftInterval` from now, unless a save is
    /// already due. Called whenever the text changes.
    func scheduleDraft(turn: Int) {
        guard draftTimer == nil, configuration.recorder != nil else { return }
        let interval = configuration.draftInterval
        let generation = liveGeneration
        draftTimer = Task { [weak self] in
            try? await Task.sleep(for: interval)
            await self?.draftTimerFired(generation: generation, turn: turn)
        }
    }

    private func draftTimerFired(generation: Int, turn: Int) {
        guard generation == liveGeneration else { return }
        draftTimer = nil
        let text = liveReply.text
        guard !text.isEmpty else { return }
        persist(turn: turn, failure: "could not save the partial reply") { try await $0.saveDraft(text) }
    }

    /// `call` with an id no other call of this turn has: servers that send none get
    /// `call_N`, and the prompt form numbers calls per reply, so ids can repeat.
    func uniquelyIdentified(_ call: ToolCall) -> ToolCall {
        let base = call.id.isEmpty ? "call" : call.id
        var id = base
        var suffix = 2
        while usedCallIDs.contains(id) {
            id = "\(base)_\(suffix)"
            suffix += 1
        }
        usedCallIDs.insert(id)
        var call = call
        call.id = id
        return call
    }

    /// Queues a finished message for the session (in order, without waiting), telling the
    /// user if saving fails.
    func save(_ message: ChatMessage, turn: Int, interrupted: Bool = false) async {
        persist(turn: turn, failure: "could not save the session") {
            if interrupted { try await $0.commit(message, interrupted: true) } else { try await $0.commit(message) }
        }
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
