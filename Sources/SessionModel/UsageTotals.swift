import AgentCore
import FoundationEssentials

/// Sums over usage rows. Costs are added as `Decimal`, exactly.
public struct UsageTotals: Sendable, Hashable, Codable {
    public var requests = 0
    public var inputTokens = 0
    public var outputTokens = 0
    public var cachedInputTokens = 0
    public var cacheWriteTokens = 0
    public var reasoningTokens = 0
    /// The sum of the known costs in USD; rows without a price add nothing here (see
    /// `unpricedRequests`).
    public var cost: Decimal = 0
    /// Requests with no known price: when non-zero, `cost` is a lower bound.
    public var unpricedRequests = 0
    /// Requests whose token counts were estimated locally.
    public var estimatedRequests = 0

    /// All zero.
    public init() {}

    /// Adds one request.
    public mutating func add(_ usage: TokenUsage, cost: Decimal?) {
        requests += 1
        inputTokens += usage.inputTokens
        outputTokens += usage.outputTokens
        cachedInputTokens += usage.cachedInputTokens
        cacheWriteTokens += usage.cacheWriteTokens
        reasoningTokens += usage.reasoningTokens
        if let cost { self.cost += cost } else { unpricedRequests += 1 }
        if usage.isEstimate { estimatedRequests += 1 }
    }
}

/// Usage of one provider and model.
public struct ProviderModelUsage: Sendable, Hashable, Codable {
    public var provider: String
    public var model: String
    public var totals: UsageTotals

    public init(provider: String, model: String, totals: UsageTotals) {
        self.provider = provider
        self.model = model
        self.totals = totals
    }
}

/// Usage on one calendar day.
public struct DailyUsage: Sendable, Hashable, Codable {
    /// `yyyy-MM-dd` in the time zone asked for.
    public var day: String
    public var totals: UsageTotals

    public init(day: String, totals: UsageTotals) {
        self.day = day
        self.totals = totals
    }
}
