import AgentCore
import FoundationEssentials

/// What a `type` preset adds to a configured entry. Presets are configuration, not
/// provider types: they fill in headers, keys and timeouts, and the entry's own values win.
public enum ProviderPresets {
    /// Attribution headers OpenRouter asks apps to send (shown on its leaderboards).
    public static let openRouterHeaders: [String: String] = [
        "HTTP-Referer": "https://github.com/swiftcoder/swiftcoder",
        "X-Title": "swiftcoder",
    ]

    /// The environment variable `github-models` reads its key from when `apiKey` is unset.
    public static let githubTokenVariable = "GITHUB_TOKEN"

    /// `config` with its kind's defaults filled in. Headers the entry sets (any case) and
    /// a non-empty `apiKey` are kept. `environment` is the process environment in production.
    public static func apply(to config: ProviderConfig, environment: [String: String]) -> ProviderConfig {
        var config = config
        switch config.kind {
        case .openRouter:
            let configured = Set(config.headers.keys.map { $0.lowercased() })
            for (name, value) in openRouterHeaders where !configured.contains(name.lowercased()) {
                config.headers[name] = value
            }
        case .githubModels:
            if (config.apiKey?.value ?? "").isEmpty,
               let token = environment[githubTokenVariable], !token.isEmpty {
                config.apiKey = Secret(token)
            }
        default:
            break
        }
        return config
    }

    /// Seconds without a received byte before a request times out, unless the entry sets
    /// `timeoutSeconds`. Local servers may load a model or read a long prompt for minutes
    /// before the first token.
    public static func idleTimeout(for kind: ProviderKind) -> Double { kind.isLocal ? 600 : 180 }

    /// Seconds allowed to connect. A busy local server can be slow to accept.
    public static func connectTimeout(for kind: ProviderKind) -> Double { kind.isLocal ? 30 : 10 }
}
