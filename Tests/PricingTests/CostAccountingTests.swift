import AgentCore
import FoundationEssentials
import Synchronization
import Testing
@testable import Pricing

/// `CostAccounting` as the engine and the UI use it: the pricer adds to the spend, the gate
/// refuses at a limit, `/budget override` and new limits let requests through again.
@Suite(.timeLimit(.minutes(2))) struct CostAccountingTests {
    /// $0.10 per input token and $0.20 per output token (config prices).
    static let book = PriceBook(overrides: ["mock-model": ModelPricing(inputPerMillion: 100_000, outputPerMillion: 200_000)])
    static let provider = ProviderConfig(name: "mock", kind: .openAICompatible, apiBase: "https://api.example.com/v1")
    static let usage = TokenUsage(inputTokens: 3, outputTokens: 2)  // $0.70

    func accounting(_ budget: Budget, today: @escaping @Sendable () -> Date = { Date(timeIntervalSince1970: 0) })
        -> CostAccounting {
        CostAccounting(book: Self.book, budget: budget, providers: [Self.provider], today: today)
    }

    @Test func aRequestIsPricedFromTheConfigAndCounted() {
        let costs = accounting(Budget(sessionUSD: 5))
        let priced = costs.price(provider: "mock", model: "mock-model", usage: Self.usage)
        #expect(priced.cost == Decimal(string: "0.7"))
        #expect(priced.source == "config")
        #expect(costs.summary.hasPrefix("Budget: session $0.70 of $5.00"))
        #expect(costs.hasLimits)
        #expect(!accounting(Budget()).hasLimits)
    }

    /// Prices a provider publishes with its model list (OpenRouter's cache-read rate, say) win,
    /// and cached tokens are billed at the cache-read rate.
    @Test func cachedTokensAreBilledAtThePublishedCacheReadRate() {
        let costs = accounting(Budget())
        let published = ModelPricing(inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: Decimal(string: "0.3"),
                                     reasoningPerMillion: 20)
        costs.learn(provider: "mock", models: [ModelInfo(id: "mock-model", pricing: published)])
        let usage = TokenUsage(inputTokens: 1_000_000, outputTokens: 100_000, cachedInputTokens: 800_000,
                               reasoningTokens: 50_000)
        let priced = costs.price(provider: "mock", model: "mock-model", usage: usage)
        // 200k fresh input at $3/M, 800k cached at $0.30/M, 50k output at $15/M, 50k reasoning at $20/M.
        #expect(priced.cost == Decimal(string: "2.59"))
        #expect(priced.source == "provider")
    }

    @Test func theGateRefusesAtTheLimitAndLetsTheRequestThroughAfterAnOverride() throws {
        let costs = accounting(Budget(sessionUSD: Decimal(string: "0.5")))
        #expect(costs.refusal() == nil, "nothing spent yet")
        _ = costs.price(provider: "mock", model: "mock-model", usage: Self.usage)
        let refusal = try #require(costs.refusal())
        #expect(refusal.hasPrefix("session budget $0.50 reached: $0.70 spent this session."))
        #expect(refusal.contains("/budget override"))

        costs.override()
        #expect(costs.refusal() == nil, "the refused request goes through after the override")
        guard case .overridden(let exceeded) = costs.status else {
            Issue.record("status after the override: \(costs.status)")
            return
        }
        #expect(exceeded.spent == Decimal(string: "0.7"))
        #expect(costs.summary.hasSuffix("(overridden for this session)"))
        // Spending goes on counting while overridden, and the gate stays open.
        _ = costs.price(provider: "mock", model: "mock-model", usage: Self.usage)
        #expect(costs.refusal() == nil)
        if case .overridden(let later) = costs.status { #expect(later.spent == Decimal(string: "1.4")) }
    }

    @Test func anOverrideLastsForTheSessionOnly() {
        let costs = accounting(Budget(sessionUSD: Decimal(string: "0.5")))
        _ = costs.price(provider: "mock", model: "mock-model", usage: Self.usage)
        costs.override()
        costs.startSession(spent: 1)
        #expect(costs.refusal() != nil, "a new or resumed session over the limit is refused again")
    }

    @Test func raisingTheLimitAlsoLetsTheRequestThrough() {
        let costs = accounting(Budget(dailyUSD: Decimal(string: "0.5")))
        _ = costs.price(provider: "mock", model: "mock-model", usage: Self.usage)
        #expect(costs.refusal()?.hasPrefix("daily budget $0.50 reached") == true)
        costs.setLimit(session: nil, daily: 1)
        #expect(costs.refusal() == nil)
        #expect(costs.status == .ok)
    }

    @Test func todaysSpendStartsAgainAfterMidnight() {
        let day = Mutex(Date(timeIntervalSince1970: 0))
        let costs = accounting(Budget(dailyUSD: 1), today: { day.withLock { $0 } })
        costs.setToday(spent: Decimal(string: "0.9")!, day: Date(timeIntervalSince1970: 0))
        _ = costs.price(provider: "mock", model: "mock-model", usage: Self.usage)
        #expect(costs.refusal() != nil)
        day.withLock { $0 = Date(timeIntervalSince1970: 86_400) }
        #expect(costs.refusal() == nil)
        #expect(costs.summary.contains("today $0.00 of $1.00"))
    }
}
