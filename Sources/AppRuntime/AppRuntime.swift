import AgentCore
import App
import TerminalUI
import ThreadSupport

/// The full-screen app's loop, as a library: feeds keys, engine events and background
/// results through the reducer (the only writer of `AppState`), runs every effect it
/// returns, and draws coalesced frames (`FrameSchedule`: at most one per `frameInterval`,
/// one per `streamingInterval` while only streamed text changes, only when the state
/// changed, writing only changed cells). The terminal, the engine and the other
/// services are protocols, so tests drive it with a fake terminal and a scripted engine.
@MainActor
public final class AppRuntime {
    /// Everything the loop waits for, merged into one stream.
    enum Event: Sendable {
        case input(InputWake)
        /// The engine's channel has events pending (drained by the loop, D185).
        case engineReady
        /// A result from background work (model lists, sessions, shell output, …).
        case action(Action)
        /// A frame's wake-up, with its `FrameSchedule` ticket.
        case frame(Int)
        /// A second has passed while a request streams: has it stalled?
        case streamCheck
    }

    /// The app's state. Read-only outside: every change is an action through `dispatch`.
    public private(set) var state: AppState
    /// Draws the state; its theme is set with `setTheme`.
    public private(set) var renderer = FrameRenderer()
    public weak var services: (any RuntimeServices)?
    /// How long an approval is on screen before keys can answer it, so keys typed for the
    /// next message are not taken as an answer.
    public var approvalArmDelay = Duration.milliseconds(400)
    let engine: any RuntimeEngine
    private let frameInterval: Duration
    /// Everything the loop waits for; it waits on the main actor, so an event wakes one
    /// thread (D193).
    private let sink = IsolatedInbox<Event>()
    /// Engine work, run one job at a time in call order.
    private let engineJobs: AsyncStream<@Sendable () async -> Void>.Continuation
    private let engineJobStream: AsyncStream<@Sendable () async -> Void>
    private var terminal: (any RuntimeTerminal)?
    /// The engine's subscription, drained when it says events are pending.
    private var engineEvents: (any EngineEventSource)?
    private var frames: FrameSchedule
    /// Times the request being streamed for the live tok/s.
    private var streamClock = StreamClock()
    /// A `streamCheck` wake-up is pending (one a second while a request streams, none otherwise).
    private var streamCheckArmed = false
    /// Frames rendered since the start (each for a state revision not yet on screen).
    public private(set) var framesRendered = 0
    /// Rendered frames that changed at least one cell or the cursor, so were written.
    public private(set) var framesWritten = 0
    private var lastCursor: (x: Int, y: Int)?

    /// - Parameters:
    ///   - frameInterval: the shortest time between two frames (default: 1/60 s).
    ///   - streamingInterval: the same while only streamed text changes (default: 1/30 s, D183).
    ///   - clock: what frames are paced by (a manual clock in tests).
    public init(state: AppState, engine: any RuntimeEngine, frameInterval: Duration? = nil,
                streamingInterval: Duration? = nil, clock: any FrameClock = SystemFrameClock()) {
        self.state = state
        self.engine = engine
        let frameInterval = frameInterval ?? FrameSchedule.defaultInterval
        self.frameInterval = frameInterval
        frames = FrameSchedule(interval: frameInterval,
                               streamingInterval: streamingInterval ?? FrameSchedule.defaultStreamingInterval, clock: clock)
        (engineJobStream, engineJobs) = AsyncStream<@Sendable () async -> Void>.makeStream()
    }

    /// Runs until the user quits, then restores the terminal and stops the engine; returns
    /// the exit status (128 + the signal that asked to quit, else 0).
    public func run(terminal: any RuntimeTerminal) async -> Int32 {
        self.terminal = terminal
        dispatch(.resize(terminal.size))
        let sink = self.sink
        terminal.startInput { wake in sink.yield(.input(wake)) }
        let channel = await engine.subscribeEvents()
        engineEvents = channel
        channel.deliver { sink.yield(.engineReady) }
        let jobs = engineJobStream
        let jobRunner = Task { for await job in jobs { await job() } }
        draw()
        services?.started(self)
        let signal = await loop(terminal)
        terminal.restore()
        // A turn still running is stopped and given a moment to kill its commands' process
        // groups and save what it streamed, with the terminal already back to the user.
        engineJobs.finish()
        jobRunner.cancel()
        await engine.stopForQuit()
        return signal == 0 ? 0 : 128 + signal
    }

    /// Reduces `action` and runs the effects it returns. The one way the state changes.
    public func dispatch(_ action: Action) {
        perform(Reducer.reduce(&state, action))
    }

    /// Sends an action into the loop from background work (any thread).
    public nonisolated func send(_ action: Action) {
        sink.yield(.action(action))
    }

    /// Queues engine work behind what is already queued.
    public func enqueue(_ job: @escaping @Sendable () async -> Void) {
        engineJobs.yield(job)
    }

    /// Switches the colours: every cell is drawn again on the next frame.
    public func setTheme(_ theme: Theme) {
        renderer.theme = theme
        frames.invalidate()
        dispatch(.redraw)
    }

    // MARK: The loop

    /// Handles events until the state says quit; returns the signal that asked, or 0.
    private func loop(_ terminal: any RuntimeTerminal) async -> Int32 {
        var quitSignal: Int32 = 0
        while let event = await sink.next() {
            let revision = state.revision
            var actions: [Action] = []
            var paintNow = false
            var streaming = false
            switch event {
            case .input(.hangUp):
                actions = [.quitRequested]
            case .input(.ready):
                let signal = terminal.takePendingSignal()
                if signal != 0 {
                    quitSignal = signal
                    actions.append(.quitRequested)
                }
                let (keys, resized) = terminal.readKeys()
                if resized {
                    actions.append(.resize(terminal.size))
                    frames.invalidate()
                }
                actions += keys.map(Action.key)
                terminal.acknowledgeInput()
            case .engineReady:
                let batch = engineEvents?.drain() ?? []
                guard !batch.isEmpty else { continue }
                actions = batch.map(Action.turn)
                paintNow = batch.contains(where: \.endsTurn)
                streaming = batch.allSatisfy(\.isStreamedProgress)
                if let progress = streamClock.observe(batch, now: frames.clock.now) { actions.append(progress) }
                armStreamCheck()
                armApprovals(in: batch)
                actions += services?.actions(after: batch) ?? []
            case .action(let action):
                actions = [action]
            case .frame(let ticket):
                if frames.takeWakeUp(ticket) { draw() }
            case .streamCheck:
                streamCheckArmed = false
                actions = streamClock.stalled(now: frames.clock.now).map { [$0] } ?? []
                armStreamCheck()
            }
            for action in actions {
                dispatch(action)
                services?.reduced(action, self)
            }
            if state.shouldQuit { return quitSignal }
            // Only a change asks for a frame. An event that changed nothing (a stale frame
            // wake-up, a stream check) asking too would be asking at the 60 frames/s pace:
            // it replaced the streaming frame waiting its 1/30 s, whose own wake-up, stale
            // in turn, did the same, and the stream went on at 60 frames/s (D203).
            if state.revision != revision { scheduleFrameIfNeeded(now: paintNow, streaming: streaming) }
        }
        return quitSignal
    }

    /// Runs the reducer's effects: the engine's through the engine queue (one job at a
    /// time, in order, so the loop never waits on the engine), the rest by the services.
    private func perform(_ effects: [Effect]) {
        let engine = self.engine
        for effect in effects {
            switch effect {
            case .submit(let turn, let prompt, let model):
                if let prepare = services?.beforeSubmit(provider: state.provider?.name ?? "none", model: model) {
                    enqueue(prepare)
                }
                enqueue { await engine.submit(turn: turn, prompt: prompt, model: model) }
            case .cancel(let turn): enqueue { await engine.cancel(turn: turn) }
            case .answer(let callID, let answer): enqueue { await engine.answer(callID: callID, answer) }
            case .setApprovalMode(let mode): enqueue { await engine.setApprovalMode(mode) }
            case .quit: break // the loop ends when it sees `shouldQuit`
            case .disarmQuit(let arm):
                Task { [weak self] in
                    try? await Task.sleep(for: Reducer.quitArmWindow)
                    self?.send(.quitDisarmed(arm: arm))
                }
            default: services?.perform(effect, self)
            }
        }
    }

    /// While a request streams, wakes the loop once a second to ask the stream clock whether
    /// it stalled; nothing is armed once it ends, so an idle app does not wake.
    private func armStreamCheck() {
        guard streamClock.isStreaming, !streamCheckArmed else { return }
        streamCheckArmed = true
        let sink = self.sink
        frames.clock.wake(after: .seconds(1)) { sink.yield(.streamCheck) }
    }

    /// Approvals become answerable `approvalArmDelay` after they appear.
    private func armApprovals(in batch: [EngineEvent]) {
        for event in batch {
            guard case .approvalNeeded(_, let callID, _) = event else { continue }
            let delay = approvalArmDelay
            Task { [weak self] in
                try? await Task.sleep(for: delay)
                self?.send(.approvalArmed(callID: callID))
            }
        }
    }

    // MARK: Frames

    /// Asks for a frame: at once when the last one is older than a frame interval (after
    /// the events already queued) or `now` (a turn ended: its last text and the meter's
    /// `ready` wait for no interval, D150), else when the interval has passed (the longer
    /// streaming interval when only streamed text changed, D183).
    private func scheduleFrameIfNeeded(now: Bool = false, streaming: Bool = false) {
        guard let (wait, ticket) = frames.request(revision: state.revision, now: now, streaming: streaming) else { return }
        if wait <= .zero {
            sink.yield(.frame(ticket))
        } else {
            let sink = self.sink
            frames.clock.wake(after: wait) { sink.yield(.frame(ticket)) }
        }
    }

    private func draw() {
        frames.scheduled = false
        guard let terminal else { return }
        let (frame, cursor) = renderer.render(state)
        framesRendered += 1
        // The chat's rows moved up: the terminal moves its cells and the diff is taken against
        // the last frame moved the same way, so only the new rows are sent (D194).
        if let scroll = renderer.chatScroll, terminal.scroll(scroll) { frames.differ.scroll(scroll) }
        let changes = frames.differ.changes(to: frame)
        // A new revision that looks the same (a figure recomputed to its old value) writes nothing.
        if !changes.isEmpty || cursor.x != lastCursor?.x || cursor.y != lastCursor?.y || framesWritten == 0 {
            terminal.draw(changes, cursor: cursor)
            framesWritten += 1
            lastCursor = cursor
        }
        frames.drawn(revision: state.revision)
        if renderer.scrollLimit != state.scrollLimit || renderer.visibleToolEntryID != state.visibleToolEntryID {
            dispatch(.frameDrawn(scrollLimit: renderer.scrollLimit, visibleToolEntryID: renderer.visibleToolEntryID))
        }
    }
}

extension EngineEvent {
    /// Whether the event ends its turn: the frame showing it is drawn at once (D150).
    var endsTurn: Bool {
        switch self {
        case .finished, .failed, .refused, .cancelled: true
        default: false
        }
    }
}
