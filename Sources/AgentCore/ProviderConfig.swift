import FoundationEssentials

/// A string that must never be shown: its description is redacted.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The real value, for the transport only.
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { value.isEmpty ? "" : "<redacted>" }
    public var debugDescription: String { description }
}

/// The wire protocol families and presets a provider entry can name in `type`; what each
/// means is its `descriptor` (`ProviderKindDescriptor.swift`).
public enum ProviderKind: String, Sendable, Hashable, CaseIterable {
    case openAICompatible = "openai-compatible"
    case openAI = "openai"
    case ollama
    case llamaCpp = "llamacpp"
    case lmStudio = "lmstudio"
    case openRouter = "openrouter"
    case githubModels = "github-models"
}

/// One configured provider, after `${VAR}` interpolation.
public struct ProviderConfig: Sendable, Hashable {
    public var name: String
    public var kind: ProviderKind
    public var apiBase: String
    public var apiKey: Secret?
    /// The model used when none is chosen.
    public var model: String?
    /// Models listed in the config (shown even when the server cannot list).
    public var models: [String]
    public var headers: [String: String]
    public var contextWindow: Int?
    public var timeoutSeconds: Double?
    public var maxRetries: Int?
    /// The most tokens one reply may have (`maxOutputTokens`): the provider's, and per model
    /// from `models` entries written as objects. Sent so a model that never ends stops.
    public var outputLimits: OutputTokenLimits

    public init(name: String, kind: ProviderKind, apiBase: String, apiKey: Secret? = nil, model: String? = nil,
                models: [String] = [], headers: [String: String] = [:], contextWindow: Int? = nil,
                timeoutSeconds: Double? = nil, maxRetries: Int? = nil,
                outputLimits: OutputTokenLimits = OutputTokenLimits()) {
        self.name = name
        self.kind = kind
        self.apiBase = apiBase
        self.apiKey = apiKey
        self.model = model
        self.models = models
        self.headers = headers
        self.contextWindow = contextWindow
        self.timeoutSeconds = timeoutSeconds
        self.maxRetries = maxRetries
        self.outputLimits = outputLimits
    }

    /// The model to use by default: `model`, else the first of `models`.
    public var defaultModel: String? { model ?? models.first }
}

/// The configured caps on a reply's length: a provider-wide one and per-model ones.
public struct OutputTokenLimits: Sendable, Hashable {
    /// The provider's `maxOutputTokens`, for every model without its own.
    public var provider: Int?
    /// `maxOutputTokens` of `models` entries written as `{"id", "maxOutputTokens"}`.
    public var perModel: [String: Int]

    public init(provider: Int? = nil, perModel: [String: Int] = [:]) {
        self.provider = provider
        self.perModel = perModel
    }

    /// The cap for `model`: its own, else the provider's, else none.
    public func limit(for model: String?) -> Int? {
        if let model, let own = perModel[model] { return own }
        return provider
    }

    /// True when nothing is capped.
    public var isEmpty: Bool { provider == nil && perModel.isEmpty }
}

/// A provider entry that could not be used, and why (shown; the others keep working).
public struct UnavailableProvider: Sendable, Hashable {
    public var name: String
    public var reason: String
    public init(name: String, reason: String) {
        self.name = name
        self.reason = reason
    }
}

/// The whole configuration as loaded from `agents.config.json`.
public struct AppConfig: Sendable, Hashable {
    /// Usable providers in file order.
    public var providers: [ProviderConfig]
    /// Entries skipped with a reason (for example an unset environment variable).
    public var unavailable: [UnavailableProvider]
    public var defaultProvider: String?
    /// The file this came from, or `nil` when no file was found.
    public var sourcePath: String?
    /// Everything else at the top level: approval mode, tools, theme, pricing, budget.
    public var settings: AppSettings
    /// The environment variables the config reads keys from (`${VAR}` in `apiKey`, `headers`
    /// and base URLs): commands never inherit them.
    public var secretVariables: Set<String> = []
    /// Keys nothing reads (typos like `"approvalmode"`), to be shown once.
    public var warnings: [ConfigWarning] = []
    /// MCP servers from `mcpServers` (D159); a project's `.mcp.json` is added by the app.
    public var mcpServers: [MCPServerConfig] = []

    public init(providers: [ProviderConfig] = [], unavailable: [UnavailableProvider] = [],
                defaultProvider: String? = nil, sourcePath: String? = nil, settings: AppSettings = AppSettings()) {
        self.settings = settings
        self.providers = providers
        self.unavailable = unavailable
        self.defaultProvider = defaultProvider
        self.sourcePath = sourcePath
    }

    /// Which variables commands inherit: `passEnv`, `denyEnv` and the key variables.
    public var commandEnvironment: EnvironmentPolicy {
        EnvironmentPolicy(deny: settings.denyEnv ?? EnvironmentPolicy.defaultDeny, pass: settings.passEnv,
                          secretVariables: secretVariables)
    }

    /// How commands start: the environment above and the configured sandbox.
    public var commandSettings: CommandSettings {
        CommandSettings(environment: commandEnvironment, sandbox: settings.sandbox)
    }

    /// The provider to start with: `defaultProvider` when usable, else the first.
    public var activeProvider: ProviderConfig? {
        if let defaultProvider, let match = providers.first(where: { $0.name == defaultProvider }) { return match }
        return providers.first
    }
}
