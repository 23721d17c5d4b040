import AgentCore
import AgentEngine
import App
import CShims
import FoundationEssentials
import NcursesBackend
import Pricing
import TerminalUI

/// Everything the UI loop waits for, merged into one stream.
enum RuntimeEvent: Sendable {
    case input(InputWaiter.Wake)
    case engine([EngineEvent])
    /// A result from background work (model lists, sessions, shell output, …).
    case action(Action)
    case frame
}

/// How the TUI starts: a fresh conversation, the directory's latest session, or a given one.
enum StartSession: Sendable {
    case fresh
    case continueLatest
    case resume(Int64)
}

/// The full-screen app's shell: owns the terminal, feeds keys and engine events through
/// the reducer, runs effects, and draws coalesced frames (at most one per 16 ms, only
/// when the state changed, writing only changed cells).
@MainActor
final class TUIRuntime {
    var setup: Setup
    let engine: AgentEngine
    let sessions: SessionController
    let start: StartSession
    let events: AsyncStream<RuntimeEvent>
    let sink: AsyncStream<RuntimeEvent>.Continuation
    private let clock = ContinuousClock()
    private static let frameInterval = Duration.milliseconds(16)

    var state: AppState
    var renderer = FrameRenderer()
    private var differ = FrameDiffer()
    private var drawnRevision = -1
    private var frameScheduled = false
    private var lastFrame: ContinuousClock.Instant
    /// The signal that asked us to quit, if one did (the exit status is then 128 + it).
    private var quitSignal: Int32 = 0
    /// Providers found running on their default ports (not in the config).
    var detected: [ProviderConfig] = []
    /// What each availability probe (the start-up model listings) said: name → answered.
    var probeAnswers: [String: Bool] = [:]
    /// Whether the active provider is still to be chosen by the probes (no `--provider`,
    /// no `defaultProvider`); cleared once chosen, or when the user sends or switches.
    var choosesProviderByProbes: Bool
    let history: HistoryFile?
    /// Engine work, run one job at a time in order by `runEngineJobs`.
    let engineJobs: AsyncStream<@Sendable () async -> Void>.Continuation
    private let engineJobStream: AsyncStream<@Sendable () async -> Void>
    /// Whether the user was told that sessions cannot be saved.
    var warnedUnsaved = false
    private var sessionsHelperStarted = false
    let costs: CostAccounting
    var themeCatalog = ThemeCatalog()
    var colorCount = 8
    /// A problem with the pricing file, shown once the screen is up.
    let pricingProblem: String?

    init(setup: Setup, start: StartSession = .fresh) {
        self.setup = setup
        self.start = start
        choosesProviderByProbes = !setup.providerWasNamed
        let (book, problem) = CostAccounting.book(for: setup.config, environment: setup.environment)
        pricingProblem = problem
        let costs = CostAccounting(book: book, budget: setup.config.settings.budget, providers: setup.config.providers)
        self.costs = costs
        var configuration = EngineFactory.configuration(setup: setup, approveAll: false, maxSteps: nil,
                                                        recorder: nil, pricer: costs.price)
        configuration.budgetGate = costs.refusal
        engine = AgentEngine(provider: setup.provider, model: setup.model, configuration: configuration)
        sessions = SessionController(environment: setup.environment, projectDirectory: setup.currentDirectory)
        history = HistoryFile(environment: setup.environment)
        (events, sink) = AsyncStream<RuntimeEvent>.makeStream()
        (engineJobStream, engineJobs) = AsyncStream<@Sendable () async -> Void>.makeStream()
        lastFrame = clock.now - .seconds(1)
        let provider = setup.providerConfig.map { config in
            ActiveProvider(name: config.name, kind: config.kind.rawValue, baseURL: config.apiBase,
                           model: setup.model, connection: .checking)
        }
        state = AppState(size: TerminalSize(columns: 80, rows: 24), provider: provider,
                         setupHelp: setup.setupHelp(), notices: setup.notices)
        state.approvalMode = setup.config.settings.approvalMode
        if case .fresh = start {} else { state.resuming = true }
        state.providers = setup.config.providers.map(Self.listing)
    }

    /// Runs until the user quits; returns the process exit status.
    func run() async -> Int32 {
        let logPath = LogFile.prepare(environment: setup.environment)
        if !DisplayWidth.localeIsUTF8 {
            StandardError.write("swiftcoder: warning: no UTF-8 locale; set LANG=C.UTF-8 for wide characters\n")
        }
        // Swift's crash reporter runs after ours only when the user asked for it.
        sc_install_terminal_guard(setup.environment["SWIFT_BACKTRACE"] == nil ? 0 : 1)
        sc_set_graceful_signals(1)
        let terminal: NcursesTerminal
        do {
            terminal = try NcursesTerminal(term: setup.environment["TERM"])
        } catch {
            sc_restore_terminal()
            StandardError.write("swiftcoder: \(error.description)\n")
            return 1
        }
        if let logPath { _ = sc_redirect_stderr(logPath) }
        sc_install_winch_handler()
        state.size = terminal.size
        selectTheme(colorCount: terminal.colorCount)
        let waiter = InputWaiter()
        let sink = self.sink
        waiter.start { wake in sink.yield(.input(wake)) }
        let channel = await engine.subscribe()
        let engineForwarder = Task { while let batch = await channel.next() { sink.yield(.engine(batch)) } }
        let jobs = engineJobStream
        let jobRunner = Task { for await job in jobs { await job() } }
        draw(terminal)
        startBackgroundWork()
        await loop(terminal: terminal, waiter: waiter)
        waiter.stop()
        terminal.shutdown()
        sc_disarm_terminal_guard()
        sc_restore_stderr()
        // A turn still running is stopped and given a moment to kill its commands' process
        // groups and save what it streamed, with the terminal already back to the user.
        engineJobs.finish()
        jobRunner.cancel()
        await engine.cancelRunning()
        await Self.wait(atMost: .seconds(3)) { [engine] in await engine.waitForIdle() }
        engineForwarder.cancel()
        return quitSignal == 0 ? 0 : 128 + quitSignal
    }

    /// Work that must never delay the first frame: model lists, local server detection,
    /// input history, themes and the session to continue.
    private func startBackgroundWork() {
        if let pricingProblem { _ = Reducer.reduce(&state, .info(pricingProblem, isError: true)) }
        loadTodaySpend()
        if costs.hasLimits { _ = Reducer.reduce(&state, .budget(budgetLevel())) }
        if setup.provider == nil { state.provider = nil }
        refreshModels(state.providers.map(\.name))
        detectLocalServers()
        loadHistory()
        restoreSession()
    }

    /// Reads user themes and picks the configured theme for this terminal's colours
    /// (monochrome under `NO_COLOR`); problems with theme files become notices.
    private func selectTheme(colorCount: Int) {
        let (userThemes, problems) = ThemeCatalog.readUserThemes(environment: setup.environment)
        themeCatalog = ThemeCatalog(userThemes: userThemes)
        self.colorCount = colorCount
        let selection = themeCatalog.select(setup.config.settings.theme, colorCount: colorCount,
                                            environment: setup.environment)
        renderer.theme = selection.theme
        state.notices += problems + (selection.problem.map { [$0] } ?? [])
        state.themeName = selection.theme.name
        state.themeNames = themeCatalog.names
    }

    /// `/theme NAME`: switches the colours at once (a full repaint).
    func applyTheme(named name: String) {
        guard themeCatalog.names.contains(name) else {
            _ = Reducer.reduce(&state, .info("Unknown theme \"\(name)\". Themes: \(themeCatalog.names.joined(separator: ", ")).",
                                             isError: true))
            return
        }
        let selection = themeCatalog.select(name, colorCount: colorCount, environment: setup.environment)
        renderer.theme = selection.theme
        invalidateScreen()
        _ = Reducer.reduce(&state, .themes(active: selection.theme.name, available: themeCatalog.names))
        let note = setup.environment["NO_COLOR"].map { $0.isEmpty ? "" : " (NO_COLOR is set: colours stay off)" } ?? ""
        _ = Reducer.reduce(&state, .info(selection.problem ?? "Theme: \(name).\(note) Set \"theme\" in "
            + "agents.config.json to keep it.", isError: selection.problem != nil))
    }

    private func loop(terminal: NcursesTerminal, waiter: InputWaiter) async {
        for await event in events {
            var actions: [Action] = []
            switch event {
            case .input(.hangUp):
                actions = [.quitRequested]
            case .input(.ready):
                let signal = sc_take_pending_signal()
                if signal != 0 {
                    quitSignal = signal
                    actions.append(.quitRequested)
                }
                let (keys, resized) = terminal.readKeys()
                if resized {
                    actions.append(.resize(terminal.size))
                    differ.invalidate()
                }
                actions += keys.map(Action.key)
                if !keys.isEmpty { startSessionsHelperOnce() }
                waiter.acknowledge()
            case .engine(let batch):
                actions = batch.map(Action.turn)
                armApprovals(in: batch)
                if batch.contains(where: { if case .request = $0 { true } else { false } }) {
                    actions.append(.budget(budgetLevel()))
                }
            case .action(let action):
                actions = [action]
            case .frame:
                frameScheduled = false
                draw(terminal)
            }
            for action in actions { await perform(Reducer.reduce(&state, action)) }
            if case .action(.providerModels(let name, let listing)) = event { probeAnswered(name, listing) }
            if state.shouldQuit { return }
            scheduleFrameIfNeeded()
        }
    }

    /// Approvals become answerable a moment after they appear, so keys typed for the next
    /// message are not taken as an answer.
    private func armApprovals(in batch: [EngineEvent]) {
        for event in batch {
            guard case .approvalNeeded(_, let callID, _) = event else { continue }
            Task { [weak self] in
                try? await Task.sleep(for: .milliseconds(400))
                self?.send(.approvalArmed(callID: callID))
            }
        }
    }

    /// Runs `work`, giving up waiting after `limit` (the work goes on by itself).
    static func wait(atMost limit: Duration, _ work: @escaping @Sendable () async -> Void) async {
        let done = AsyncStream<Void>.makeStream()
        Task {
            await work()
            done.continuation.yield()
        }
        Task {
            try? await Task.sleep(for: limit)
            done.continuation.yield()
        }
        for await _ in done.stream { break }
    }

    /// The first key opens the session database, so it is ready by the time a message is
    /// sent; an app that is only looked at never opens it.
    private func startSessionsHelperOnce() {
        guard !sessionsHelperStarted else { return }
        sessionsHelperStarted = true
        let sessions = self.sessions
        Task.detached { _ = await sessions.open() }
    }

    /// Sends an action into the loop from background work.
    nonisolated func send(_ action: Action) {
        sink.yield(.action(action))
    }

    /// Asks for a frame: at once when the last one is older than a frame interval (after
    /// the events already queued), else when the interval has passed.
    private func scheduleFrameIfNeeded() {
        guard state.revision != drawnRevision, !frameScheduled else { return }
        frameScheduled = true
        let wait = Self.frameInterval - (clock.now - lastFrame)
        if wait <= .zero {
            sink.yield(.frame)
        } else {
            let sink = self.sink
            Task {
                try? await Task.sleep(for: wait)
                sink.yield(.frame)
            }
        }
    }

    private func draw(_ terminal: NcursesTerminal) {
        let (frame, cursor) = renderer.render(state)
        state.scrollLimit = renderer.scrollLimit
        state.visibleToolEntryID = renderer.visibleToolEntryID
        terminal.draw(differ.changes(to: frame), cursor: cursor)
        drawnRevision = state.revision
        lastFrame = clock.now
    }

    /// Forces a full repaint on the next frame (a theme change alters every cell's style).
    func invalidateScreen() {
        differ.invalidate()
        state.touchForRedraw()
    }
}

/// Where stderr goes while the screen is up.
enum LogFile {
    /// Creates `$XDG_STATE_HOME/swiftcoder/` (default `~/.local/state/swiftcoder/`) and
    /// returns the log file path, or nil when it cannot be created.
    static func prepare(environment: [String: String]) -> String? {
        guard let directory = StateDirectory.path(environment: environment) else { return nil }
        return directory + "/swiftcoder.log"
    }
}

/// `$XDG_STATE_HOME/swiftcoder` (default `~/.local/state/swiftcoder`), created on demand.
enum StateDirectory {
    static func path(environment: [String: String]) -> String? {
        let base: String
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty {
            base = state
        } else if let home = environment["HOME"], !home.isEmpty {
            base = home + "/.local/state"
        } else {
            return nil
        }
        let directory = base + "/swiftcoder"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            return nil
        }
        return directory
    }
}
