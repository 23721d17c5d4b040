import AgentCore
import FoundationEssentials
import Testing
@testable import Providers

/// The configured `maxOutputTokens` reaches the wire under the key each server reads
/// (issue 14, bug 21: a local model that never ends must stop).
@Suite(.timeLimit(.minutes(2))) struct OutputCapRequestTests {
    static let limits = OutputTokenLimits(provider: 2048, perModel: ["looper": 512])

    static func config(_ kind: ProviderKind) -> ProviderConfig {
        ProviderConfig(name: "p", kind: kind, apiBase: "http://127.0.0.1:9/v1", outputLimits: limits)
    }

    static func body(_ request: HTTPRequest) throws -> JSONValue { try JSONReader.parse(request.body ?? []) }

    @Test(arguments: [(ProviderKind.openAICompatible, "max_tokens"), (.llamaCpp, "max_tokens"),
                      (.openAI, "max_completion_tokens")])
    func openAIShapedProvidersSendTheCapForTheModel(kind: ProviderKind, key: String) throws {
        let provider = OpenAICompatibleProvider(config: Self.config(kind))
        let looper = try Self.body(provider.makeChatRequest(ChatRequest(model: "looper", messages: [])))
        #expect(looper[key]?.number?.int == 512)
        let other = try Self.body(provider.makeChatRequest(ChatRequest(model: "other", messages: [])))
        #expect(other[key]?.number?.int == 2048)
        // A cap the caller chose is kept.
        let chosen = try Self.body(provider.makeChatRequest(ChatRequest(model: "looper", messages: [],
                                                                        maxOutputTokens: 7)))
        #expect(chosen[key]?.number?.int == 7)
    }

    @Test func withoutACapNoLimitIsSent() throws {
        let plain = ProviderConfig(name: "p", kind: .openAICompatible, apiBase: "http://127.0.0.1:9/v1")
        let body = try Self.body(OpenAICompatibleProvider(config: plain).makeChatRequest(
            ChatRequest(model: "m", messages: [])))
        #expect(body["max_tokens"] == nil && body["max_completion_tokens"] == nil)
    }

    @Test func ollamaSendsTheCapAsNumPredict() throws {
        let provider = OllamaProvider(config: Self.config(.ollama))
        let body = try Self.body(provider.makeChatRequest(ChatRequest(model: "looper", messages: [])))
        #expect(body["options"]?["num_predict"]?.number?.int == 512)
    }
}
