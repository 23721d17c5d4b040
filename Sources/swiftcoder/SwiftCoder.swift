import AgentCore
import ArgumentParser
import CFaultAround
import CMallocPolicy
import FoundationEssentials
import Glibc
import SessionModel

/// `swiftcoder`: the full-screen TUI, plus the `run`, `models` and `providers` commands.
@main
struct SwiftCoder: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "swiftcoder",
        abstract: "A keyboard-driven AI coding agent for the terminal.",
        discussion: """
            Without a subcommand, starts the full-screen app. Configuration is read from \
            --config, then $SWIFTCODER_CONFIG, then ./agents.config.json, then \
            $XDG_CONFIG_HOME/swiftcoder/agents.config.json.
            """,
        version: version,
        subcommands: [RunCommand.self, ModelsCommand.self, ProvidersCommand.self, SessionsCommand.self, TrustCommand.self,
                      UsageCommand.self, MCPCommand.self]
    )

    @OptionGroup var options: ProviderOptions

    @Flag(name: .long, help: "Reopen the latest session of this directory.")
    var `continue` = false

    @Option(name: .long, help: "Reopen the session with this id (see `swiftcoder sessions`).")
    var resume: Int64?

    @Flag(name: .long, help: "Try the app with a built-in scripted provider in a temporary folder (no setup, no network).")
    var demo = false

    mutating func validate() throws {
        if `continue` && resume != nil { throw ValidationError("--continue and --resume cannot be used together") }
        if demo && (`continue` || resume != nil || options.config != nil || options.provider != nil) {
            throw ValidationError("--demo uses its own provider and folder: it takes no --config, --provider, --continue or --resume")
        }
    }

    mutating func run() async throws {
        // One malloc arena for every thread, set before main (D153); referenced here so the
        // constructor's object is linked.
        _ = sc_malloc_arena_limit()
        // Fault-around off in the file mappings, from before main (D200); referenced for the same reason.
        _ = sc_fault_around_active()
        // Without a terminal on both ends there is nothing to draw on or read keys from
        // (and a stdin at end of file would keep the input thread busy): say what works.
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw CleanExit.message("the full-screen app needs a terminal; use swiftcoder run PROMPT", code: 1)
        }
        if demo { return try await runDemo() }
        var setup = try await Setup.loadOrExit(options, requireProvider: false)
        if setup.trust.needsAnswer {
            let store = TrustStore(environment: setup.environment)
            do {
                switch await TrustPrompt.ask(setup.trust) {
                case .trust:
                    try store.trust(setup.trust.folder, files: setup.trust.files)
                    setup = try await Setup.loadOrExit(options, requireProvider: false)
                case .skip:
                    try store.decline(setup.trust.folder, files: setup.trust.files)
                    setup.trust.status = .declined
                case .quit: return
                }
            } catch let error as TrustStoreError {
                throw CleanExit.message(error.description, code: 1)
            }
        }
        if let resume { try await Self.requireSession(resume, environment: setup.environment) }
        let start: StartSession = if let resume { .resume(resume) } else if `continue` { .continueLatest } else { .fresh }
        let code = await TUIRuntime(setup: setup, start: start).run()
        ProcessEnd.now(code)
    }
}

extension SwiftCoder {
    /// `--demo`: the app in a temporary folder against the scripted provider, removed after.
    func runDemo() async throws {
        let made: (setup: Setup, folder: String)
        do throws(SetupError) {
            made = try DemoSetup.make(environment: ProcessInfo.processInfo.environment)
        } catch {
            throw CleanExit.message(error.description, code: 1)
        }
        let code = await TUIRuntime(setup: made.setup, start: .fresh).run()
        DemoSetup.remove(made.folder)
        ProcessEnd.now(code)
    }

    /// `--resume ID` for an id the database does not hold exits 1 before the screen is taken.
    /// A database that cannot be read is left to the app, which says why and runs unsaved.
    static func requireSession(_ id: Int64, environment: [String: String]) async throws {
        let path = SessionPaths.defaultPath(environment: environment)
        guard case .success(let store) = await SessionController.openStore(at: path) else { return }
        var missing = false
        do { missing = try await store.session(id: id) == nil } catch {} // the app reports a read error
        await store.close()
        if missing {
            throw CleanExit.message("No session \(id). `swiftcoder sessions` lists the saved ones.", code: 1)
        }
    }
}

/// The options every command shares: where the config is and which provider and model to use.
struct ProviderOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (agents.config.json).")
    var config: String?

    @Option(name: .long, help: "Provider to use (a name from the configuration).")
    var provider: String?

    @Option(name: .long, help: "Model to use (overrides the provider's default).")
    var model: String?

    /// For commands that do not use the configuration's providers (`sessions`, `usage`): a
    /// file named with `--config` must still exist and parse, or the command says so and
    /// exits 1, rather than silently ignoring it.
    func checkNamedConfig() async throws {
        guard config != nil else { return }
        _ = try await Setup.loadOrExit(configPath: config, providerName: nil, model: nil, requireProvider: false)
    }
}

extension CleanExit {
    /// Prints `message` to stderr and exits with `code`.
    static func message(_ message: String, code: Int32) -> any Error {
        StandardError.write("swiftcoder: \(message)\n")
        return ExitCode(code)
    }
}
