import AgentCore
import FoundationEssentials
import ArgumentParser
import Providers

/// A failure before anything could start: a broken config or an unknown provider.
struct SetupError: Error, CustomStringConvertible {
    let description: String
}

/// The composition root's inputs: the loaded configuration and the chosen provider.
struct Setup {
    var config: AppConfig
    var router: ProviderRouter
    var providerConfig: ProviderConfig?
    var provider: (any LLMProvider)?
    var model: String?
    var environment: [String: String]
    var currentDirectory: String
    /// True when `--provider` named the provider (probes then never replace it).
    var providerWasNamed = false
    /// Whether the project folder's own files (config, MCP servers) may be used (D80).
    var trust: FolderTrustGate
    /// Builds the provider objects for configured entries (the built-in demo replaces it).
    var providers = ProviderMaker.network
    /// `--demo`: the scripted provider in a temporary project; no local servers are probed.
    var isDemo = false

    init(config: AppConfig, router: ProviderRouter, environment: [String: String], currentDirectory: String,
         trust: FolderTrustGate? = nil) {
        self.config = config
        self.router = router
        self.environment = environment
        self.currentDirectory = currentDirectory
        self.trust = trust ?? FolderTrustGate(folder: currentDirectory, files: [], status: .nothingToTrust,
                                              projectConfigWouldLoad: false)
    }

    /// `load`, for commands: a failure prints the reason on stderr and exits with status 1.
    /// With `requireProvider` and nothing configured, local servers on their default
    /// ports are probed and the first that answers is used.
    static func loadOrExit(_ options: ProviderOptions, requireProvider: Bool) async throws -> Setup {
        try await loadOrExit(configPath: options.config, providerName: options.provider, model: options.model,
                             requireProvider: requireProvider)
    }

    static func loadOrExit(configPath: String?, providerName: String?, model: String?,
                           requireProvider: Bool) async throws -> Setup {
        var setup: Setup
        do {
            setup = try load(configPath: configPath, providerName: providerName, model: model)
        } catch {
            throw CleanExit.message(error.description, code: 1)
        }
        if requireProvider { setup.printWarnings() }
        if requireProvider && setup.providerConfig == nil {
            if let found = await LocalServers.detect(setup.router).first {
                setup.use(found, model: model)
            } else {
                throw CleanExit.message(setup.noProviderMessage(), code: 1)
            }
        }
        return setup
    }

    /// Loads the configuration from `configPath` (or the lookup order) and picks the
    /// provider (`providerName`, else the configured default, else the first: until probes
    /// answer, see `ProviderRouter.defaultProvider(answered:)`) and model.
    /// An untrusted folder's `agents.config.json` is passed over (with `trust` saying so).
    static func load(configPath: String?, providerName: String?, model: String?) throws(SetupError) -> Setup {
        let environment = ProcessInfo.processInfo.environment
        let directory = FileManager.default.currentDirectoryPath
        let trust = FolderTrustGate.check(currentDirectory: directory, explicitConfig: configPath,
                                          environment: environment, store: TrustStore(environment: environment))
        let config: AppConfig
        do {
            config = try ConfigLoader.load(explicitPath: configPath, environment: environment,
                                           currentDirectory: directory, skippingProjectFile: trust.skipsProjectConfig)
        } catch {
            throw SetupError(description: error.description)
        }
        let router = ProviderRouter(config: config)
        var chosen = router.defaultProvider()
        if let name = providerName {
            if let unavailable = config.unavailable.first(where: { $0.name == name }) {
                throw SetupError(description: "provider \"\(name)\" is unavailable: \(unavailable.reason)")
            }
            do {
                chosen = try router.provider(named: name)
            } catch {
                throw SetupError(description: error.description)
            }
        }
        var setup = Setup(config: config, router: router, environment: environment, currentDirectory: directory,
                          trust: trust)
        setup.providerWasNamed = providerName != nil
        if let chosen { setup.use(chosen, model: model) }
        return setup
    }

    /// Makes `config` the active provider, with `model` (else its default model).
    mutating func use(_ config: ProviderConfig, model: String? = nil) {
        providerConfig = config
        provider = providers.chat(config)
        self.model = model ?? config.defaultModel
    }

    /// For `run`: when probes choose the provider (no `--provider`, no `defaultProvider`,
    /// more than one provider), asks every provider at once (one attempt, a short connect
    /// timeout) and uses the first in order that answers, without waiting for the ones after
    /// it. Says on stderr which did not answer when that is not the first. All down: the
    /// first stays (its own error then says why).
    mutating func useFirstAvailable(model: String?) async {
        guard !providerWasNamed, router.choosesFirstAvailable, let current = providerConfig else { return }
        let providers = router.providers
        let (choice, failed) = await withTaskGroup(of: ProviderProbe.self) { group in
            for config in providers { group.addTask { await ProviderProbe.probe(config) } }
            var answered: [String: Bool] = [:]
            var failed: [ProviderProbe] = []
            for await probe in group {
                answered[probe.name] = probe.available
                if !probe.available { failed.append(probe) }
                if case .chosen(let config) = router.defaultProvider(answered: answered) {
                    group.cancelAll()
                    return (config, failed)
                }
            }
            return (nil as ProviderConfig?, failed)
        }
        guard let choice, choice.name != current.name else { return }
        let order = Dictionary(providers.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        for probe in failed where order[probe.name, default: 0] < order[choice.name, default: 0] {
            StandardError.write("swiftcoder: \(probe.name) did not answer: \(probe.error ?? "")\n")
        }
        StandardError.write("swiftcoder: using \(choice.name), the first provider that answered\n")
        use(choice, model: model)
    }

    func noProviderMessage() -> String {
        var message = "no provider is configured"
        if let path = config.sourcePath { message += " in \(path)" }
        if trust.skipsProjectConfig {
            message += " (\(ConfigLoader.fileName) in this folder is ignored: run `swiftcoder trust` to use it)"
        }
        for entry in config.unavailable { message += "\n  \(entry.name): \(entry.reason)" }
        message += "\nsearched: " + ConfigLoader.searchPaths(environment: environment, currentDirectory: currentDirectory)
            .joined(separator: ", ")
        message += "\nno local server answered on: "
            + router.candidatesToProbe.map(\.displayBase).joined(separator: ", ")
        return message
    }

    /// Lines that tell a person how to configure a provider (shown when none is).
    func setupHelp() -> [String] {
        var lines: [String] = []
        if trust.skipsProjectConfig {
            lines.append("This folder's agents.config.json is not used until you trust the folder:")
            lines += TrustCommand.describe(folder: trust.folder).map { "  " + $0 }
            lines.append("Run `swiftcoder trust` here to use it, or:")
        }
        lines.append("Create agents.config.json in one of these places (first found wins):")
        lines += ConfigLoader.searchPaths(environment: environment, currentDirectory: currentDirectory)
            .map { "  \($0)" }
        lines.append("For example, for a local OpenAI-compatible server:")
        lines += ConfigLoader.exampleConfig.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }
        let ports = router.candidatesToProbe.map { "\($0.name) \($0.displayBase)" }
        if !ports.isEmpty {
            lines.append("No local server answered on its default port: " + ports.joined(separator: ", ")
                + ".")
        }
        lines.append("Then restart swiftcoder. `swiftcoder providers` checks what it finds.")
        lines.append("Or see it working first: `swiftcoder --demo` (a scripted provider in a temporary folder).")
        return lines
    }

    /// Problems worth showing on screen (providers that could not be used, config keys
    /// nothing reads).
    var notices: [String] {
        demoNotice + trustNotices + config.unavailable.map { "\($0.name): \($0.reason)" } + configWarnings
    }

    /// Says plainly that `--demo` is a demo, and where its files are.
    var demoNotice: [String] {
        guard isDemo else { return [] }
        return ["This is the demo: replies are scripted, not from a model, and nothing leaves this machine. "
                + "Its files are in \(currentDirectory) (removed on exit). Type anything and press Enter."]
    }

    /// Keys of the config file nothing reads, one line each with file:line:column.
    var configWarnings: [String] {
        config.warnings.map(\.description)
    }

    /// What folder trust left out, and a trust store that could not be read.
    var trustNotices: [String] {
        [trust.storeProblem, trust.warning].compactMap { $0 }
    }

    /// Where the configuration came from, for `swiftcoder providers`.
    var configSourceDescription: String {
        let ignored = trust.skipsProjectConfig ? " (\(ConfigLoader.fileName) here is not trusted)" : ""
        return (config.sourcePath ?? "none found") + ignored
    }

    /// For commands: says on stderr which project files were ignored for want of trust and
    /// which config keys nothing reads.
    func printWarnings() {
        for line in trustNotices + configWarnings { StandardError.write("swiftcoder: \(line)\n") }
    }
}

/// Local model servers found running on their default ports.
enum LocalServers {
    /// Probes the router's candidates concurrently; returns those that listed models,
    /// with their first model as the default.
    static func detect(_ router: ProviderRouter) async -> [ProviderConfig] {
        let candidates = router.candidatesToProbe
        let probes = await ProviderProbe.probeAll(candidates)
        return zip(candidates, probes).compactMap { candidate, probe in
            guard probe.available else { return nil }
            var found = candidate
            found.models = probe.models.map(\.id)
            // The probe's short timeout and no-retry settings are for probing only.
            found.timeoutSeconds = nil
            found.maxRetries = nil
            return found
        }
    }
}
