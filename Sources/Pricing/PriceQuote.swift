import AgentCore
import FoundationEssentials

/// Where a price or a cost came from. For the order in which sources are tried see `PriceBook`
/// (a local server is checked before the price tables) and `CostCalculator` (a reported cost wins).
public enum PriceSource: String, Sendable, Codable, CaseIterable {
    /// The provider reported the request's cost itself (OpenRouter `usage.cost`).
    case reported
    /// Prices the provider publishes for the model (OpenRouter `/models`).
    case provider
    /// The user's `pricing` overrides in `agents.config.json`.
    case config
    /// The list prices built into swiftcoder (see `BuiltinPrices.checkedOn`).
    case builtin
    /// The user's `pricingFile` in LiteLLM's format.
    case litellm
    /// A server on the user's machine: free.
    case local

    /// A short label for the sidebar and `/cost` ("reported by provider", "built-in list price", …).
    public var label: String {
        switch self {
        case .reported: "reported by provider"
        case .provider: "provider price list"
        case .config: "config override"
        case .builtin: "built-in list price"
        case .litellm: "pricing file"
        case .local: "local (free)"
        }
    }
}

/// Rates that replace the base rates when a request's prompt is longer than a threshold
/// (Gemini 2.5 Pro above 200k input tokens, for example). A `nil` rate keeps the base rate.
public struct PriceTier: Sendable, Hashable {
    /// The tier applies when the request has more input tokens than this.
    public var aboveInputTokens: Int
    /// The rates of this tier; `nil` rates fall back to the base pricing's.
    public var pricing: ModelPricing

    /// Creates a tier.
    public init(aboveInputTokens: Int, pricing: ModelPricing) {
        self.aboveInputTokens = aboveInputTokens
        self.pricing = pricing
    }
}

/// A model's price as found by `PriceBook`, with the source it came from.
public struct PriceQuote: Sendable, Hashable {
    /// The base rates (per million tokens).
    public var pricing: ModelPricing
    /// Which source produced these rates.
    public var source: PriceSource
    /// Long-context tiers, in any order.
    public var tiers: [PriceTier]

    /// Creates a quote.
    public init(pricing: ModelPricing, source: PriceSource, tiers: [PriceTier] = []) {
        self.pricing = pricing
        self.source = source
        self.tiers = tiers
    }

    /// The free quote of a local server.
    public static let local = PriceQuote(
        pricing: ModelPricing(inputPerMillion: 0, outputPerMillion: 0, cachedInputPerMillion: 0,
                              cacheWritePerMillion: 0, reasoningPerMillion: 0),
        source: .local)

    /// The rates that apply to a request with `inputTokens` input tokens: the highest tier whose
    /// threshold is exceeded, its missing rates taken from the base rates.
    public func pricing(forInputTokens inputTokens: Int) -> ModelPricing {
        let tier = tiers.filter { inputTokens > $0.aboveInputTokens }.max { $0.aboveInputTokens < $1.aboveInputTokens }
        guard let tier else { return pricing }
        return tier.pricing.filled(from: pricing)
    }
}

/// The cost of one request (or a total), with where its figure came from.
public struct Cost: Sendable, Hashable {
    /// USD; `nil` when no price is known (shown `n/a`, never `$0.00`).
    public var amount: Decimal?
    /// The source of the figure; `nil` when `amount` is `nil`.
    public var source: PriceSource?
    /// True when the token counts were estimated locally (shown with a `~`).
    public var isEstimate: Bool

    /// Creates a cost.
    public init(amount: Decimal?, source: PriceSource?, isEstimate: Bool = false) {
        self.amount = amount
        self.source = source
        self.isEstimate = isEstimate
    }

    /// No price known.
    public static let unknown = Cost(amount: nil, source: nil)
}

extension ModelPricing {
    /// True when both the input and output rates are known and no rate is negative
    /// (OpenRouter publishes `-1` for routers whose price depends on the model chosen).
    public var isUsable: Bool {
        guard let input = inputPerMillion, let output = outputPerMillion else { return false }
        let rates = [input, output, cachedInputPerMillion, cacheWritePerMillion, reasoningPerMillion]
        return rates.allSatisfy { ($0 ?? 0) >= 0 }
    }

    /// These rates, each missing one taken from `other`.
    public func filled(from other: ModelPricing) -> ModelPricing {
        ModelPricing(inputPerMillion: inputPerMillion ?? other.inputPerMillion,
                     outputPerMillion: outputPerMillion ?? other.outputPerMillion,
                     cachedInputPerMillion: cachedInputPerMillion ?? other.cachedInputPerMillion,
                     cacheWritePerMillion: cacheWritePerMillion ?? other.cacheWritePerMillion,
                     reasoningPerMillion: reasoningPerMillion ?? other.reasoningPerMillion)
    }
}
