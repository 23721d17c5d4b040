import AgentCore
import ArgumentParser
import FoundationEssentials
import Pricing
import Providers

/// The outcome of asking one provider for its models.
struct ProviderProbe: Encodable, Sendable {
    var name: String
    var type: String
    var url: String
    var available: Bool
    var models: [ModelInfo]
    var error: String?
    /// Found running on its default port rather than configured.
    var detected = false

    /// Asks every provider concurrently; results keep the configuration's order.
    static func probeAll(_ configs: [ProviderConfig]) async -> [ProviderProbe] {
        await withTaskGroup(of: (Int, ProviderProbe).self) { group in
            for (index, config) in configs.enumerated() {
                group.addTask { (index, await probe(config)) }
            }
            var results: [(Int, ProviderProbe)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// One listing attempt with a short connect timeout (`ProviderFactory.makeProbe`).
    static func probe(_ config: ProviderConfig) async -> ProviderProbe {
        let provider = ProviderFactory.makeProbe(config: config)
        do {
            let models = try await provider.listModels()
            return ProviderProbe(name: config.name, type: config.kind.rawValue, url: config.displayBase,
                                 available: true, models: models)
        } catch {
            return ProviderProbe(name: config.name, type: config.kind.rawValue, url: config.displayBase,
                                 available: false, models: [], error: error.description)
        }
    }
}

/// `value` as JSON text: pretty by default, one line for JSON Lines output.
func encodeJSON(_ value: some Encodable, oneLine: Bool = false) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = oneLine ? [.sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value) else { return "{}" }
    return String(decoding: data, as: UTF8.self)
}

/// A provider entry skipped when the configuration was read (an unset `${VAR}`), as the
/// list commands print it.
struct SkippedProvider: Encodable, Sendable {
    var name: String
    var reason: String
}

extension ProviderProbe {
    /// The provider the app would start with given these probes: the configured default,
    /// else the first (in `router` order) that answered (`ProviderRouter.defaultProvider(answered:)`).
    static func defaultName(_ probes: [ProviderProbe], router: ProviderRouter) -> String? {
        var router = router
        var answered: [String: Bool] = [:]
        for probe in probes {
            answered[probe.name] = probe.available
            if probe.detected, let config = ProviderRouter.localCandidates.first(where: { $0.name == probe.name }) {
                router.addDetected(config)
            }
        }
        return switch router.defaultProvider(answered: answered) {
        case .chosen(let config): config?.name
        case .waiting: router.defaultProvider()?.name
        }
    }
}

/// `swiftcoder models`: the live model list of one provider, or of every provider.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models", abstract: "List the models providers offer right now (live).",
        discussion: """
            Each provider is asked once, with a short connect timeout. A provider that does not \
            answer is listed with its URL and the reason; one skipped by the configuration (an \
            unset ${VAR}) with the message naming the variable. Unknown context windows, tool \
            support and prices come from the built-in table and prices when they know the model. \
            Exit status: 0 when at least one provider listed its models, else 1.
            """)

    @OptionGroup var options: ProviderOptions

    @Flag(name: .long, help: "Print JSON (the same capability and price fields as the table).")
    var json = false

    mutating func run() async throws {
        let setup = try await Setup.loadOrExit(options, requireProvider: true)
        var configs = [setup.providerConfig].compactMap { $0 }
        var skipped: [SkippedProvider] = []
        if options.provider == nil {
            configs = setup.config.providers
            for found in await LocalServers.detect(setup.router) where !configs.contains(where: { $0.name == found.name }) {
                configs.append(found)
            }
            skipped = setup.config.unavailable.map { SkippedProvider(name: $0.name, reason: $0.reason) }
        }
        var probes = await ProviderProbe.probeAll(configs)
        // What the server does not say comes from the table of well-known families; prices
        // swiftcoder will charge where the server publishes none (config, table, local 0).
        let (book, _) = CostAccounting.book(for: setup.config, environment: setup.environment)
        let costs = CostAccounting(book: book, budget: Budget(), providers: configs)
        for index in probes.indices {
            probes[index].detected = !setup.config.providers.contains { $0.name == probes[index].name }
            let filled = probes[index].models.map(ModelCapabilities.filling)
            probes[index].models = costs.pricing(provider: probes[index].name, models: filled)
        }
        if json {
            struct Output: Encodable {
                var defaultProvider: String?
                var providers: [ProviderProbe]
                var unavailable: [SkippedProvider]
            }
            let defaultName = options.provider ?? ProviderProbe.defaultName(probes, router: setup.router)
            StandardOutput.writeJSON(encodeJSON(Output(defaultProvider: defaultName, providers: probes,
                                                   unavailable: skipped)) + "\n")
        } else {
            StandardOutput.write(Self.table(probes, skipped: skipped))
        }
        if probes.allSatisfy({ !$0.available }) { throw ExitCode(1) }
    }

    /// One row per model (capabilities already filled), then one per provider that failed or
    /// was skipped, below them: its reason runs to the end of the line and never widens the
    /// columns of the model rows (issue 14, bug 14).
    static func table(_ probes: [ProviderProbe], skipped: [SkippedProvider] = []) -> String {
        var rows: [[String]] = [["PROVIDER", "MODEL", "CONTEXT", "TOOLS", "STREAM", "$/M IN", "$/M OUT"]]
        var reasons: [[String]] = []
        for probe in probes {
            if let error = probe.error {
                reasons.append([probe.name, "error: \(error)"])
                continue
            }
            if probe.models.isEmpty { reasons.append([probe.name, "(no models)"]) }
            for model in probe.models {
                rows.append([probe.name, model.id, model.contextWindow.map(String.init) ?? "?",
                             yesNo(model.supportsTools), yesNo(model.supportsStreaming),
                             price(model.pricing?.inputPerMillion), price(model.pricing?.outputPerMillion)])
            }
        }
        for entry in skipped { reasons.append([entry.name, "unavailable: \(entry.reason)"]) }
        return formatTable(rows + reasons)
    }

    static func yesNo(_ value: Bool?) -> String { value.map { $0 ? "yes" : "no" } ?? "?" }

    /// A price per million tokens, or `n/a` when unknown (never `$0.00` for unknown).
    static func price(_ value: Decimal?) -> String {
        guard let value else { return "n/a" }
        return "\(value)"
    }
}

/// `swiftcoder providers`: configured providers and whether each answers.
struct ProvidersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "providers", abstract: "List configured providers and whether they answer.",
        discussion: """
            Each provider is asked once, with a short connect timeout; `*` marks the one the app \
            starts with (defaultProvider, else the first that answered). Exit status: 0 once the \
            configuration is read, whatever the providers answer; 1 for a broken configuration.
            """)

    /// The same option group as the root command's: a `--config` declared apart from it is
    /// taken by the root command and never reaches this one (issue 14, bug 1).
    @OptionGroup var options: ProviderOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    mutating func run() async throws {
        let setup = try await Setup.loadOrExit(configPath: options.config, providerName: nil, model: nil,
                                               requireProvider: false)
        setup.printWarnings()
        // Configured providers and the local-server probes run together.
        async let configured = ProviderProbe.probeAll(setup.config.providers)
        async let detectedConfigs = LocalServers.detect(setup.router)
        var probes = await configured
        for var probe in await ProviderProbe.probeAll(await detectedConfigs) {
            probe.detected = true
            probes.append(probe)
        }
        let unavailable = setup.config.unavailable.map { SkippedProvider(name: $0.name, reason: $0.reason) }
        let active = ProviderProbe.defaultName(probes, router: setup.router)
        if json {
            struct Output: Encodable {
                var source: String?
                var defaultProvider: String?
                var providers: [ProviderProbe]
                var unavailable: [SkippedProvider]
            }
            StandardOutput.writeJSON(encodeJSON(Output(source: setup.config.sourcePath, defaultProvider: active,
                                                   providers: probes, unavailable: unavailable)) + "\n")
            return
        }
        StandardOutput.write("config: \(setup.configSourceDescription)\n")
        if probes.isEmpty && unavailable.isEmpty {
            StandardOutput.write("no local server answered on: "
                + setup.router.candidatesToProbe.map(\.displayBase).joined(separator: ", ") + "\n")
            StandardOutput.write(setup.setupHelp().joined(separator: "\n") + "\n")
            return
        }
        var rows: [[String]] = [["", "PROVIDER", "TYPE", "URL", "STATUS"]]
        for probe in probes {
            let count = probe.models.count
            let status = probe.available ? "online, \(count) model\(count == 1 ? "" : "s")" : "offline: \(probe.error ?? "")"
            rows.append([probe.name == active ? "*" : "", probe.name + (probe.detected ? " (detected)" : ""),
                         probe.type, probe.url, status])
        }
        for entry in unavailable { rows.append(["", entry.name, "", "", "unavailable: \(entry.reason)"]) }
        StandardOutput.write(formatTable(rows))
    }
}

/// Left-aligned columns separated by two spaces. The last cell of a row is not padded and
/// does not set its column's width, so a short row's long last cell (a reason, a note) runs
/// to the end of its line without widening the other rows.
func formatTable(_ rows: [[String]]) -> String {
    guard let columns = rows.map(\.count).max() else { return "" }
    var widths = Array(repeating: 0, count: columns)
    for row in rows {
        for (index, cell) in row.enumerated() where index < row.count - 1 { widths[index] = max(widths[index], cell.count) }
    }
    return rows.map { row in
        row.enumerated().map { index, cell in
            index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
        }.joined()
    }.joined(separator: "\n") + "\n"
}
