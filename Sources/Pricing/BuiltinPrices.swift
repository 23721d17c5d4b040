import AgentCore
import FoundationEssentials

/// List prices of the main cloud models, in USD per million tokens, keyed by normalized model id
/// (see `ModelID`). Keys with a host prefix (`groq/…`) are prices of that host only.
///
/// Source: LiteLLM's `model_prices_and_context_window.json` as shipped in litellm 1.110.2 (the copy
/// in `shared/fixtures/pricing/litellm`), which `PricingTests` checks this table against. Models that
/// release no longer lists come from models.dev (commit f3fc692) and catwalk (commit 64dad50), or the
/// vendor's list price when they were offered, as marked below. The table was checked on `checkedOn`.
public struct BuiltinPrices: Sendable, Hashable {
    /// The day these prices were last checked against the sources above (ISO 8601).
    public static let checkedOn = "2026-11-25"

    /// Quotes (source `.builtin`) by lowercase key.
    public private(set) var entries: [String: PriceQuote]

    /// Creates a table from quotes keyed by model id (keys are lowercased; sources set to `.builtin`).
    public init(entries: [String: PriceQuote]) {
        var table: [String: PriceQuote] = [:]
        for (key, quote) in entries {
            var builtin = quote
            builtin.source = .builtin
            table[key.lowercased()] = builtin
        }
        self.entries = table
    }

    /// The quote filed under the first of `keys` that has one.
    public func quote(forKeys keys: [String]) -> PriceQuote? {
        for key in keys { if let quote = entries[key] { return quote } }
        return nil
    }

    /// The quote for a model id, normalized as `ModelID.candidates` does.
    public func quote(forModel model: String, host: String? = nil) -> PriceQuote? {
        quote(forKeys: ModelID.candidates(for: model, host: host))
    }

    /// The built-in table.
    public static let standard = BuiltinPrices(entries: Dictionary(
        standardRows.map { ($0.key, $0.quote) }, uniquingKeysWith: { first, _ in first }))

    /// One row of the table: rates as decimal text, so no value passes through `Double`.
    struct Row {
        let key: String
        let quote: PriceQuote

        init(_ key: String, _ input: String, _ output: String, _ cached: String?, _ cacheWrite: String?,
             _ reasoning: String?, tier: (Int, String?, String?, String?, String?, String?)? = nil) {
            self.key = key
            var tiers: [PriceTier] = []
            if let tier {
                tiers.append(PriceTier(aboveInputTokens: tier.0, pricing: Row.pricing(tier.1, tier.2, tier.3, tier.4, tier.5)))
            }
            quote = PriceQuote(pricing: Row.pricing(input, output, cached, cacheWrite, reasoning), source: .builtin,
                               tiers: tiers)
        }

        private static func pricing(_ input: String?, _ output: String?, _ cached: String?, _ cacheWrite: String?,
                                    _ reasoning: String?) -> ModelPricing {
            ModelPricing(inputPerMillion: rate(input), outputPerMillion: rate(output), cachedInputPerMillion: rate(cached),
                         cacheWritePerMillion: rate(cacheWrite), reasoningPerMillion: rate(reasoning))
        }

        private static func rate(_ text: String?) -> Decimal? {
            guard let text else { return nil }
            guard let value = DecimalText.parse(text) else { preconditionFailure("bad built-in price literal \(text)") }
            return value
        }
    }

    /// Key, input, output, cached input, cache write, reasoning; optional long-context tier.
    static let standardRows: [Row] = [
        // OpenAI
        Row("gpt-4o", "2.5", "10", "1.25", nil, nil),
        Row("gpt-4o-2024-05-13", "5", "15", nil, nil, nil),
        Row("gpt-4o-mini", "0.15", "0.6", "0.075", nil, nil),
        Row("gpt-4.1", "2", "8", "0.5", nil, nil),
        Row("gpt-4.1-mini", "0.4", "1.6", "0.1", nil, nil),
        Row("gpt-4.1-nano", "0.1", "0.4", "0.025", nil, nil),
        Row("o1", "15", "60", "7.5", nil, nil),
        Row("o3", "2", "8", "0.5", nil, nil),
        Row("o3-mini", "1.1", "4.4", "0.55", nil, nil),
        Row("o4-mini", "1.1", "4.4", "0.275", nil, nil),
        Row("gpt-5", "1.25", "10", "0.125", nil, nil),
        Row("gpt-5-mini", "0.25", "2", "0.025", nil, nil),
        Row("gpt-5-nano", "0.05", "0.4", "0.005", nil, nil),
        Row("gpt-5-codex", "1.25", "10", "0.125", nil, nil),
        Row("gpt-5.1", "1.25", "10", "0.125", nil, nil),
        Row("gpt-5.1-codex", "1.25", "10", "0.125", nil, nil),
        Row("gpt-5.1-codex-mini", "0.25", "2", "0.025", nil, nil),
        Row("gpt-5.2", "1.75", "14", "0.175", nil, nil),
        Row("gpt-5.2-codex", "1.75", "14", "0.175", nil, nil),
        Row("gpt-5.3-codex", "1.75", "14", "0.175", nil, nil),
        Row("gpt-5.4", "2.5", "15", "0.25", nil, nil, tier: (272000, "5", "22.5", "0.5", nil, nil)),
        Row("gpt-5.4-mini", "0.75", "4.5", "0.075", nil, nil),
        Row("gpt-5.4-nano", "0.2", "1.25", "0.02", nil, nil),
        Row("gpt-5.5", "5", "30", "0.5", nil, nil, tier: (272000, "10", "45", "1", nil, nil)),
        Row("gpt-4-turbo", "10", "30", nil, nil, nil),
        Row("gpt-3.5-turbo", "0.5", "1.5", nil, nil, nil),
        // Anthropic
        Row("claude-haiku-4-5", "1", "5", "0.1", "1.25", nil),
        Row("claude-sonnet-4-5", "3", "15", "0.3", "3.75", nil),
        Row("claude-sonnet-4-6", "3", "15", "0.3", "3.75", nil),
        Row("claude-opus-4-5", "5", "25", "0.5", "6.25", nil),
        Row("claude-opus-4-6", "5", "25", "0.5", "6.25", nil),
        Row("claude-opus-4-7", "5", "25", "0.5", "6.25", nil),
        Row("claude-sonnet-5", "2", "10", "0.2", "2.5", nil),
        Row("claude-opus-5", "5", "25", "0.5", "6.25", nil),
        // Retired from LiteLLM 1.110.2; prices from models.dev (f3fc692) and Anthropic's list.
        Row("claude-sonnet-4", "3", "15", "0.3", "3.75", nil),
        Row("claude-opus-4", "15", "75", "1.5", "18.75", nil),
        Row("claude-opus-4-1", "15", "75", "1.5", "18.75", nil),
        Row("claude-3-7-sonnet", "3", "15", "0.3", "3.75", nil),
        Row("claude-3-5-sonnet", "3", "15", "0.3", "3.75", nil),
        Row("claude-3-5-haiku", "0.8", "4", "0.08", "1", nil),
        Row("claude-3-haiku", "0.25", "1.25", "0.03", "0.3", nil),
        // Google
        Row("gemini-2.5-pro", "1.25", "10", "0.125", nil, nil, tier: (200000, "2.5", "15", "0.25", nil, nil)),
        Row("gemini-2.5-flash", "0.3", "2.5", "0.03", nil, "2.5"),
        Row("gemini-2.5-flash-lite", "0.1", "0.4", "0.01", nil, "0.4"),
        Row("gemini-3-flash-preview", "0.5", "3", "0.05", nil, "3"),
        Row("gemini-3.1-pro-preview", "2", "12", "0.2", nil, nil, tier: (200000, "4", "18", "0.4", nil, nil)),
        Row("gemini-3.5-flash", "1.5", "9", "0.15", nil, "9"),
        // Retired from LiteLLM 1.110.2; prices from models.dev (f3fc692).
        Row("gemini-2.0-flash", "0.1", "0.4", "0.025", nil, nil),
        Row("gemini-2.0-flash-lite", "0.075", "0.3", nil, nil, nil),
        // DeepSeek
        Row("deepseek-chat", "0.28", "0.42", "0.028", nil, nil),
        Row("deepseek-reasoner", "0.28", "0.42", "0.028", nil, nil),
        // Mistral
        Row("mistral-large", "0.5", "1.5", "0.05", nil, nil),
        Row("mistral-small", "0.15", "0.6", "0.015", nil, nil),
        Row("codestral", "0.3", "0.9", "0.03", nil, nil),
        Row("devstral-medium", "0.4", "2", "0.04", nil, nil),
        Row("devstral-small", "0.1", "0.3", "0.01", nil, nil),
        // xAI
        Row("grok-code-fast-1", "1", "2", "0.2", nil, nil, tier: (200000, "2", "4", "0.4", nil, nil)),
        Row("grok-4.20", "1.25", "2.5", "0.2", nil, nil, tier: (200000, "2.5", "5", "0.4", nil, nil)),
        Row("grok-4.3", "1.25", "2.5", "0.2", nil, nil, tier: (200000, "2.5", "5", "0.4", nil, nil)),
        Row("grok-4.5", "2", "6", "0.3", nil, nil, tier: (200000, "4", "12", "0.6", nil, nil)),
        // Retired from LiteLLM 1.110.2; xAI's list prices when they were offered.
        Row("grok-4", "3", "15", "0.75", nil, nil),
        Row("grok-3", "3", "15", "0.75", nil, nil),
        Row("grok-3-mini", "0.3", "0.5", "0.075", nil, nil),
        // Groq
        Row("groq/openai/gpt-oss-120b", "0.15", "0.6", "0.075", nil, nil),
        Row("groq/openai/gpt-oss-20b", "0.075", "0.3", "0.0375", nil, nil),
        // Groq (not in LiteLLM 1.110.2); prices from models.dev (f3fc692) and catwalk (64dad50).
        Row("groq/llama-3.3-70b-versatile", "0.59", "0.79", nil, nil, nil),
        Row("groq/llama-3.1-8b-instant", "0.05", "0.08", nil, nil, nil),
        Row("groq/qwen/qwen3-32b", "0.29", "0.59", nil, nil, nil),
        Row("groq/moonshotai/kimi-k2-instruct", "1", "3", "0.5", nil, nil),
    ]
}
