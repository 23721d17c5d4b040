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

    static func probe(_ config: ProviderConfig) async -> ProviderProbe {
        let provider = ProviderFactory.make(config: config)
        do {
            let models = try await provider.listModels()
            return ProviderProbe(name: config.name, type: config.kind.rawValue, url: provider.baseURL,
                                 available: true, models: models)
        } catch {
            return ProviderProbe(name: config.name, type: config.kind.rawValue, url: provider.baseURL,
                                 available: false, models: [], error: error.description)
        }
    }
}

func encodeJSON(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value) else { return "{}" }
    return String(decoding: data, as: UTF8.self)
}

/// `swiftcoder models`: the live model list of one provider, or of every provider.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models", abstract: "List the models providers offer right now (live).")

    @OptionGroup var options: ProviderOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    mutating func run() async throws {
        let setup = try await Setup.loadOrExit(options, requireProvider: true)
        var configs = [setup.providerConfig].compactMap { $0 }
        if options.provider == nil {
            configs = setup.config.providers
            for found in await LocalServers.detect(setup.router) where !configs.contains(where: { $0.name == found.name }) {
                configs.append(found)
            }
        }
        var probes = await ProviderProbe.probeAll(configs)
        // Prices swiftcoder will charge where the server publishes none (config, table, local 0).
        let (book, _) = CostAccounting.book(for: setup.config, environment: setup.environment)
        let costs = CostAccounting(book: book, budget: Budget(), providers: configs)
        for index in probes.indices {
            probes[index].models = costs.pricing(provider: probes[index].name, models: probes[index].models)
        }
        if json {
            StandardOutput.write(encodeJSON(["providers": probes]) + "\n")
        } else {
            StandardOutput.write(Self.table(probes))
        }
        if probes.allSatisfy({ !$0.available }) { throw ExitCode(1) }
    }

    static func table(_ probes: [ProviderProbe]) -> String {
        var rows: [[String]] = [["PROVIDER", "MODEL", "CONTEXT", "TOOLS", "$/M IN", "$/M OUT"]]
        for probe in probes {
            if let error = probe.error {
                rows.append([probe.name, "error: \(error)", "", "", "", ""])
                continue
            }
            if probe.models.isEmpty { rows.append([probe.name, "(no models)", "", "", "", ""]) }
            for reported in probe.models {
                // What the provider does not say comes from the table of well-known families.
                let model = ModelCapabilities.filling(reported)
                rows.append([probe.name, model.id, model.contextWindow.map(String.init) ?? "?",
                             model.supportsTools.map { $0 ? "yes" : "no" } ?? "?",
                             price(model.pricing?.inputPerMillion), price(model.pricing?.outputPerMillion)])
            }
        }
        return formatTable(rows)
    }

    /// A price per million tokens, or `n/a` when unknown (never `$0.00` for unknown).
    static func price(_ value: Decimal?) -> String {
        guard let value else { return "n/a" }
        return "\(value)"
    }
}

/// `swiftcoder providers`: configured providers and whether each answers.
struct ProvidersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "providers", abstract: "List configured providers and whether they answer.")

    @Option(name: .long, help: "Configuration file (agents.config.json).")
    var config: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    mutating func run() async throws {
        let setup = try await Setup.loadOrExit(configPath: config, providerName: nil, model: nil, requireProvider: false)
        // Configured providers and the local-server probes run together.
        async let configured = ProviderProbe.probeAll(setup.config.providers)
        async let detectedConfigs = LocalServers.detect(setup.router)
        var probes = await configured
        for var probe in await ProviderProbe.probeAll(await detectedConfigs) {
            probe.detected = true
            probes.append(probe)
        }
        let unavailable = setup.config.unavailable
        if json {
            struct Output: Encodable {
                var source: String?
                var defaultProvider: String?
                var providers: [ProviderProbe]
                var unavailable: [[String: String]]
            }
            StandardOutput.write(encodeJSON(Output(
                source: setup.config.sourcePath, defaultProvider: setup.config.activeProvider?.name, providers: probes,
                unavailable: unavailable.map { ["name": $0.name, "reason": $0.reason] })) + "\n")
            return
        }
        StandardOutput.write("config: \(setup.config.sourcePath ?? "none found")\n")
        if probes.isEmpty && unavailable.isEmpty {
            StandardOutput.write("no local server answered on: "
                + setup.router.candidatesToProbe.map(\.apiBase).joined(separator: ", ") + "\n")
            StandardOutput.write(setup.setupHelp().joined(separator: "\n") + "\n")
            return
        }
        var rows: [[String]] = [["", "PROVIDER", "TYPE", "URL", "STATUS"]]
        let active = setup.config.activeProvider?.name
        for probe in probes {
            let status = probe.available ? "online, \(probe.models.count) model\(probe.models.count == 1 ? "" : "s")" : "offline: \(probe.error ?? "")"
            rows.append([probe.name == active ? "*" : "", probe.name + (probe.detected ? " (detected)" : ""),
                         probe.type, probe.url, status])
        }
        for entry in unavailable { rows.append(["", entry.name, "", "", "unavailable: \(entry.reason)"]) }
        StandardOutput.write(formatTable(rows))
    }
}

/// Left-aligned columns separated by two spaces; the last column is not padded.
func formatTable(_ rows: [[String]]) -> String {
    guard let columns = rows.map(\.count).max() else { return "" }
    var widths = Array(repeating: 0, count: columns)
    for row in rows {
        for (index, cell) in row.enumerated() where index < columns - 1 { widths[index] = max(widths[index], cell.count) }
    }
    return rows.map { row in
        row.enumerated().map { index, cell in
            index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
        }.joined()
    }.joined(separator: "\n") + "\n"
}
