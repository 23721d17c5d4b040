import AgentCore
import FoundationEssentials
import Testing
@testable import Pricing

/// Prices and token counts from outside never trap the arithmetic that costs and formats them (D50).
@Suite(.timeLimit(.minutes(2))) struct HostilePricingTests {
    @Test(arguments: [Int.max, Int.min, Int.max - 1, -Int.max, 999_999_999_999_999_999])
    func compactTokenCountsNeverTrap(_ count: Int) {
        let text = TokenFormat.compact(count)
        #expect(text.hasSuffix("B"), "\(text)")
    }

    @Test func compactCountsAreUnchangedForNormalFigures() {
        #expect(TokenFormat.compact(950) == "950")
        #expect(TokenFormat.compact(12_345) == "12.3k")
        #expect(TokenFormat.compact(99_950) == "100k")
        #expect(TokenFormat.compact(128_000) == "128k")
        #expect(TokenFormat.compact(1_250_000) == "1.3M")
        #expect(TokenFormat.compact(-1_500) == "-1.5k")
    }

    @Test func aTierThresholdBeyondAnyContextIsNotATier() {
        #expect(EntryReaderProbe.tier("input_cost_per_token_above_9223372036854775k_tokens") == nil)
        #expect(EntryReaderProbe.tier("input_cost_per_token_above_99999999999999999999k_tokens") == nil)
        #expect(EntryReaderProbe.tier("input_cost_per_token_above_200k_tokens") == 200_000)
    }

    @Test(arguments: ["1e300", "1e-300", "2"])
    func anAbsurdLiteLLMRateIsRejectedNamingTheField(_ rate: String) {
        do {
            _ = try LiteLLMPriceTable(jsonText: #"{"m": {"input_cost_per_token": \#(rate), "output_cost_per_token": 1e-6}}"#)
            Issue.record("accepted \(rate)")
        } catch {
            #expect(error.description.contains("input_cost_per_token"), "\(error)")
        }
    }

    @Test func aPricingFileThatIsADeviceIsRefused() {
        do {
            _ = try LiteLLMPriceTable.load(path: "/dev/zero")
            Issue.record("/dev/zero was read")
        } catch {
            #expect(error.description.contains("cannot read the pricing file: not a regular file"), "\(error)")
        }
    }

    /// The most tokens at the highest price believed still cost a finite, formattable amount.
    @Test func theLargestUsageAtTheHighestRateIsFinite() {
        let usage = TokenUsage(inputTokens: .max, outputTokens: .max, cachedInputTokens: .max, reasoningTokens: .max)
        let rate = InputLimits.maxPricePerMillion
        let quote = PriceQuote(pricing: ModelPricing(inputPerMillion: rate, outputPerMillion: rate), source: .config)
        let amount = CostCalculator.cost(of: usage, quote: quote).amount
        #expect(amount.map { !$0.isNaN && $0 > 0 } == true)
        #expect(MoneyFormat.usd(amount).hasPrefix("$"))
        #expect(MoneyFormat.usd(Decimal.nan) == "n/a")
    }
}

/// The tier-key reader, reached through a one-entry table.
enum EntryReaderProbe {
    static func tier(_ key: String) -> Int? {
        let text = #"{"m": {"input_cost_per_token": 1e-6, "output_cost_per_token": 1e-6, "\#(key)": 2e-6}}"#
        return (try? LiteLLMPriceTable(jsonText: text))?.entries["m"]?.tiers.first?.aboveInputTokens
    }
}
