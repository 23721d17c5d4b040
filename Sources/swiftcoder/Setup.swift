import AgentCore
import FoundationEssentials
import ArgumentParser
import CShims
import Providers

/// A failure before anything could start: a broken config or an unknown provider.
struct SetupError: Error, CustomStringConvertible {
    let description: String
}

/// The composition root's inputs: the loaded configuration and the chosen provider.
struct Setup {
    var config: AppConfig
    var providerConfig: ProviderConfig?
    var provider: (any LLMProvider)?
    var model: String?
    var environment: [String: String]
    var currentDirectory: String

    /// `load`, for commands: a failure prints the reason on stderr and exits with status 1.
    static func loadOrExit(_ options: ProviderOptions, requireProvider: Bool) throws -> Setup {
        try loadOrExit(configPath: options.config, providerName: options.provider, model: options.model,
                       requireProvider: requireProvider)
    }

    static func loadOrExit(configPath: String?, providerName: String?, model: String?,
                           requireProvider: Bool) throws -> Setup {
        do {
            return try load(configPath: configPath, providerName: providerName, model: model,
                            requireProvider: requireProvider)
        } catch {
            throw CleanExit.message(error.description, code: 1)
        }
    }

    /// Loads the configuration from `configPath` (or the lookup order) and picks the
    /// provider and model.
    static func load(configPath: String?, providerName: String?, model: String?,
                     requireProvider: Bool) throws(SetupError) -> Setup {
        let environment = ProcessInfo.processInfo.environment
        let directory = FileManager.default.currentDirectoryPath
        let config: AppConfig
        do {
            config = try ConfigLoader.load(explicitPath: configPath, environment: environment,
                                           currentDirectory: directory)
        } catch {
            throw SetupError(description: error.description)
        }
        var chosen = config.activeProvider
        if let name = providerName {
            guard let match = config.providers.first(where: { $0.name == name }) else {
                throw SetupError(description: unknownProviderMessage(name, config: config))
            }
            chosen = match
        }
        if requireProvider && chosen == nil {
            var message = "no provider is configured"
            if let path = config.sourcePath { message += " in \(path)" }
            for entry in config.unavailable { message += "\n  \(entry.name): \(entry.reason)" }
            message += "\nsearched: " + ConfigLoader.searchPaths(environment: environment, currentDirectory: directory)
                .joined(separator: ", ")
            throw SetupError(description: message)
        }
        return Setup(config: config, providerConfig: chosen, provider: chosen.map(ProviderFactory.make),
                     model: model ?? chosen?.defaultModel, environment: environment,
                     currentDirectory: directory)
    }

    private static func unknownProviderMessage(_ name: String, config: AppConfig) -> String {
        if let unavailable = config.unavailable.first(where: { $0.name == name }) {
            return "provider \"\(name)\" is unavailable: \(unavailable.reason)"
        }
        let known = config.providers.map(\.name)
        return "unknown provider \"\(name)\"; available: " + (known.isEmpty ? "none" : known.joined(separator: ", "))
    }

    /// Lines that tell a person how to configure a provider (shown when none is).
    func setupHelp() -> [String] {
        var lines = ["Create agents.config.json in one of these places (first found wins):"]
        lines += ConfigLoader.searchPaths(environment: environment, currentDirectory: currentDirectory)
            .map { "  \($0)" }
        lines.append("For example, for a local OpenAI-compatible server:")
        lines += ConfigLoader.exampleConfig.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }
        lines.append("Then restart swiftcoder. `swiftcoder providers` checks what it finds.")
        return lines
    }

    /// Problems worth showing on screen (providers that could not be used).
    var notices: [String] {
        config.unavailable.map { "\($0.name): \($0.reason)" }
    }
}

/// Unbuffered writes to the standard streams (no Foundation FileHandle needed).
enum StandardError {
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = sc_write_all(2, bytes.baseAddress, bytes.count) }
    }
}

enum StandardOutput {
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = sc_write_all(1, bytes.baseAddress, bytes.count) }
    }
}
