import FoundationEssentials
import Testing
@testable import AgentCore

/// Numbers from outside: config figures beyond their bounds are rejected with the field and
/// the bound; arithmetic helpers saturate instead of trapping (D50).
@Suite(.timeLimit(.minutes(2))) struct InputLimitsTests {
    @Test(arguments: [
        (#""contextWindow": 1e12"#, "providers.p.contextWindow must be at most 1000000000"),
        (#""contextWindow": 9223372036854775807"#, "providers.p.contextWindow must be at most 1000000000"),
        (#""contextWindow": 1e400"#, "providers.p.contextWindow must be at most 1000000000"),
        (#""contextWindow": -1e300"#, "providers.p.contextWindow must be at least 1"),
        (#""maxRetries": 9223372036854775807"#, "providers.p.maxRetries must be at most 100"),
        (#""maxRetries": 1e30"#, "providers.p.maxRetries must be at most 100"),
        (#""timeoutSeconds": 1e308"#, "providers.p.timeoutSeconds must be at most 86400 (seconds)"),
        (#""timeoutSeconds": 1e999"#, "providers.p.timeoutSeconds must be at most 86400 (seconds)"),
    ])
    func absurdProviderNumbersAreRejected(_ field: String, _ message: String) throws {
        let error = try #require(configError(#"{"providers": {"p": {"apiBase": "http://h", \#(field)}}}"#))
        #expect(error.kind == .invalidValue)
        #expect(error.description.hasSuffix(message), "\(error)")
    }

    @Test(arguments: [
        (#""maxSteps": 1e15"#, "maxSteps must be a whole number of at least 1 and at most 100000"),
        (#""maxSteps": 9223372036854775807"#, "maxSteps must be a whole number of at least 1 and at most 100000"),
        (#""budget": {"sessionUSD": 1e400}"#, "budget.sessionUSD must be at most 1000000000"),
        (#""budget": {"dailyUSD": 1e300}"#, "budget.dailyUSD must be at most 1000000000"),
        (#""pricing": {"m": {"inputPerMillion": 1e200}}"#, "pricing.m.inputPerMillion must be at most 1000000"),
    ])
    func absurdSettingsAreRejected(_ field: String, _ message: String) throws {
        let error = try #require(configError(#"{"providers": {}, \#(field)}"#))
        #expect(error.description.hasSuffix(message), "\(error)")
    }

    @Test func theLargestAllowedFiguresAreAccepted() throws {
        let config = try parseConfig(#"{"providers": {"p": {"apiBase": "http://h", "contextWindow": 1000000000, "#
            + #""maxRetries": 100, "timeoutSeconds": 86400}}, "maxSteps": 100000, "budget": {"dailyUSD": 1000000000}}"#)
        let provider = try #require(config.providers.first)
        #expect(provider.contextWindow == 1_000_000_000 && provider.maxRetries == 100 && provider.timeoutSeconds == 86400)
        #expect(config.settings.maxSteps == 100_000 && config.settings.budget.dailyUSD == 1_000_000_000)
    }

    @Test func saturatingArithmetic() {
        #expect(Int.max.saturatingAdding(1) == .max)
        #expect(Int.min.saturatingAdding(-1) == .min)
        #expect(Int.min.saturatingSubtracting(1) == .min)
        #expect(Int.max.saturatingSubtracting(-1) == .max)
        #expect(Int.max.saturatingMultiplied(by: 2) == .max)
        #expect(Int.max.saturatingMultiplied(by: -2) == .min)
        #expect(5.saturatingAdding(-7) == -2 && 6.saturatingMultiplied(by: 7) == 42)
    }

    @Test func doublesConvertWithoutTrapping() {
        #expect(Int(saturating: 1e300) == .max)
        #expect(Int(saturating: -1e300) == .min)
        #expect(Int(saturating: .infinity) == .max)
        #expect(Int(saturating: .nan) == nil)
        #expect(Int(saturating: 0x1p63) == .max)
        #expect(Int(saturating: -0x1p63) == .min)
        #expect(Int(saturating: 42.9) == 42)
    }

    @Test func modelFiguresOutsideTheirRangeAreUnknown() {
        let info = ModelInfo(id: "m", contextWindow: .max, maxOutputTokens: -1)
        #expect(info.contextWindow == nil && info.maxOutputTokens == nil)
        #expect(ModelInfo(id: "m", contextWindow: 128_000).contextWindow == 128_000)
        let pricing = ModelPricing(inputPerMillion: Decimal.nan, outputPerMillion: Decimal(string: "1e30"),
                                   cachedInputPerMillion: -1, reasoningPerMillion: 3)
        #expect(pricing.inputPerMillion == nil && pricing.outputPerMillion == nil)
        #expect(pricing.cachedInputPerMillion == -1 && pricing.reasoningPerMillion == 3)
    }

    @Test func bytesAreDescribedInTheirUnit() {
        #expect(InputLimits.describeBytes(8 << 20) == "8 MiB")
        #expect(InputLimits.describeBytes(64 << 10) == "64 KiB")
        #expect(InputLimits.describeBytes(1000) == "1000 bytes")
    }
}
