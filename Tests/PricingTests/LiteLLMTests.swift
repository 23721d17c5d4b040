import AgentCore
import FoundationEssentials
import Testing
@testable import Pricing

@Suite(.timeLimit(.minutes(2))) struct LiteLLMReaderTests {
    @Test func readsRatesExactlyAndSkipsTheSampleSpec() throws {
        let table = try LiteLLMPriceTable(jsonText: acmeLiteLLM)
        #expect(table.modelCount == 1)
        #expect(table.entries["sample_spec"] == nil)
        let quote = try #require(table.quote(forModel: "ACME-model"))
        #expect(quote == PriceQuote(pricing: ModelPricing(inputPerMillion: dec("1.5"), outputPerMillion: 6,
                                                          cachedInputPerMillion: dec("0.3"), cacheWritePerMillion: dec("1.875"),
                                                          reasoningPerMillion: 12), source: .litellm))
    }

    @Test func aliasesAndFirstPartyPrefixesResolve() throws {
        let table = try LiteLLMPriceTable(jsonText: """
            {"xai/grok-9": {"input_cost_per_token": 2e-06, "output_cost_per_token": 6e-06, "litellm_provider": "xai"},
             "xai/grok-latest": {"alias_of": "xai/grok-9"},
             "together_ai/llama-9": {"input_cost_per_token": 1e-07, "output_cost_per_token": 1e-07, "litellm_provider": "together_ai"},
             "embedding-only": {"mode": "embedding"}}
            """)
        #expect(table.quote(forModel: "grok-9")?.pricing.inputPerMillion == 2)
        #expect(table.quote(forModel: "xai/grok-latest")?.pricing.outputPerMillion == 6)
        #expect(table.quote(forModel: "llama-9") == nil, "a third-party host's price is not a model's price")
        #expect(table.quote(forModel: "together_ai/llama-9") != nil)
        #expect(table.quote(forModel: "embedding-only") == nil)
    }

    struct BadFile: Sendable, CustomTestStringConvertible {
        var text: String
        var message: String
        var testDescription: String { message }
    }

    @Test(arguments: [
        BadFile(text: #"{"gpt-x": {"input_cost_per_token": "1e-06"}}"#,
                message: #"prices.json:1:36: "gpt-x".input_cost_per_token: expected a number, found a string"#),
        BadFile(text: #"{"gpt-x": {"output_cost_per_token": -1e-06}}"#,
                message: #"prices.json:1:37: "gpt-x".output_cost_per_token: must be a number of at least 0, found -1e-06"#),
        BadFile(text: #"{"gpt-x": 3}"#, message: #"prices.json:1:11: "gpt-x": expected an object, found a number"#),
        BadFile(text: "[1, 2]", message: "prices.json:1:1: expected an object keyed by model id, found an array"),
    ])
    func errorsNameTheFileAndKey(_ bad: BadFile) {
        #expect(throws: LiteLLMPriceError.self) { try LiteLLMPriceTable(jsonText: bad.text, path: "prices.json") }
        do {
            _ = try LiteLLMPriceTable(jsonText: bad.text, path: "prices.json")
        } catch {
            #expect(error.description == bad.message)
        }
    }

    @Test func syntaxErrorsHaveAPosition() {
        do {
            _ = try LiteLLMPriceTable(jsonText: "{\n  \"a\": {,}\n}", path: "p.json")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.description.hasPrefix("p.json:2:"))
        }
    }

    @Test func aMissingFileSaysSo() {
        do {
            _ = try LiteLLMPriceTable.load(path: "/nonexistent/prices.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "/nonexistent/prices.json: cannot read the pricing file: No such file or directory")
        }
    }
}
