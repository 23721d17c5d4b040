import AgentCore
import FoundationEssentials
import Testing
@testable import Pricing

struct LookupCase: CustomTestStringConvertible, Sendable {
    var model: String
    var kind: ProviderKind = .openAICompatible
    var host: String?
    /// The built-in key expected to be found; `nil` for no price.
    var key: String?
    var testDescription: String { "\(host.map { "\($0): " } ?? "")\(model)" }
}

@Suite(.timeLimit(.minutes(2))) struct ModelIDTests {
    @Test(arguments: [
        LookupCase(model: "gpt-4o", key: "gpt-4o"),
        LookupCase(model: "GPT-4o-Mini", key: "gpt-4o-mini"),
        LookupCase(model: "openai/gpt-4.1", kind: .githubModels, key: "gpt-4.1"),
        LookupCase(model: "openrouter/openai/gpt-4o-2024-08-06", key: "gpt-4o"),
        LookupCase(model: "azure/o4-mini", key: "o4-mini"),
        LookupCase(model: "gpt-4o-2024-05-13", key: "gpt-4o-2024-05-13"),
        LookupCase(model: "o3-mini-2025-01-31", key: "o3-mini"),
        LookupCase(model: "anthropic/claude-3-5-haiku-20241022", key: "claude-3-5-haiku"),
        LookupCase(model: "claude-3-5-haiku@20241022", key: "claude-3-5-haiku"),
        LookupCase(model: "anthropic/claude-sonnet-4.5", kind: .openRouter, key: "claude-sonnet-4-5"),
        LookupCase(model: "claude-sonnet-4-20250514", key: "claude-sonnet-4"),
        LookupCase(model: "google/gemini-2.5-pro", kind: .openRouter, key: "gemini-2.5-pro"),
        LookupCase(model: "gemini/gemini-2.0-flash", key: "gemini-2.0-flash"),
        LookupCase(model: "mistral-large-latest", key: "mistral-large"),
        LookupCase(model: "mistralai/codestral-latest", key: "codestral"),
        LookupCase(model: "devstral-medium-2507", key: "devstral-medium"),
        LookupCase(model: "x-ai/grok-code-fast-1", kind: .openRouter, key: "grok-code-fast-1"),
        LookupCase(model: "grok-code-fast-1-0825", key: "grok-code-fast-1"),
        LookupCase(model: "xai/grok-3-mini", kind: .githubModels, key: "grok-3-mini"),
        LookupCase(model: "deepseek/deepseek-chat:free", kind: .openRouter, key: "deepseek-chat"),
        LookupCase(model: "deepseek-reasoner", key: "deepseek-reasoner"),
        LookupCase(model: "openai/gpt-oss-120b", host: "groq", key: "groq/openai/gpt-oss-120b"),
        LookupCase(model: "llama-3.3-70b-versatile", host: "Groq", key: "groq/llama-3.3-70b-versatile"),
        // Open-weight models have no single price: only a host's own price is used.
        LookupCase(model: "openai/gpt-oss-120b", key: nil),
        LookupCase(model: "llama-3.3-70b-versatile", key: nil),
        LookupCase(model: "gpt-4o-turbo-ultra", key: nil),
        LookupCase(model: "", key: nil),
    ])
    func normalizedIdsFindTheirPrice(_ lookup: LookupCase) {
        let quote = PriceBook().quote(providerKind: lookup.kind, model: lookup.model, published: nil, host: lookup.host)
        let expected = lookup.key.flatMap { BuiltinPrices.standard.entries[$0] }
        if lookup.key != nil { #expect(expected != nil, "test names a key missing from the table") }
        #expect(quote == expected)
    }

    @Test func candidatesGoFromMostToLeastSpecific() {
        #expect(ModelID.candidates(for: "OpenRouter/Anthropic/Claude-3.5-Haiku-20241022:beta") == [
            "openrouter/anthropic/claude-3.5-haiku-20241022:beta",
            "openrouter/anthropic/claude-3.5-haiku-20241022",
            "openrouter/anthropic/claude-3.5-haiku",
            "anthropic/claude-3.5-haiku-20241022:beta",
            "anthropic/claude-3.5-haiku-20241022",
            "anthropic/claude-3.5-haiku",
            "claude-3.5-haiku-20241022:beta",
            "claude-3.5-haiku-20241022",
            "claude-3.5-haiku",
            "claude-3-5-haiku",
        ])
        #expect(ModelID.candidates(for: "gpt-4o", host: "azure") == ["azure/gpt-4o", "gpt-4o"])
    }

    @Test func configOverridesMatchNormalizedIds() throws {
        let book = PriceBook(overrides: ["Claude-Sonnet-4-5": ModelPricing(inputPerMillion: 1, outputPerMillion: 1)])
        let quote = try #require(book.quote(providerKind: .openRouter, model: "anthropic/claude-sonnet-4.5", published: nil))
        #expect(quote.source == .config)
        #expect(quote.pricing.inputPerMillion == 1)
        // The table's cached and cache-write rates fill what the override leaves out.
        #expect(quote.pricing.cachedInputPerMillion == dec("0.3"))
    }

    @Test func publishedPricesBeatOverrides() throws {
        let book = PriceBook(overrides: ["gpt-4o": ModelPricing(inputPerMillion: 1, outputPerMillion: 1)])
        let published = ModelPricing(inputPerMillion: 3, outputPerMillion: 4)
        let quote = try #require(book.quote(providerKind: .openRouter, model: "openai/gpt-4o", published: published))
        #expect(quote == PriceQuote(pricing: published, source: .provider))
    }

    @Test func builtinBeatsThePricingFile() throws {
        let table = try LiteLLMPriceTable(jsonText: #"{"gpt-4o": {"input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06}}"#)
        let quote = try #require(PriceBook(litellm: table).quote(providerKind: .openAI, model: "gpt-4o", published: nil))
        #expect(quote.source == .builtin)
    }
}
