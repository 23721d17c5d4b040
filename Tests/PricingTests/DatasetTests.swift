import AgentCore
import FoundationEssentials
import Testing
@testable import Pricing

/// `../shared/fixtures/pricing` relative to the package root; absent on machines without it.
enum PricingFixtures {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path + "/../shared/fixtures/pricing"
    }()
    static let litellmPath = root + "/litellm/model_prices_and_context_window.json"
    static let modelsDevPath = root + "/models.dev/models_dev_derived.json"
    static let catwalkOpenAIPath = root + "/catwalk/configs/openai.json"
    static var available: Bool { FileManager.default.fileExists(atPath: litellmPath) }

    /// The LiteLLM dataset (litellm 1.110.2 wheel), read once.
    static let litellm: Result<LiteLLMPriceTable, LiteLLMPriceError> = Result { () throws(LiteLLMPriceError) in
        try LiteLLMPriceTable.load(path: litellmPath)
    }
}

/// A built-in key and the dataset key it must agree with.
struct Agreement: Sendable, CustomTestStringConvertible {
    var builtin: String
    var dataset: String
    var testDescription: String { builtin }
}

/// Why a model's built-in price is not compared with the LiteLLM dataset.
struct StaleRecord: Sendable {
    var builtin: String
    var reason: String
}

@Suite(.timeLimit(.minutes(2)), .enabled(if: PricingFixtures.available, "../shared/fixtures/pricing is absent"))
struct DatasetTests {
    static let agreements: [Agreement] = [
        ("gpt-4o", "gpt-4o"), ("gpt-4o-mini", "gpt-4o-mini"), ("gpt-4.1", "gpt-4.1"), ("gpt-4.1-mini", "gpt-4.1-mini"),
        ("o1", "o1"), ("o3", "o3"), ("o3-mini", "o3-mini"), ("o4-mini", "o4-mini"), ("gpt-5", "gpt-5"),
        ("gpt-5-mini", "gpt-5-mini"), ("gpt-5.4", "gpt-5.4"),
        ("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"), ("claude-haiku-4-5", "claude-haiku-4-5-20251001"),
        ("claude-opus-4-5", "claude-opus-4-5-20251101"),
        ("gemini-2.5-pro", "gemini/gemini-2.5-pro"), ("gemini-2.5-flash", "gemini/gemini-2.5-flash"),
        ("gemini-2.5-flash-lite", "gemini/gemini-2.5-flash-lite"),
        ("deepseek-chat", "deepseek-chat"), ("deepseek-reasoner", "deepseek-reasoner"),
        ("mistral-large", "mistral/mistral-large-latest"), ("codestral", "mistral/codestral-latest"),
        ("grok-code-fast-1", "xai/grok-code-fast-1"), ("groq/openai/gpt-oss-120b", "groq/openai/gpt-oss-120b"),
    ].map { Agreement(builtin: $0.0, dataset: $0.1) }

    /// Well-known models LiteLLM 1.110.2 no longer lists; their built-in prices come from elsewhere.
    static let notInDataset: [StaleRecord] = [
        StaleRecord(builtin: "claude-sonnet-4", reason: "retired from LiteLLM 1.110.2; checked against models.dev below"),
        StaleRecord(builtin: "claude-3-5-haiku", reason: "retired from LiteLLM 1.110.2 and models.dev; Anthropic's list price"),
        StaleRecord(builtin: "gemini-2.0-flash", reason: "retired from LiteLLM 1.110.2; checked against models.dev below"),
        StaleRecord(builtin: "grok-3", reason: "retired from LiteLLM 1.110.2 and models.dev; xAI's list price"),
    ]

    @Test func theLiteLLMDatasetLoadsThroughTheReader() throws {
        let table = try PricingFixtures.litellm.get()
        #expect(table.modelCount > 4000)
        #expect(table.entries["sample_spec"] == nil)
        // Tiers and aliases as the dataset writes them.
        let pro = try #require(table.quote(forModel: "gemini/gemini-2.5-pro"))
        #expect(pro.tiers.map(\.aboveInputTokens) == [200_000])
        #expect(pro.tiers.first?.pricing.inputPerMillion == dec("2.5"))
        #expect(table.quote(forModel: "claude-sonnet-latest") != nil)
    }

    @Test(arguments: agreements)
    func builtinAgreesWithTheDataset(_ pair: Agreement) throws {
        let table = try PricingFixtures.litellm.get()
        let builtin = try #require(BuiltinPrices.standard.entries[pair.builtin], "\(pair.builtin) missing from the table")
        let dataset = try #require(table.entries[pair.dataset], "\(pair.dataset) missing from the dataset")
        let fields: [(String, KeyPath<ModelPricing, Decimal?>)] = [
            ("input", \.inputPerMillion), ("output", \.outputPerMillion), ("cached input", \.cachedInputPerMillion),
            ("cache write", \.cacheWritePerMillion), ("reasoning", \.reasoningPerMillion),
        ]
        for (name, field) in fields {
            guard let expected = dataset.pricing[keyPath: field] else { continue }
            let actual = builtin.pricing[keyPath: field]
            #expect(actual == expected, "\(pair.builtin) \(name): built-in \(actual.map { "\($0)" } ?? "none") vs LiteLLM \(expected) per million")
        }
        #expect(builtin.tiers.map(\.aboveInputTokens) == dataset.tiers.map(\.aboveInputTokens), "\(pair.builtin) tiers")
        for (ours, theirs) in zip(builtin.tiers, dataset.tiers) {
            #expect(ours.pricing.inputPerMillion == theirs.pricing.inputPerMillion, "\(pair.builtin) tier input")
            #expect(ours.pricing.outputPerMillion == theirs.pricing.outputPerMillion, "\(pair.builtin) tier output")
        }
    }

    @Test func modelsMissingFromTheDatasetAreRecorded() throws {
        let table = try PricingFixtures.litellm.get()
        #expect(Self.agreements.count + Self.notInDataset.count >= 20)
        for record in Self.notInDataset {
            #expect(BuiltinPrices.standard.entries[record.builtin] != nil)
            #expect(table.quote(forModel: record.builtin) == nil,
                    "\(record.builtin) is in the dataset now; compare it instead (\(record.reason))")
        }
    }

    /// models.dev lists per-million USD prices; its data backs two models LiteLLM dropped.
    @Test func retiredModelsAgreeWithModelsDev() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: PricingFixtures.modelsDevPath)))
        let root = try JSONReader.parse(bytes)
        let checks = [("anthropic", "claude-sonnet-4-20250514", "claude-sonnet-4"),
                      ("google", "gemini-2.0-flash", "gemini-2.0-flash")]
        for (provider, model, key) in checks {
            let cost = try #require(root[provider]?["models"]?[model]?["cost"], "\(provider)/\(model) not in models.dev")
            let builtin = try #require(BuiltinPrices.standard.entries[key])
            for (field, rate) in [("input", builtin.pricing.inputPerMillion), ("output", builtin.pricing.outputPerMillion),
                                  ("cache_read", builtin.pricing.cachedInputPerMillion)] {
                let text = try #require(cost[field]?.number?.text)
                #expect(rate == DecimalText.parse(text), "\(key) \(field): built-in \(rate.map { "\($0)" } ?? "none") vs models.dev \(text)")
            }
        }
    }

    /// catwalk's per-provider files are not LiteLLM-format; the reader says so, naming the key.
    @Test func otherFormatsAreRejectedClearly() {
        do {
            _ = try LiteLLMPriceTable.load(path: PricingFixtures.catwalkOpenAIPath)
            Issue.record("catwalk's format should not load as LiteLLM")
        } catch {
            #expect(error.key == "name")
            #expect(error.description.contains("openai.json:"))
        }
    }
}
