import AgentCore
import FoundationEssentials
import Testing
@testable import Pricing

/// Exact decimal from text, for expectations.
func dec(_ text: String) -> Decimal {
    guard let value = DecimalText.parse(text) else { fatalError("bad test literal \(text)") }
    return value
}

/// 10k input (2k cached, 1k cache writes) and 3k output (1k reasoning): every rate is used.
let mixedUsage = TokenUsage(inputTokens: 10_000, outputTokens: 3_000, cachedInputTokens: 2_000,
                            cacheWriteTokens: 1_000, reasoningTokens: 1_000)

let acmeLiteLLM = """
{
  "sample_spec": {"input_cost_per_token": "0.0", "litellm_provider": "one of …"},
  "acme-model": {
    "input_cost_per_token": 1.5e-06, "output_cost_per_token": 6e-06,
    "cache_read_input_token_cost": 3e-07, "cache_creation_input_token_cost": 1.875e-06,
    "output_cost_per_reasoning_token": 1.2e-05, "litellm_provider": "acme", "mode": "chat"
  }
}
"""

struct CostCase: CustomTestStringConvertible, Sendable {
    var name: String
    var kind: ProviderKind
    var model: String
    var published: ModelPricing?
    var overrides: [String: ModelPricing] = [:]
    var usage: TokenUsage = mixedUsage
    var expected: String?
    var source: PriceSource?
    var testDescription: String { name }
}

@Suite(.timeLimit(.minutes(2))) struct CostTests {
    static let cases: [CostCase] = [
        // 7000×1 + 2000×0.5 + 1000×1.5 + 2000×2 + 1000×3 = 16500 per million
        CostCase(name: "provider-published", kind: .openRouter, model: "acme/model",
                 published: ModelPricing(inputPerMillion: 1, outputPerMillion: 2, cachedInputPerMillion: dec("0.5"),
                                         cacheWritePerMillion: dec("1.5"), reasoningPerMillion: 3),
                 expected: "0.0165", source: .provider),
        // 7000×4 + 2000×1 + 1000×5 + 2000×8 + 1000×16 = 67000
        CostCase(name: "config override", kind: .openAICompatible, model: "My-Model",
                 overrides: ["my-model": ModelPricing(inputPerMillion: 4, outputPerMillion: 8, cachedInputPerMillion: 1,
                                                      cacheWritePerMillion: 5, reasoningPerMillion: 16)],
                 expected: "0.067", source: .config),
        // gpt-4o 2.5/10, cached 1.25; cache writes at input, reasoning at output:
        // 7000×2.5 + 2000×1.25 + 1000×2.5 + 2000×10 + 1000×10 = 52500
        CostCase(name: "built-in", kind: .openAI, model: "gpt-4o", expected: "0.0525", source: .builtin),
        // 7000×1.5 + 2000×0.3 + 1000×1.875 + 2000×6 + 1000×12 = 36975
        CostCase(name: "LiteLLM file", kind: .openAICompatible, model: "acme-model", expected: "0.036975", source: .litellm),
        CostCase(name: "local server", kind: .ollama, model: "llama3.1:8b", expected: "0", source: .local),
        CostCase(name: "local model named like a cloud one", kind: .llamaCpp, model: "deepseek-chat", expected: "0", source: .local),
        // claude-sonnet-4-5 3/15, cached 0.3, write 3.75: 21000 + 600 + 3750 + 30000 + 15000 = 70350
        CostCase(name: "cache-write rate", kind: .openAICompatible, model: "claude-sonnet-4-5-20250929",
                 expected: "0.07035", source: .builtin),
        // gemini-2.5-flash reasoning rate 2.5 == output: 7000×0.3 + 2000×0.03 + 1000×0.3 + 3000×2.5 = 9960
        CostCase(name: "reasoning rate", kind: .openAICompatible, model: "gemini-2.5-flash", expected: "0.00996", source: .builtin),
        CostCase(name: "unknown model", kind: .openAICompatible, model: "nobody-knows-1", expected: nil, source: nil),
        CostCase(name: "partial override completed from the table", kind: .openAI, model: "gpt-4o",
                 overrides: ["gpt-4o": ModelPricing(inputPerMillion: 5)],
                 // 7000×5 + 2000×1.25 + 1000×5 + 2000×10 + 1000×10 = 72500
                 expected: "0.0725", source: .config),
        CostCase(name: "partial override of an unknown model", kind: .openAI, model: "mystery",
                 overrides: ["mystery": ModelPricing(inputPerMillion: 5)], expected: nil, source: nil),
        CostCase(name: "router price -1 is unknown", kind: .openRouter, model: "openrouter/auto",
                 published: ModelPricing(inputPerMillion: -1, outputPerMillion: -1), expected: nil, source: nil),
        CostCase(name: ":free with OpenRouter's price", kind: .openRouter, model: "deepseek/deepseek-chat:free",
                 published: ModelPricing(inputPerMillion: 0, outputPerMillion: 0), expected: "0", source: .provider),
    ]

    @Test(arguments: cases)
    func costOfARequest(_ testCase: CostCase) throws {
        let book = PriceBook(overrides: testCase.overrides, litellm: try LiteLLMPriceTable(jsonText: acmeLiteLLM))
        let quote = book.quote(providerKind: testCase.kind, model: testCase.model, published: testCase.published)
        let cost = CostCalculator.cost(of: testCase.usage, quote: quote)
        #expect(cost.amount == testCase.expected.map(dec), "\(testCase.name): \(String(describing: cost.amount))")
        #expect(cost.source == testCase.source)
        #expect(quote?.source == testCase.source)
    }

    @Test func reportedCostWinsOverEveryPrice() {
        var usage = mixedUsage
        usage.reportedCost = dec("0.00123")
        let published = ModelPricing(inputPerMillion: 100, outputPerMillion: 100)
        let quote = PriceBook().quote(providerKind: .openRouter, model: "openai/gpt-4o", published: published)
        let cost = CostCalculator.cost(of: usage, quote: quote)
        #expect(cost == Cost(amount: dec("0.00123"), source: .reported))
        #expect(CostCalculator.cost(of: usage, quote: nil) == Cost(amount: dec("0.00123"), source: .reported))
        #expect(MoneyFormat.cost(cost) == "$0.0012")
    }

    @Test func unknownPriceIsNotAvailableNeverZero() {
        let quote = PriceBook().quote(providerKind: .openAICompatible, model: "my-finetune-v3", published: nil)
        #expect(quote == nil)
        let cost = CostCalculator.cost(of: TokenUsage(inputTokens: 500, outputTokens: 20, isEstimate: true), quote: quote)
        #expect(cost.amount == nil)
        #expect(MoneyFormat.cost(cost) == "n/a")
    }

    @Test func localProviderCostsZero() throws {
        for kind in ProviderKind.allCases where kind.isLocal {
            let quote = try #require(PriceBook().quote(providerKind: kind, model: "qwen2.5-coder:7b", published: nil))
            let cost = CostCalculator.cost(of: mixedUsage, quote: quote)
            #expect(cost == Cost(amount: 0, source: .local))
            #expect(MoneyFormat.cost(cost) == "$0.00")
        }
    }

    @Test func aMissingRateForTokensUsedGivesUnknown() throws {
        let table = try LiteLLMPriceTable(jsonText: #"{"half-model": {"input_cost_per_token": 1e-06}}"#)
        let quote = try #require(table.quote(forModel: "half-model"))
        #expect(CostCalculator.cost(of: TokenUsage(inputTokens: 1_000_000), quote: quote).amount == 1)
        #expect(CostCalculator.cost(of: TokenUsage(inputTokens: 10, outputTokens: 5), quote: quote).amount == nil)
    }

    @Test func estimatedUsageIsMarked() {
        let quote = PriceBook().quote(providerKind: .openAI, model: "gpt-4o-mini", published: nil)
        let cost = CostCalculator.cost(of: TokenUsage(inputTokens: 10_000, outputTokens: 2_000, isEstimate: true), quote: quote)
        // 10000×0.15 + 2000×0.6 = 2700 per million
        #expect(cost == Cost(amount: dec("0.0027"), source: .builtin, isEstimate: true))
        #expect(MoneyFormat.cost(cost) == "~$0.0027")
    }

    struct TierCase: Sendable {
        var inputTokens: Int
        var cachedTokens: Int
        var expected: String
    }

    @Test(arguments: [
        // At the threshold: base rates. 200000×1.25 + 1000×10 = 260000
        TierCase(inputTokens: 200_000, cachedTokens: 0, expected: "0.26"),
        // Above it: 250000×2.5 + 1000×15 = 640000
        TierCase(inputTokens: 250_000, cachedTokens: 0, expected: "0.64"),
        // Above it, cached at the tier's cached rate: 150000×2.5 + 100000×0.25 + 1000×15 = 415000
        TierCase(inputTokens: 250_000, cachedTokens: 100_000, expected: "0.415"),
    ])
    func tieredPricingAboveTheContextThreshold(_ tier: TierCase) throws {
        let quote = try #require(PriceBook().quote(providerKind: .openAICompatible, model: "gemini-2.5-pro", published: nil))
        let usage = TokenUsage(inputTokens: tier.inputTokens, outputTokens: 1_000, cachedInputTokens: tier.cachedTokens)
        #expect(CostCalculator.cost(of: usage, quote: quote).amount == dec(tier.expected))
    }

    @Test func tiersFromAPricingFileApply() throws {
        let table = try LiteLLMPriceTable(jsonText: """
            {"long-model": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06,
              "input_cost_per_token_above_128k_tokens": 2e-06, "output_cost_per_token_above_128k_tokens": 4e-06,
              "input_cost_per_token_above_200k_tokens_priority": 9e-06}}
            """)
        let quote = try #require(table.quote(forModel: "long-model"))
        #expect(quote.tiers == [PriceTier(aboveInputTokens: 128_000,
                                          pricing: ModelPricing(inputPerMillion: 2, outputPerMillion: 4))])
        let cost = CostCalculator.cost(of: TokenUsage(inputTokens: 130_000, outputTokens: 10_000), quote: quote)
        // 130000×2 + 10000×4 = 300000
        #expect(cost.amount == dec("0.3"))
    }
}

@Suite(.timeLimit(.minutes(2))) struct TallyAndLoadingTests {
    @Test func tallyFlagsUnpricedRequestsInsteadOfCountingZero() {
        var tally = CostTally()
        #expect(tally.display == "$0.00")
        tally.add(.unknown)
        #expect(tally.display == "n/a")
        tally.add(Cost(amount: dec("0.0123"), source: .builtin))
        #expect(tally.known == dec("0.0123"))
        #expect(tally.display == "≥$0.0123")
        var estimated = CostTally()
        estimated.add(Cost(amount: dec("0.5"), source: .builtin, isEstimate: true))
        estimated.add(Cost(amount: dec("0.25"), source: .reported))
        #expect(estimated.display == "~$0.75")
    }

    @Test func settingsLoadTheirPricingFileRelativeToTheConfig() throws {
        let directory = FileManager.default.temporaryDirectory.path + "/pricing-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(acmeLiteLLM.utf8).write(to: URL(fileURLWithPath: directory + "/prices.json"))
        let settings = AppSettings(pricing: ["gpt-4o": ModelPricing(inputPerMillion: 9, outputPerMillion: 9)],
                                   pricingFile: "prices.json")
        let book = try PriceBook.load(settings: settings, configDirectory: directory)
        #expect(book.quote(providerKind: .openAICompatible, model: "acme-model")?.source == .litellm)
        #expect(book.quote(providerKind: .openAI, model: "gpt-4o")?.source == .config)
        let missing = AppSettings(pricingFile: "nope.json")
        #expect(throws: LiteLLMPriceError.self) { try PriceBook.load(settings: missing, configDirectory: directory) }
        #expect(try PriceBook.load(settings: AppSettings(), configDirectory: nil).litellm == nil)
    }
}
