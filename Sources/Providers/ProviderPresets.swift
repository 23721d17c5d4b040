import AgentCore
import FoundationEssentials

/// What a `type` preset adds to a configured entry. Presets are configuration, not
/// provider types: they fill in headers, keys and timeouts, and the entry's own values win.
public enum ProviderPresets {
    /// Attribution headers OpenRouter asks apps to send (shown on its leaderboards).
    public static let openRouterHeaders: [String: String] = ProviderKind.openRouter.descriptor.presetHeaders

    /// The environment variable `github-models` reads its key from when `apiKey` is unset.
    public static let githubTokenVariable = ProviderKind.githubModels.descriptor.keyVariable ?? ""

    /// `config` with its kind's defaults filled in. Headers the entry sets (any case) and
    /// a non-empty `apiKey` are kept. `environment` is the process environment in production.
    public static func apply(to config: ProviderConfig, environment: [String: String]) -> ProviderConfig {
        var config = config
        let descriptor = config.kind.descriptor
        let configured = Set(config.headers.keys.map { $0.lowercased() })
        for (name, value) in descriptor.presetHeaders where !configured.contains(name.lowercased()) {
            config.headers[name] = value
        }
        if let variable = descriptor.keyVariable, (config.apiKey?.value ?? "").isEmpty,
           let key = environment[variable], !key.isEmpty {
            config.apiKey = Secret(key)
        }
        return config
    }

    /// Seconds without a received byte before a request times out, unless the entry sets
    /// `timeoutSeconds`. Local servers may load a model or read a long prompt for minutes
    /// before the first token.
    public static func idleTimeout(for config: ProviderConfig) -> Double {
        config.timeoutSeconds ?? timeouts(for: config).idle
    }

    /// Seconds allowed to connect. A busy local server can be slow to accept.
    public static func connectTimeout(for config: ProviderConfig) -> Double { timeouts(for: config).connect }

    /// The kind's timeouts for where `config`'s server runs.
    public static func timeouts(for config: ProviderConfig) -> ProviderKindDescriptor.Timeouts {
        usesLocalTimeouts(config) ? .local : .remote
    }

    /// Seconds a probe (is the server there, what does it list?) allows to connect: a port
    /// that drops packets must not keep the app "checking" for the normal 10-30 s.
    public static let probeConnectTimeout: Double = 2

    /// Whether `config` gets the local servers' long timeouts: the local kinds, and the
    /// generic `openai-compatible` type on a loopback host (vLLM, llama.cpp, a proxy on the
    /// same machine may load a model for minutes). Pricing does not follow this: a proxy on
    /// localhost may forward to a paid API.
    public static func usesLocalTimeouts(_ config: ProviderConfig) -> Bool {
        config.kind.isLocal || (config.kind.descriptor.localTimeoutsOnLoopback && isLoopback(config.apiBase))
    }

    /// Whether the URL's host is this machine: `localhost`, `127.x.x.x` or `[::1]`.
    public static func isLoopback(_ url: String) -> Bool {
        var rest = Substring(url.lowercased())
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<slash] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        let host: Substring
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = rest[rest.index(after: rest.startIndex)..<close]
        } else {
            host = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        }
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
