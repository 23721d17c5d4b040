import Testing
@testable import AgentCore

/// `maxOutputTokens` per provider and per model (issue 14, bug 21): read, bounded, known to
/// the unknown-key check.
@Suite(.timeLimit(.minutes(2))) struct OutputLimitConfigTests {
    @Test func providerAndModelCapsAreReadAndTheModelsOwnWins() throws {
        let config = try parseConfig("""
            {"providers": {"local": {
              "apiBase": "http://127.0.0.1:8080/v1",
              "maxOutputTokens": 2048,
              "models": ["small", {"id": "looper", "maxOutputTokens": 512}, {"id": "plain"}]
            }}}
            """)
        let provider = try #require(config.providers.first)
        #expect(provider.models == ["small", "looper", "plain"])
        #expect(provider.outputLimits.limit(for: "looper") == 512)
        #expect(provider.outputLimits.limit(for: "small") == 2048)
        #expect(provider.outputLimits.limit(for: "plain") == 2048)
        #expect(config.warnings.isEmpty)
    }

    @Test func noCapConfiguredMeansNoneSent() throws {
        let config = try parseConfig(#"{"providers": {"local": {"apiBase": "http://127.0.0.1:8080/v1"}}}"#)
        #expect(config.providers.first?.outputLimits.limit(for: "any") == nil)
    }

    @Test(arguments: ["0", "-5", "1.5", "\"many\"", "2000000000"])
    func aBadCapIsAnErrorNamingTheField(value: String) {
        let error = configError(#"{"providers": {"p": {"apiBase": "http://h/v1", "maxOutputTokens": \#(value)}}}"#)
        #expect(error?.field == "providers.p.maxOutputTokens")
        let inModel = configError(
            #"{"providers": {"p": {"apiBase": "http://h/v1", "models": [{"id": "m", "maxOutputTokens": \#(value)}]}}}"#)
        #expect(inModel?.field == "providers.p.models[0].maxOutputTokens")
    }

    @Test func aModelObjectWithoutAnIdIsAnError() {
        let error = configError(#"{"providers": {"p": {"apiBase": "http://h/v1", "models": [{"name": "m"}]}}}"#)
        #expect(error?.field == "providers.p.models[0]")
    }

    @Test func typosOfTheNewKeyAreWarnedWithTheKnownKey() throws {
        let config = try parseConfig("""
            {"providers": {"p": {"apiBase": "http://h/v1", "maxOutputToken": 5,
              "models": [{"id": "m", "maxoutputtokens": 9}]}}}
            """)
        #expect(config.warnings.map(\.field) == ["providers.p.maxOutputToken", "providers.p.models[0].maxoutputtokens"])
        #expect(config.warnings.map(\.suggestion) == ["maxOutputTokens", "maxOutputTokens"])
    }
}
