import AgentCore
import FoundationEssentials
import Testing
@testable import Providers

@Suite("Provider presets", .timeLimit(.minutes(2)))
struct PresetTests {
    static let okBody = sse([chunk(#""content":"ok""#, finish: #""stop""#), "[DONE]"])

    /// Sends one chat request through a provider built for `config` and returns what went out.
    static func sentRequest(_ config: ProviderConfig, environment: [String: String] = [:]) async throws -> HTTPRequest {
        let transport = CannedTransport(body: okBody)
        let provider = OpenAICompatibleProvider(config: config, baseURL: ProviderFactory.openAIBaseURL(for: config),
                                                transport: transport, environment: environment)
        _ = try await provider.chat(ChatRequest(model: "m", messages: [ChatMessage(role: .user, content: "hi")]))
        return try #require(transport.sent.withLock { $0.first })
    }

    @Test func openRouterSendsAttributionHeaders() async throws {
        let sent = try await Self.sentRequest(ProviderConfig(name: "or", kind: .openRouter, apiBase: "",
                                                             apiKey: Secret("sk-or-key")))
        #expect(sent.url == "https://openrouter.ai/api/v1/chat/completions")
        #expect(sent.header("http-referer") == "https://github.com/swiftcoder/swiftcoder")
        #expect(sent.header("x-title") == "swiftcoder")
        #expect(sent.header("authorization") == "Bearer sk-or-key")
    }

    @Test func configuredHeadersOverrideThePreset() async throws {
        let config = ProviderConfig(name: "or", kind: .openRouter, apiBase: "",
                                    headers: ["x-title": "my app", "X-Other": "1"])
        let sent = try await Self.sentRequest(config)
        #expect(sent.headers.filter { $0.name.lowercased() == "x-title" }.map(\.value) == ["my app"])
        #expect(sent.header("http-referer") == "https://github.com/swiftcoder/swiftcoder")
        #expect(sent.header("x-other") == "1")
    }

    @Test func otherKindsGetNoAttributionHeaders() async throws {
        let sent = try await Self.sentRequest(ProviderConfig(name: "oa", kind: .openAI, apiBase: ""))
        #expect(sent.header("http-referer") == nil && sent.header("x-title") == nil)
    }

    @Test func githubModelsTakesTheKeyFromGithubToken() async throws {
        let config = ProviderConfig(name: "gh", kind: .githubModels, apiBase: "")
        let sent = try await Self.sentRequest(config, environment: ["GITHUB_TOKEN": "ghp_token123"])
        #expect(sent.url == "https://models.github.ai/inference/chat/completions")
        #expect(sent.header("authorization") == "Bearer ghp_token123")

        let keyed = ProviderConfig(name: "gh", kind: .githubModels, apiBase: "", apiKey: Secret("explicit"))
        let explicit = try await Self.sentRequest(keyed, environment: ["GITHUB_TOKEN": "ghp_token123"])
        #expect(explicit.header("authorization") == "Bearer explicit")

        let missing = try await Self.sentRequest(config, environment: [:])
        #expect(missing.header("authorization") == nil)
    }

    @Test func githubTokenIsOnlyReadForGithubModels() {
        let config = ProviderConfig(name: "oa", kind: .openAI, apiBase: "")
        #expect(ProviderPresets.apply(to: config, environment: ["GITHUB_TOKEN": "ghp_x"]).apiKey == nil)
    }

    @Test(arguments: [
        (ProviderKind.lmStudio, "", nil, 600.0, 30.0), (.llamaCpp, "", nil, 600, 30), (.ollama, "", nil, 600, 30),
        (.openAI, "", nil, 180, 10), (.openRouter, "", nil, 180, 10), (.lmStudio, "", 42, 42, 30),
        // The generic type on this machine is a local server (it may load a model for minutes).
        (.openAICompatible, "http://127.0.0.1:8000/v1", nil, 600, 30),
        (.openAICompatible, "http://localhost:1234/v1", nil, 600, 30),
        (.openAICompatible, "http://[::1]:8080/v1", nil, 600, 30),
        (.openAICompatible, "http://127.0.0.1:8000/v1", 42, 42, 30),
        (.openAICompatible, "https://api.groq.com/openai/v1", nil, 180, 10),
        (.openAICompatible, "http://192.168.1.20:8080/v1", nil, 180, 10),
        // Only the generic type: an `openai` entry pointed at a local proxy keeps cloud timings.
        (.openAI, "http://127.0.0.1:4000/v1", nil, 180, 10),
    ] as [(ProviderKind, String, Double?, Double, Double)])
    func timeoutsDependOnWhereTheServerRuns(kind: ProviderKind, apiBase: String, configured: Double?, idle: Double,
                                            connect: Double) async throws {
        let config = ProviderConfig(name: "t", kind: kind, apiBase: apiBase, timeoutSeconds: configured)
        let sent = try await Self.sentRequest(config)
        #expect(sent.idleTimeout == idle)
        #expect(sent.connectTimeout == connect)
    }

    @Test(arguments: [
        ("http://127.0.0.1:8080/v1", true), ("http://127.1.2.3", true), ("http://LOCALHOST:11434", true),
        ("http://[::1]:8080/v1", true), ("http://user:pw@localhost:9/v1", true), ("localhost:8080", true),
        ("http://127.0.0.1.example.com/v1", false), ("http://localhost.example.com", false),
        ("http://10.0.0.5:8080", false), ("https://api.openai.com/v1", false), ("", false),
        ("http://example.com/?next=http://localhost", false),
    ])
    func loopbackHostsAreRecognized(url: String, loopback: Bool) {
        #expect(ProviderPresets.isLoopback(url) == loopback, "\(url)")
    }

    @Test func probesConnectQuicklyAndTryOnce() throws {
        for kind in [ProviderKind.openAICompatible, .ollama, .lmStudio] {
            let config = ProviderConfig(name: "p", kind: kind, apiBase: "http://127.0.0.1:9/v1")
            let probe = ProviderFactory.makeProbe(config: config)
            if let openAI = probe as? OpenAICompatibleProvider {
                #expect(openAI.connectTimeout == ProviderPresets.probeConnectTimeout)
                #expect(openAI.retryPolicy == .never)
            } else {
                let ollama = try #require(probe as? OllamaProvider)
                #expect(ollama.connectTimeout == ProviderPresets.probeConnectTimeout)
                #expect(ollama.retryPolicy == .never)
            }
        }
        #expect(ProviderPresets.probeConnectTimeout <= 2)
    }
}
