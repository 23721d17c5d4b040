import AgentCore
import Providers

/// How the composition root turns a configured entry into a provider: over the network
/// (`ProviderFactory`), or the built-in demo's script (`--demo`).
struct ProviderMaker: Sendable {
    /// The provider used for chatting.
    var chat: @Sendable (ProviderConfig) -> any LLMProvider
    /// The provider used for availability probes and model lists (one quick attempt).
    var probe: @Sendable (ProviderConfig) -> any LLMProvider

    /// Real providers through libcurl.
    static let network = ProviderMaker(chat: { ProviderFactory.make(config: $0) },
                                       probe: { ProviderFactory.makeProbe(config: $0) })

    /// The scripted demo provider for every entry (the demo configures only its own).
    static let demo = ProviderMaker(chat: { DemoProvider(name: $0.name) }, probe: { DemoProvider(name: $0.name) })
}
