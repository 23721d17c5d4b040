import AgentCore

/// Builds the provider implementation for a configured entry.
public enum ProviderFactory {
    /// The provider for `config`, talking HTTP through libcurl.
    public static func make(config: ProviderConfig) -> any LLMProvider {
        make(config: config, transport: CurlTransport())
    }

    /// The provider for `config` over `transport`: Ollama through its native API
    /// (`/api/chat`, `/api/tags`, `/api/show`), every other kind through the
    /// OpenAI-compatible one with its preset applied.
    public static func make(config: ProviderConfig, transport: any HTTPTransport) -> any LLMProvider {
        if config.kind.descriptor.wire == .ollamaNative { return OllamaProvider(config: config, transport: transport) }
        return OpenAICompatibleProvider(config: config, baseURL: openAIBaseURL(for: config), transport: transport)
    }

    /// The provider for `config` set up to probe it (is it there, what does it list?): one
    /// attempt, connecting within `ProviderPresets.probeConnectTimeout`, so a dead or
    /// black-holed server is known to be down in seconds. For start-up checks and the
    /// `models` and `providers` commands, not for chatting.
    public static func makeProbe(config: ProviderConfig, transport: any HTTPTransport = CurlTransport())
        -> any LLMProvider {
        if config.kind.descriptor.wire == .ollamaNative {
            var provider = OllamaProvider(config: config, transport: transport)
            provider.connectTimeout = ProviderPresets.probeConnectTimeout
            provider.retryPolicy = .never
            return provider
        }
        var provider = OpenAICompatibleProvider(config: config, baseURL: openAIBaseURL(for: config), transport: transport)
        provider.connectTimeout = ProviderPresets.probeConnectTimeout
        provider.retryPolicy = .never
        return provider
    }

    /// The OpenAI-compatible base URL: the configured one (or the kind's default), with
    /// `/v1` appended for Ollama when missing.
    public static func openAIBaseURL(for config: ProviderConfig) -> String {
        var base = config.apiBase.isEmpty ? (config.kind.defaultBaseURL ?? "") : config.apiBase
        while base.hasSuffix("/") { base.removeLast() }
        if config.kind.descriptor.wire == .ollamaNative, !base.isEmpty, !base.hasSuffix("/v1") { base += "/v1" }
        return base
    }
}
