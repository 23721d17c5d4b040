import AgentCore
import FoundationEssentials

/// Finds a model's price across the sources, best first:
/// 1. prices the provider publishes (OpenRouter `/models`, passed in as `published`);
/// 2. the user's `pricing` overrides (a partial override takes its missing rates from 4 or 5);
/// 3. a local server (Ollama, llama.cpp, LM Studio): free;
/// 4. the built-in list prices;
/// 5. the user's LiteLLM-format `pricingFile`.
///
/// (A cost the provider reports for a request beats all of these; see `CostCalculator`.) Local
/// servers come before the tables so that a local `deepseek-r1` or `gpt-oss` is not billed at a
/// cloud host's price.
public struct PriceBook: Sendable {
    /// Overrides by lowercase model id.
    public let overrides: [String: ModelPricing]
    /// The user's pricing file, if any.
    public let litellm: LiteLLMPriceTable?
    /// The built-in list prices.
    public let builtin: BuiltinPrices

    /// Creates a price book from the config's overrides (keyed by model id), an optional pricing file
    /// and the built-in table.
    public init(overrides: [String: ModelPricing] = [:], litellm: LiteLLMPriceTable? = nil,
                builtin: BuiltinPrices = .standard) {
        self.overrides = Dictionary(overrides.map { ($0.key.trimmingSpaces.lowercased(), $0.value) },
                                    uniquingKeysWith: { _, last in last })
        self.litellm = litellm
        self.builtin = builtin
    }

    /// The price book `settings` describe: the `pricing` overrides and, when `pricingFile` is set,
    /// that file. A relative path is resolved against `configDirectory`; `~/` against `homeDirectory`.
    public static func load(settings: AppSettings, configDirectory: String?,
                            homeDirectory: String? = nil) throws(LiteLLMPriceError) -> PriceBook {
        guard let file = settings.pricingFile?.trimmingSpaces, !file.isEmpty else {
            return PriceBook(overrides: settings.pricing)
        }
        let path: String
        if file.hasPrefix("~/"), let homeDirectory {
            path = homeDirectory + "/" + file.dropFirst(2)
        } else if file.hasPrefix("/") {
            path = file
        } else {
            path = (configDirectory.map { $0 + "/" } ?? "") + file
        }
        return PriceBook(overrides: settings.pricing, litellm: try LiteLLMPriceTable.load(path: path))
    }

    /// The price of `model` on a provider of kind `providerKind`, or `nil` when no source knows it.
    /// `host` is the provider's configured name (`groq`): host-specific prices are tried first.
    public func quote(providerKind: ProviderKind, model: String, published: ModelPricing? = nil,
                      host: String? = nil) -> PriceQuote? {
        if let published, published.isUsable {
            return PriceQuote(pricing: published, source: .provider)
        }
        let keys = ModelID.candidates(for: model, host: host)
        let tables = tableQuote(keys: keys)
        if let override = keys.lazy.compactMap({ self.overrides[$0] }).first {
            let filled = override.filled(from: tables?.pricing ?? ModelPricing())
            if filled.isUsable { return PriceQuote(pricing: filled, source: .config, tiers: []) }
        }
        if providerKind.isLocal { return .local }
        return tables
    }

    private func tableQuote(keys: [String]) -> PriceQuote? {
        builtin.quote(forKeys: keys) ?? litellm?.quote(forKeys: keys)
    }
}

/// Exact request costs.
public enum CostCalculator {
    /// The cost of one request. The provider's reported cost wins; otherwise each kind of token is
    /// charged at its own rate: input without cached and cache-write tokens, cached input, cache
    /// writes, output without reasoning tokens, and reasoning (cached and cache-write rates fall back
    /// to the input rate, reasoning to the output rate). A needed rate that is unknown gives an
    /// unknown cost, never 0.
    public static func cost(of usage: TokenUsage, quote: PriceQuote?) -> Cost {
        if let reported = usage.reportedCost, reported >= 0 {
            return Cost(amount: reported, source: .reported)
        }
        guard let quote else { return Cost(amount: nil, source: nil, isEstimate: usage.isEstimate) }
        let rates = quote.pricing(forInputTokens: usage.inputTokens)
        let charges: [(tokens: Int, rate: Decimal?)] = [
            (usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens, rates.inputPerMillion),
            (usage.cachedInputTokens, rates.cachedInputPerMillion ?? rates.inputPerMillion),
            (usage.cacheWriteTokens, rates.cacheWritePerMillion ?? rates.inputPerMillion),
            (usage.outputTokens - usage.reasoningTokens, rates.outputPerMillion),
            (usage.reasoningTokens, rates.reasoningPerMillion ?? rates.outputPerMillion),
        ]
        var perMillion = Decimal(0)
        for charge in charges where charge.tokens > 0 {
            guard let rate = charge.rate else { return Cost(amount: nil, source: nil, isEstimate: usage.isEstimate) }
            perMillion += Decimal(charge.tokens) * rate
        }
        return Cost(amount: perMillion / 1_000_000, source: quote.source, isEstimate: usage.isEstimate)
    }
}
