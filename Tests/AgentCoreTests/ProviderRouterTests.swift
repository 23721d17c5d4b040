import Testing
@testable import AgentCore

@Suite(.timeLimit(.minutes(2))) struct ProviderRouterTests {
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

    @Test func probesDecideTheFirstAvailableInOrderWithoutWaitingForLaterOnes() {
        let third = ProviderConfig(name: "groq", kind: .openAICompatible, apiBase: "https://api.groq.com/openai/v1")
        let router = ProviderRouter(config: AppConfig(providers: [local, cloud, third]))
        #expect(router.choosesFirstAvailable)
        // Nothing answered yet, or only a later provider: the first may still answer.
        #expect(router.defaultProvider(answered: [:]) == .waiting)
        #expect(router.defaultProvider(answered: ["openai": true]) == .waiting)
        // The first answered: chosen at once, whatever the others do.
        #expect(router.defaultProvider(answered: ["local": true]) == .chosen(local))
        // The first is down: the next that answers, once those before it have failed.
        #expect(router.defaultProvider(answered: ["local": false]) == .waiting)
        #expect(router.defaultProvider(answered: ["local": false, "openai": true]) == .chosen(cloud))
        #expect(router.defaultProvider(answered: ["local": false, "openai": false, "groq": true]) == .chosen(third))
        #expect(router.defaultProvider(answered: ["local": false, "groq": true]) == .waiting)
        // All down: the first, as before probing.
        #expect(router.defaultProvider(answered: ["local": false, "openai": false, "groq": false]) == .chosen(local))
    }

    @Test func aConfiguredDefaultIsNeverReplacedByProbes() {
        let router = ProviderRouter(config: AppConfig(providers: [local, cloud], defaultProvider: "local"))
        #expect(!router.choosesFirstAvailable)
        #expect(router.defaultProvider(answered: [:]) == .chosen(local))
        #expect(router.defaultProvider(answered: ["local": false, "openai": true]) == .chosen(local))
        // One provider: nothing to choose between.
        #expect(!ProviderRouter(config: AppConfig(providers: [local])).choosesFirstAvailable)
        #expect(ProviderRouter(config: AppConfig()).defaultProvider(answered: [:]) == .chosen(nil))
    }

    @Test func detectedServersTakePartAfterConfiguredOnes() {
        var router = ProviderRouter(config: AppConfig(providers: [cloud]))
        #expect(!router.choosesFirstAvailable)
        router.addDetected(ProviderRouter.localCandidates[0])
        #expect(router.choosesFirstAvailable)
        #expect(router.defaultProvider(answered: ["openai": false, "ollama": true]).chosenName == "ollama")
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

extension ProviderRouter.DefaultChoice {
    /// The chosen provider's name (`nil` while waiting or when there are none).
    var chosenName: String? {
        if case .chosen(let config) = self { config?.name } else { nil }
    }
}
