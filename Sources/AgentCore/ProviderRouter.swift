import FoundationEssentials

/// Asking for a provider that is not there.
public struct RouterError: Error, Sendable, Hashable, CustomStringConvertible {
    public var requested: String
    public var available: [String]
    public var description: String {
        "unknown provider \"\(requested)\"; available: " + (available.isEmpty ? "none" : available.joined(separator: ", "))
    }
}

/// The providers the app can use: the configured ones, then local servers found running
/// on their default ports. Picks the default and resolves names. Pure: probing is done
/// by the caller, which reports what answered.
public struct ProviderRouter: Sendable, Hashable {
    /// Configured providers first (file order), then detected ones.
    public private(set) var providers: [ProviderConfig]
    /// Names of providers that were detected rather than configured.
    public private(set) var detectedNames: Set<String> = []
    public let configuredDefault: String?

    /// Local servers worth probing when they are not configured: Ollama, LM Studio and
    /// llama.cpp on their default ports. Short timeouts and no retries: a probe must never
    /// hold anything up (a refused connection answers at once).
    public static let localCandidates: [ProviderConfig] = ProviderKind.detectedLocally.compactMap { kind in
        guard let name = kind.descriptor.detectedName, let base = kind.descriptor.defaultBaseURL else { return nil }
        return ProviderConfig(name: name, kind: kind, apiBase: base, timeoutSeconds: 2, maxRetries: 0)
    }

    public init(config: AppConfig) {
        providers = config.providers
        configuredDefault = config.defaultProvider
    }

    /// Local candidates not already covered by a configured provider (same name or same server).
    public var candidatesToProbe: [ProviderConfig] {
        Self.localCandidates.filter { candidate in !covers(candidate) }
    }

    /// Adds a local server that answered a probe (ignored when already covered).
    public mutating func addDetected(_ config: ProviderConfig) {
        guard !covers(config) else { return }
        providers.append(config)
        detectedNames.insert(config.name)
    }

    /// The provider to start with: the configured default when it exists, else the first
    /// that `isAvailable` accepts, else the first at all.
    public func defaultProvider(isAvailable: (ProviderConfig) -> Bool = { _ in true }) -> ProviderConfig? {
        if let match = configuredMatch { return match }
        return providers.first(where: isAvailable) ?? providers.first
    }

    /// The default as far as availability probes have answered so far.
    public enum DefaultChoice: Sendable, Hashable {
        /// A provider ahead of every one that answered has not answered yet.
        case waiting
        /// The provider to use (`nil` when there are none).
        case chosen(ProviderConfig?)
    }

    /// The provider to use given the probes' answers so far (`answered`: name → whether the
    /// server answered): the configured default at once; else the first provider, in order,
    /// that answered, as soon as every one before it has failed (so a slow or dead provider
    /// later in the list never holds the choice up); when all failed, the first.
    public func defaultProvider(answered: [String: Bool]) -> DefaultChoice {
        if let match = configuredMatch { return .chosen(match) }
        for provider in providers {
            switch answered[provider.name] {
            case true?: return .chosen(provider)
            case false?: continue
            case nil: return .waiting
            }
        }
        return .chosen(providers.first)
    }

    /// Whether the choice depends on probes: no usable default is configured and there is
    /// more than one provider to choose from.
    public var choosesFirstAvailable: Bool { configuredMatch == nil && providers.count > 1 }

    private var configuredMatch: ProviderConfig? {
        configuredDefault.flatMap { name in providers.first { $0.name == name } }
    }

    /// The provider called `name`, or an error listing the ones there are.
    public func provider(named name: String) throws(RouterError) -> ProviderConfig {
        guard let match = providers.first(where: { $0.name == name }) else {
            throw RouterError(requested: name, available: providers.map(\.name))
        }
        return match
    }

    private func covers(_ candidate: ProviderConfig) -> Bool {
        let server = Self.serverKey(candidate.apiBase)
        return providers.contains { $0.name == candidate.name || Self.serverKey($0.apiBase) == server }
    }

    /// Host and port of a base URL, with `localhost` and `127.0.0.1` treated alike and the
    /// path ignored (`http://localhost:11434` and `http://127.0.0.1:11434/v1` are one server).
    static func serverKey(_ url: String) -> String {
        var rest = Substring(url.lowercased())
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        var key = String(rest)
        if key.hasPrefix("localhost") { key = "127.0.0.1" + key.dropFirst("localhost".count) }
        if key.hasPrefix("[::1]") { key = "127.0.0.1" + key.dropFirst("[::1]".count) }
        return key
    }
}
