import Testing
@testable import AgentCore

@Suite struct ProviderRouterTests {
    let local = ProviderConfig(name: "local", kind: .openAICompatible, apiBase: "http://127.0.0.1:8080/v1", model: "q")
    let cloud = ProviderConfig(name: "openai", kind: .openAI, apiBase: "https://api.openai.com/v1", model: "gpt")

    @Test func configuredDefaultWins() {
        let router = ProviderRouter(config: AppConfig(providers: [local, cloud], defaultProvider: "openai"))
        #expect(router.defaultProvider()?.name == "openai")
    }

    @Test func withoutADefaultTheFirstAvailableIsUsed() {
        let router = ProviderRouter(config: AppConfig(providers: [local, cloud]))
        #expect(router.defaultProvider { $0.name != "local" }?.name == "openai")
        #expect(router.defaultProvider { _ in false }?.name == "local")
    }

    @Test func candidatesSkipServersAlreadyConfigured() {
        let router = ProviderRouter(config: AppConfig(providers: [local]))
        // llama.cpp's default (localhost:8080) is the configured "local" server.
        #expect(router.candidatesToProbe.map(\.name) == ["ollama", "lmstudio"])
    }

    @Test func detectedServersFollowConfiguredOnes() {
        var router = ProviderRouter(config: AppConfig(providers: [cloud]))
        router.addDetected(ProviderRouter.localCandidates[0])
        router.addDetected(ProviderRouter.localCandidates[0])
        #expect(router.providers.map(\.name) == ["openai", "ollama"])
        #expect(router.detectedNames == ["ollama"])
    }

    @Test func unknownNameListsTheAvailableOnes() {
        let router = ProviderRouter(config: AppConfig(providers: [local, cloud]))
        #expect(throws: RouterError(requested: "nope", available: ["local", "openai"])) {
            try router.provider(named: "nope")
        }
        #expect(RouterError(requested: "x", available: []).description == "unknown provider \"x\"; available: none")
    }

    @Test func serverKeysIgnorePathAndLoopbackSpelling() {
        #expect(ProviderRouter.serverKey("http://localhost:11434") == ProviderRouter.serverKey("http://127.0.0.1:11434/v1"))
        #expect(ProviderRouter.serverKey("http://127.0.0.1:1234/v1") != ProviderRouter.serverKey("http://127.0.0.1:8080/v1"))
    }
}
