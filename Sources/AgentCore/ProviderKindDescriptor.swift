/// Everything that differs between provider kinds, in one value per kind: the router, the
/// provider factory, the presets (headers, keys, timeouts) and pricing read it, so a new
/// kind is one case in `ProviderKind` plus one descriptor below.
public struct ProviderKindDescriptor: Sendable, Hashable {
    /// How requests are spoken.
    public enum WireProtocol: Sendable, Hashable {
        /// `/chat/completions` with SSE, `/models`.
        case openAIChat
        /// Ollama's native `/api/chat` (NDJSON), `/api/tags`, `/api/show`.
        case ollamaNative
    }

    /// An endpoint besides the model list that tells more about the models.
    public enum MetadataEndpoint: Sendable, Hashable {
        case none
        /// LM Studio's `/api/v0/models` (context sizes, tool support).
        case lmStudioModels
        /// llama.cpp's `/props` (the context the server runs with).
        case llamaCppProps
    }

    /// Seconds to connect, and without a received byte, before a request gives up.
    public struct Timeouts: Sendable, Hashable {
        public var connect: Double
        public var idle: Double
        /// Remote APIs answer at once; a local server may load a model or read a long prompt
        /// for minutes before the first token.
        public static let remote = Timeouts(connect: 10, idle: 180)
        public static let local = Timeouts(connect: 30, idle: 600)
    }

    public var wire: WireProtocol
    /// The base URL used when the entry gives none.
    public var defaultBaseURL: String?
    /// Runs on the user's machine: priced at 0, local timeouts, probed on its default port.
    public var isLocal: Bool
    /// Whether an entry on a loopback host gets local timeouts though the kind is not local
    /// (the generic type: vLLM, llama.cpp or a proxy on the same machine).
    public var localTimeoutsOnLoopback = false
    /// Headers sent unless the entry sets them (any case).
    public var presetHeaders: [String: String] = [:]
    /// The environment variable the API key is read from when the entry's `apiKey` is unset.
    public var keyVariable: String?
    public var metadata: MetadataEndpoint = .none
    /// Sends `max_completion_tokens` instead of `max_tokens` (OpenAI's newer models refuse the old name).
    public var usesMaxCompletionTokens = false
    /// The provider name used when this kind is found running on its default port.
    public var detectedName: String?
}

extension ProviderKind {
    /// This kind's descriptor.
    public var descriptor: ProviderKindDescriptor {
        switch self {
        case .openAICompatible:
            ProviderKindDescriptor(wire: .openAIChat, defaultBaseURL: nil, isLocal: false, localTimeoutsOnLoopback: true)
        case .openAI:
            ProviderKindDescriptor(wire: .openAIChat, defaultBaseURL: "https://api.openai.com/v1", isLocal: false,
                                   usesMaxCompletionTokens: true)
        case .ollama:
            ProviderKindDescriptor(wire: .ollamaNative, defaultBaseURL: "http://localhost:11434", isLocal: true,
                                   detectedName: "ollama")
        case .llamaCpp:
            ProviderKindDescriptor(wire: .openAIChat, defaultBaseURL: "http://localhost:8080/v1", isLocal: true,
                                   metadata: .llamaCppProps, detectedName: "llamacpp")
        case .lmStudio:
            ProviderKindDescriptor(wire: .openAIChat, defaultBaseURL: "http://localhost:1234/v1", isLocal: true,
                                   metadata: .lmStudioModels, detectedName: "lmstudio")
        case .openRouter:
            ProviderKindDescriptor(wire: .openAIChat, defaultBaseURL: "https://openrouter.ai/api/v1", isLocal: false,
                                   presetHeaders: [
                                       // Attribution OpenRouter asks apps to send (shown on its leaderboards).
                                       "HTTP-Referer": "https://github.com/swiftcoder/swiftcoder",
                                       "X-Title": "swiftcoder",
                                   ])
        case .githubModels:
            ProviderKindDescriptor(wire: .openAIChat, defaultBaseURL: "https://models.github.ai/inference", isLocal: false,
                                   keyVariable: "GITHUB_TOKEN")
        }
    }

    /// The kinds probed on their default ports when not configured, in probe order.
    public static let detectedLocally: [ProviderKind] = [.ollama, .lmStudio, .llamaCpp]

    /// The base URL used when the entry gives none.
    public var defaultBaseURL: String? { descriptor.defaultBaseURL }

    /// True for servers that run on the user's machine (cost 0, longer timeouts).
    public var isLocal: Bool { descriptor.isLocal }
}
