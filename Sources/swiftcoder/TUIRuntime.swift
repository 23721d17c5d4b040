import AgentCore
import AgentEngine
import App
import CShims
import FoundationEssentials
import NcursesBackend
import TerminalUI

/// Everything the UI loop waits for, merged into one stream.
enum RuntimeEvent: Sendable {
    case input(InputWaiter.Wake)
    case engine([EngineEvent])
    case connection(ConnectionStatus)
    case models([ModelInfo])
    case detected(ProviderConfig)
    case frame
}

/// The full-screen app's shell: owns the terminal, feeds keys and engine events through
/// the reducer, runs effects, and draws coalesced frames (at most one per 16 ms, only
/// when the state changed, writing only changed cells).
@MainActor
final class TUIRuntime {
    private let setup: Setup
    private let engine: AgentEngine
    private let events: AsyncStream<RuntimeEvent>
    private let sink: AsyncStream<RuntimeEvent>.Continuation
    private let clock = ContinuousClock()
    private static let frameInterval = Duration.milliseconds(16)

    private var state: AppState
    private var renderer = FrameRenderer()
    private var differ = FrameDiffer()
    private var drawnRevision = -1
    private var frameScheduled = false
    private var lastFrame: ContinuousClock.Instant
    /// The signal that asked us to quit, if one did (the exit status is then 128 + it).
    private var quitSignal: Int32 = 0

    init(setup: Setup) {
        self.setup = setup
        engine = AgentEngine(provider: setup.provider, model: setup.model)
        (events, sink) = AsyncStream<RuntimeEvent>.makeStream()
        lastFrame = clock.now - .seconds(1)
        let provider = setup.providerConfig.map { config in
            ActiveProvider(name: config.name, kind: config.kind.rawValue, baseURL: config.apiBase,
                           model: setup.model, connection: .checking)
        }
        state = AppState(size: TerminalSize(columns: 80, rows: 24), provider: provider,
                         setupHelp: setup.setupHelp(), notices: setup.notices)
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
        checkConnection()
        draw(terminal)
        await loop(terminal: terminal, waiter: waiter)
        waiter.stop()
        engineForwarder.cancel()
        terminal.shutdown()
        sc_disarm_terminal_guard()
        sc_restore_stderr()
        return quitSignal == 0 ? 0 : 128 + quitSignal
    }

    /// Picks the theme for this terminal's colours (monochrome under `NO_COLOR`); problems
    /// with theme files become notices. The configured name (`settings.theme`) is not wired yet.
    private func selectTheme(colorCount: Int) {
        let (userThemes, problems) = ThemeCatalog.readUserThemes(environment: setup.environment)
        let selection = ThemeCatalog(userThemes: userThemes)
            .select(nil, colorCount: colorCount, environment: setup.environment)
        renderer.theme = selection.theme
        state.notices += problems + (selection.problem.map { [$0] } ?? [])
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
                waiter.acknowledge()
            case .engine(let batch):
                actions = batch.map { .turn(Self.update(for: $0)) }
            case .connection(let status):
                actions = [.connection(status)]
            case .models(let models):
                actions = [.modelsListed(models)]
            case .detected(let found):
                var chosen = setup
                chosen.use(found)
                guard let provider = chosen.provider else { break }
                await engine.use(provider: provider, model: chosen.model)
                actions = [.providerChanged(
                    ActiveProvider(name: found.name, kind: found.kind.rawValue, baseURL: provider.baseURL,
                                   model: chosen.model, connection: .online(modelCount: found.models.count)),
                    notice: "Found \(found.kind.rawValue) running at \(provider.baseURL): using it. "
                        + "Add it to agents.config.json to keep this choice.")]
            case .frame:
                frameScheduled = false
                draw(terminal)
            }
            for action in actions { await perform(Reducer.reduce(&state, action)) }
            if state.shouldQuit { return }
            scheduleFrameIfNeeded()
        }
    }

    private func perform(_ effects: [Effect]) async {
        for effect in effects {
            switch effect {
            case .submit(let turn, let prompt, let model): await engine.submit(turn: turn, prompt: prompt, model: model)
            case .cancel(let turn): await engine.cancel(turn: turn)
            case .quit: break
            }
        }
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
        terminal.draw(differ.changes(to: frame), cursor: cursor)
        drawnRevision = state.revision
        lastFrame = clock.now
    }

    private func checkConnection() {
        guard let provider = setup.provider else {
            detectLocalServer()
            return
        }
        let sink = self.sink
        Task.detached {
            do throws(ProviderError) {
                let models = try await provider.listModels()
                sink.yield(.models(models))
            } catch {
                sink.yield(.connection(.offline(reason: error.reason)))
            }
        }
    }

    /// With nothing configured, looks for a local model server on its default port (after
    /// the first frame; the probes never hold the screen up).
    private func detectLocalServer() {
        let router = setup.router
        let sink = self.sink
        Task.detached {
            if let found = await LocalServers.detect(router).first { sink.yield(.detected(found)) }
        }
    }

    static func update(for event: EngineEvent) -> TurnUpdate {
        switch event {
        case .text(let turn, let text): .text(turn: turn, text)
        case .reasoning(let turn, let text): .reasoning(turn: turn, text)
        case .usage(let turn, let usage): .usage(turn: turn, usage)
        case .notice(let turn, let text): .notice(turn: turn, text)
        case .finished(let turn, let reason, let elapsed): .finished(turn: turn, reason, elapsedSeconds: elapsed)
        case .failed(let turn, let error): .failed(turn: turn, message: error.description)
        case .cancelled(let turn): .cancelled(turn: turn)
        }
    }
}

/// Where stderr goes while the screen is up.
enum LogFile {
    /// Creates `$XDG_STATE_HOME/swiftcoder/` (default `~/.local/state/swiftcoder/`) and
    /// returns the log file path, or nil when it cannot be created.
    static func prepare(environment: [String: String]) -> String? {
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
        return directory + "/swiftcoder.log"
    }
}
