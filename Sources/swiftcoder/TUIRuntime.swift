import AgentCore
import AgentEngine
import App
import AppRuntime
import CFaultAround
import CMallocPolicy
import CShims
import FoundationEssentials
import MCPClient
import NcursesBackend
import Pricing
import TerminalUI

/// How the TUI starts: a fresh conversation, the directory's latest session, or a given one.
enum StartSession: Sendable {
    case fresh
    case continueLatest
    case resume(Int64)
}

/// The app's composition root and services: builds the state, the engine, the session
/// controller and the pricing; starts the real terminal; and runs the effects `AppRuntime`
/// hands it (providers, sessions, files, history, budgets, themes). It never writes the
/// state: results go back through `dispatch` or `send` as actions.
@MainActor
final class TUIRuntime: RuntimeServices {
    var setup: Setup
    let engine: AgentEngine
    let sessions: SessionController
    let start: StartSession
    /// The loop: the reducer, effects, frames. Owns the state.
    nonisolated let app: AppRuntime
    /// Providers found running on their default ports (not in the config).
    var detected: [ProviderConfig] = []
    /// What each availability probe (the start-up model listings) said: name → answered.
    var probeAnswers: [String: Bool] = [:]
    /// Whether the active provider is still to be chosen by the probes (no `--provider`,
    /// no `defaultProvider`); cleared once chosen, or when the user sends or switches.
    var choosesProviderByProbes: Bool
    let history: HistoryFile?
    /// Favourite and recent models (`models.json`).
    let modelPrefs: ModelPrefsFile?
    let modelPrefsWriter: ModelPrefsWriter?
    /// Whether the user was told that sessions cannot be saved.
    var warnedUnsaved = false
    /// Running `!` commands by entry id; cancelling one stops its process group.
    var shellTasks: [Int: Task<Void, Never>] = [:]
    /// The custom command being expanded (its `!` commands run inside it); Esc cancels it.
    var expansion: Task<Void, Never>?
    /// Custom commands, read after the first frame (nil until then); `!` approvals waiting.
    var commandCatalog: CustomCommandCatalog?
    var commandApprovals: [String: CheckedContinuation<Bool, Never>] = [:]
    var commandApprovalCount = 0
    private var sessionsHelperStarted = false
    private var startUpPagesTrimmed = false
    let costs: CostAccounting
    var themeCatalog = ThemeCatalog()
    var colorCount = 8
    /// A problem with the pricing file, shown once the screen is up.
    let pricingProblem: String?
    /// The MCP servers (nil when none is configured), started after the first frame.
    let mcp: MCPServers?
    /// Problems found reading `.mcp.json`, shown once the screen is up.
    var mcpProblems: [String] = []

    /// The state as last reduced (read-only: changes go through `dispatch`).
    var state: AppState { app.state }

    init(setup: Setup, start: StartSession = .fresh) {
        self.setup = setup
        self.start = start
        choosesProviderByProbes = !setup.providerWasNamed
        let (book, problem) = CostAccounting.book(for: setup.config, environment: setup.environment)
        pricingProblem = problem
        let costs = CostAccounting(book: book, budget: setup.config.settings.budget, providers: setup.config.providers)
        self.costs = costs
        var problems: [String] = []
        let servers = setup.mcpServerSet(report: { problems.append($0) }, onChange: MCPStatusRelay.onChange)
        mcp = servers.entries.isEmpty ? nil : servers
        var configuration = EngineFactory.configuration(setup: setup, approveAll: false, maxSteps: nil,
                                                        recorder: nil, pricer: costs.price, mcp: mcp)
        configuration.budgetGate = costs.refusal
        engine = AgentEngine(provider: setup.provider, model: setup.model, configuration: configuration)
        sessions = SessionController(environment: setup.environment, projectDirectory: setup.currentDirectory)
        history = HistoryFile(environment: setup.environment)
        modelPrefs = StateDirectory.path(environment: setup.environment).map { ModelPrefsFile(path: $0 + "/models.json") }
        modelPrefsWriter = modelPrefs.map(ModelPrefsWriter.init(file:))
        let provider = setup.provider == nil ? nil : setup.providerConfig.map { config in
            ActiveProvider(name: config.name, kind: config.kind.rawValue, baseURL: config.displayBase,
                           model: setup.model, connection: .checking)
        }
        var state = AppState(size: TerminalSize(columns: 80, rows: 24), provider: provider,
                             setupHelp: setup.setupHelp(), notices: setup.notices)
        state.approvalMode = setup.config.settings.approvalMode
        if case .fresh = start {} else { state.resuming = true }
        state.providers = setup.config.providers.map(Self.listing)
        state.unavailableProviders = setup.config.unavailable
        app = AppRuntime(state: state, engine: engine)
        mcpProblems = problems
        app.services = self
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
        if sc_fault_around_active() == 0 {
            // Into the log: why idle memory is about 25 MiB here rather than 6 (D200).
            StandardError.write("swiftcoder: file pages mapped with fault-around (\(String(cString: sc_fault_around_reason())))\n")
        }
        sc_install_winch_handler()
        selectTheme(colorCount: terminal.colorCount)
        let status = await app.run(terminal: NcursesRuntimeTerminal(terminal))
        // `!` commands run in their own sessions: stop them too, or they would outlive the app.
        let shells = Array(shellTasks.values) + [expansion].compactMap { $0 }
        for shell in shells { shell.cancel() }
        await Self.wait(atMost: .seconds(3)) { for shell in shells { await shell.value } }
        // MCP servers run in their own sessions: their process groups are stopped before the exit.
        await mcp?.stopAll()
        await sessions.close()
        return status
    }

    /// Reduces `action` and runs its effects (see `AppRuntime.dispatch`).
    func dispatch(_ action: Action) { app.dispatch(action) }

    /// Sends an action into the loop from background work.
    nonisolated func send(_ action: Action) { app.send(action) }

    /// Queues engine work behind what is already queued.
    func enqueue(_ job: @escaping @Sendable () async -> Void) { app.enqueue(job) }

    // MARK: RuntimeServices

    /// Work that must never delay the first frame: model lists, local server detection,
    /// input history, themes and the session to continue.
    func started(_ runtime: AppRuntime) {
        if let pricingProblem { dispatch(.info(pricingProblem, isError: true)) }
        loadTodaySpend()
        if costs.hasLimits { dispatch(.budget(budgetLevel())) }
        refreshModels(state.providers.map(\.name))
        detectLocalServers()
        loadHistory()
        loadModelPrefs()
        restoreSession()
        loadCustomCommands()
        startMCPServers()
    }

    /// The message goes to the provider shown; its session is created first.
    func beforeSubmit(provider: String, model: String) -> (@Sendable () async -> Void)? {
        choosesProviderByProbes = false
        return { [weak self] in await self?.ensureRecorder(provider: provider, model: model) }
    }

    /// The budget's state after each request of a turn.
    func actions(after batch: [EngineEvent]) -> [Action] {
        batch.contains { if case .request = $0 { true } else { false } } ? [.budget(budgetLevel())] : []
    }

    func reduced(_ action: Action, _ runtime: AppRuntime) {
        switch action {
        case .key:
            TestCrash(environment: setup.environment)?.trigger()
            startSessionsHelperOnce()
        case .providerModels(let name, let listing):
            probeAnswered(name, listing)
            trimStartUpPagesOnce()
        case .turn(let event) where event.endsTurn:
            // Off the loop: the turn's freed buffers go back to the kernel (D199).
            Task.detached(priority: .background) { sc_malloc_release_free_pages() }
        default: break
        }
    }

    /// Reads user themes and picks the configured theme for this terminal's colours
    /// (monochrome under `NO_COLOR`); problems with theme files become notices.
    private func selectTheme(colorCount: Int) {
        let (userThemes, problems) = ThemeCatalog.readUserThemes(environment: setup.environment)
        themeCatalog = ThemeCatalog(userThemes: userThemes)
        self.colorCount = colorCount
        let selection = themeCatalog.select(setup.config.settings.theme, colorCount: colorCount,
                                            environment: setup.environment)
        app.setTheme(selection.theme)
        dispatch(.notices(problems + (selection.problem.map { [$0] } ?? [])))
        dispatch(.themes(active: selection.theme.name, available: themeCatalog.names))
    }

    /// `/theme NAME`: switches the colours at once (a full repaint); `/theme` alone lists the
    /// themes. Either way the theme folder is read again first, so a new file is found.
    func applyTheme(named name: String) {
        let (userThemes, problems) = ThemeCatalog.readUserThemes(environment: setup.environment)
        themeCatalog = ThemeCatalog(userThemes: userThemes)
        for problem in problems { dispatch(.info(problem, isError: true)) }
        dispatch(.themes(active: app.state.themeName, available: themeCatalog.names))
        guard !name.isEmpty else {
            dispatch(.info("Theme: \(app.state.themeName). Themes: \(themeCatalog.names.joined(separator: ", ")).",
                           isError: false))
            return
        }
        guard themeCatalog.names.contains(name) else {
            dispatch(.info("Unknown theme \"\(name)\". Themes: \(themeCatalog.names.joined(separator: ", ")).",
                           isError: true))
            return
        }
        let selection = themeCatalog.select(name, colorCount: colorCount, environment: setup.environment)
        app.setTheme(selection.theme)
        dispatch(.themes(active: selection.theme.name, available: themeCatalog.names))
        let note = setup.environment["NO_COLOR"].map { $0.isEmpty ? "" : " (NO_COLOR is set: colours stay off)" } ?? ""
        dispatch(.info(selection.problem ?? "Theme: \(name).\(note) Set \"theme\" in "
            + "agents.config.json to keep it.", isError: selection.problem != nil))
    }

    /// Runs `work`, giving up waiting after `limit` (the work goes on by itself).
    nonisolated static func wait(atMost limit: Duration, _ work: @escaping @Sendable () async -> Void) async {
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

    /// Start-up is over when a provider's model list first arrives (or fails): the pages of code and
    /// data only start-up used go, off the loop; what runs again faults back in (D200).
    private func trimStartUpPagesOnce() {
        guard !startUpPagesTrimmed else { return }
        startUpPagesTrimmed = true
        Task.detached(priority: .background) { _ = sc_fault_around_trim() }
    }

    /// The first key opens the session database, so it is ready by the time a message is
    /// sent; an app that is only looked at never opens it.
    private func startSessionsHelperOnce() {
        guard !sessionsHelperStarted else { return }
        sessionsHelperStarted = true
        let sessions = self.sessions
        Task.detached { _ = await sessions.open() }
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
