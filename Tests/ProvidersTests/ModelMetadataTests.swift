import AgentCore
import FoundationEssentials
import MockLLMServer
import Synchronization
import Testing
@testable import Providers

/// Answers by URL: a body per known URL, 404 for others (or a transport failure when asked).
private final class RoutedTransport: HTTPTransport {
    let routes: [String: String]
    let failing: Set<String>
    let requested = Mutex<[String]>([])

    init(_ routes: [String: String], failing: Set<String> = []) {
        self.routes = routes
        self.failing = failing
    }

    func start(_ request: HTTPRequest, onEvent: @escaping @Sendable (TransportEvent) -> Bool) -> TransferHandle {
        requested.withLock { $0.append(request.url) }
        let events: [TransportEvent]
        if failing.contains(request.url) {
            events = [.failure(TransportFailure(kind: .unreachable, code: 7, message: "refused"))]
        } else if let body = routes[request.url] {
            events = [.response(status: 200, headers: [:]), .bytes(Array(body.utf8)), .end]
        } else {
            events = [.response(status: 404, headers: [:]), .bytes(Array(#"{"error":"nope"}"#.utf8)), .end]
        }
        for event in events where !onEvent(event) { break }
        return TransferHandle {}
    }
}

private let openRouterModels = """
{"data":[
 {"id":"meta/free:free","context_length":131072,"pricing":{"prompt":"0","completion":"0"},
  "top_provider":{"max_completion_tokens":null},"supported_parameters":["max_tokens","temperature"]},
 {"id":"anthropic/paid","context_length":200000,"pricing":{"prompt":"0.000003","completion":"0.000015"},
  "top_provider":{"max_completion_tokens":64000},"supported_parameters":["tools","tool_choice"]},
 {"id":"openrouter/auto","context_length":2000000,"pricing":{"prompt":"-1","completion":"-1"},
  "top_provider":{"max_completion_tokens":null}}
]}
"""

private func provider(_ kind: ProviderKind, base: String, transport: any HTTPTransport) -> OpenAICompatibleProvider {
    var provider = OpenAICompatibleProvider(config: ProviderConfig(name: "t", kind: kind, apiBase: base),
                                            transport: transport, environment: [:])
    provider.retryPolicy = RetryPolicy(maxRetries: 0)
    return provider
}

@Suite("Model metadata", .timeLimit(.minutes(2)))
struct ModelMetadataTests {
    @Test func openRouterPricingToolsAndLimits() async throws {
        let transport = RoutedTransport(["https://openrouter.ai/api/v1/models": openRouterModels])
        let models = try await provider(.openRouter, base: "https://openrouter.ai/api/v1", transport: transport)
            .listModels()
        #expect(models.map(\.id) == ["meta/free:free", "anthropic/paid", "openrouter/auto"])
        let free = models[0], paid = models[1], router = models[2]
        #expect(free.pricing == ModelPricing(inputPerMillion: 0, outputPerMillion: 0))
        #expect(free.supportsTools == false)
        #expect(free.maxOutputTokens == nil)
        #expect(free.contextWindow == 131072)
        #expect(paid.pricing?.inputPerMillion == Decimal(3))
        #expect(paid.pricing?.outputPerMillion == Decimal(15))
        #expect(paid.supportsTools == true)
        #expect(paid.maxOutputTokens == 64000)
        #expect(router.pricing == nil)
        #expect(router.supportsTools == nil)
        #expect(transport.requested.withLock { $0 } == ["https://openrouter.ai/api/v1/models"])
    }

    @Test func openRouterCacheReadCacheWriteAndReasoningRates() throws {
        let body = #"""
            {"data":[
             {"id":"anthropic/claude-sonnet-4","pricing":{"prompt":"0.000003","completion":"0.000015",
              "input_cache_read":"0.0000003","input_cache_write":"0.00000375","internal_reasoning":"0.00002"}},
             {"id":"openai/o3","pricing":{"prompt":"0.000002","completion":"0.000008","input_cache_read":"0.0000005",
              "internal_reasoning":"0"}},
             {"id":"free/model:free","pricing":{"prompt":"0","completion":"0","input_cache_read":"0","internal_reasoning":"0"}}
            ]}
            """#
        let models = try #require(ModelMetadata.parseModelList(Array(body.utf8)))
        #expect(models[0].pricing == ModelPricing(inputPerMillion: 3, outputPerMillion: 15,
                                                  cachedInputPerMillion: Decimal(string: "0.3"),
                                                  cacheWritePerMillion: Decimal(string: "3.75"), reasoningPerMillion: 20))
        // A "0" reasoning rate next to a paid output rate: reasoning is billed as output.
        #expect(models[1].pricing == ModelPricing(inputPerMillion: 2, outputPerMillion: 8,
                                                  cachedInputPerMillion: Decimal(string: "0.5")))
        #expect(models[2].pricing == ModelPricing(inputPerMillion: 0, outputPerMillion: 0, cachedInputPerMillion: 0,
                                                  reasoningPerMillion: 0))
    }

    @Test func perMillionIsExact() {
        #expect(ModelMetadata.perMillion(fromPerToken: "0.000003") == Decimal(3))
        #expect(ModelMetadata.perMillion(fromPerToken: "0.0000000375") == Decimal(string: "0.0375"))
        #expect(ModelMetadata.perMillion(fromPerToken: "0") == Decimal(0))
        #expect(ModelMetadata.perMillion(fromPerToken: "-1") == nil)
        #expect(ModelMetadata.perMillion(fromPerToken: "n/a") == nil)
    }

    @Test func genericContextFields() {
        let body = #"{"data":[{"id":"a","context_window":8192},{"id":"b","max_model_len":32768},{"id":"c"}]}"#
        let models = ModelMetadata.parseModelList(Array(body.utf8))
        #expect(models?.map(\.contextWindow) == [8192, 32768, nil])
    }

    @Test func lmStudioAddsContextStateAndType() async throws {
        let fixture = SharedFixtures.directory + "/lmstudio/lmstudio-docs__api_v0_models.RECONSTRUCTED.json"
        let v0 = FileManager.default.contents(atPath: fixture).map { String(decoding: $0, as: UTF8.self) }
            ?? #"{"data":[{"id":"meta-llama-3.1-8b-instruct","type":"llm","state":"loaded","max_context_length":131072},"#
            + #"{"id":"qwen2-vl-7b-instruct","type":"vlm","state":"not-loaded","max_context_length":32768}]}"#
        let list = #"{"data":[{"id":"meta-llama-3.1-8b-instruct"},{"id":"qwen2-vl-7b-instruct"},{"id":"other"}]}"#
        let transport = RoutedTransport(["http://h:1234/v1/models": list, "http://h:1234/api/v0/models": v0])
        let models = try await provider(.lmStudio, base: "http://h:1234/v1", transport: transport).listModels()
        #expect(models.count == 3)
        #expect(models[0].contextWindow == 131072)
        #expect(models[0].modelType == "llm")
        #expect(models[0].isLoaded != nil)
        #expect(models[1].contextWindow == 32768)
        #expect(models[1].modelType == "vlm")
        #expect(models[1].isLoaded == false)
        #expect(models[2] == ModelInfo(id: "other", supportsStreaming: true))
    }

    @Test func lmStudioLoadedState() {
        let body = #"{"data":[{"id":"m","state":"loaded","type":"llm","max_context_length":4096}]}"#
        #expect(ModelMetadata.parseLMStudioModels(Array(body.utf8))
                    == [ModelInfo(id: "m", contextWindow: 4096, supportsStreaming: true, isLoaded: true, modelType: "llm")])
    }

    @Test func llamaCppPropsContext() async throws {
        let list = #"{"object":"list","data":[{"id":"gpt-oss-20b","meta":{"n_ctx_train":131072}}]}"#
        let props = #"{"default_generation_settings":{"n_ctx":16384,"params":{}},"total_slots":1}"#
        let transport = RoutedTransport(["http://h:8080/v1/models": list, "http://h:8080/props": props])
        let models = try await provider(.llamaCpp, base: "http://h:8080/v1", transport: transport).listModels()
        #expect(models == [ModelInfo(id: "gpt-oss-20b", contextWindow: 16384, supportsStreaming: true)])
        #expect(ModelMetadata.parseLlamaCppContext(Array(#"{"n_ctx":4096}"#.utf8)) == 4096)
    }

    @Test(arguments: [false, true])
    func failingMetadataCallLeavesListingWorking(transportFailure: Bool) async throws {
        let list = #"{"data":[{"id":"m"}]}"#
        let failing: Set<String> = transportFailure ? ["http://h:8080/props", "http://h:1234/api/v0/models"] : []
        let transport = RoutedTransport(["http://h:8080/v1/models": list, "http://h:1234/v1/models": list],
                                        failing: failing)
        let llama = try await provider(.llamaCpp, base: "http://h:8080/v1", transport: transport).listModels()
        let studio = try await provider(.lmStudio, base: "http://h:1234/v1", transport: transport).listModels()
        #expect(llama == [ModelInfo(id: "m", supportsStreaming: true)])
        #expect(studio == [ModelInfo(id: "m", supportsStreaming: true)])
    }

    @Test func defaultModelInfoAndAvailability() async throws {
        let transport = RoutedTransport(["https://openrouter.ai/api/v1/models": openRouterModels])
        let router = provider(.openRouter, base: "https://openrouter.ai/api/v1", transport: transport)
        #expect(try await router.modelInfo(id: "anthropic/paid").contextWindow == 200000)
        #expect(try await router.modelInfo(id: "missing") == ModelInfo(id: "missing"))
        #expect(await router.isAvailable())
        let down = provider(.openAI, base: "http://h:9/v1", transport: RoutedTransport([:]))
        #expect(await down.isAvailable() == false)
    }

    @Test func streamingFromTypesModalitiesAndTheWireFormat() async throws {
        let body = #"{"data":[{"id":"a","type":"llm"},{"id":"b","type":"vlm"},{"id":"c","type":"embeddings"},"#
            + #"{"id":"d","architecture":{"output_modalities":["text"]}},"#
            + #"{"id":"e","architecture":{"output_modalities":["image"]}},{"id":"f"}]}"#
        let parsed = try #require(ModelMetadata.parseModelList(Array(body.utf8)))
        #expect(parsed.map(\.supportsStreaming) == [true, true, false, true, false, nil])
        // What the server did not say: chat streams on both wire formats, embedding models do not chat.
        #expect(["gpt-4o", "text-embedding-3-small", "nomic-embed-text:latest"]
            .map { ModelMetadata.fillingStreaming(ModelInfo(id: $0)).supportsStreaming } == [true, false, false])
        #expect(ModelMetadata.fillingStreaming(ModelInfo(id: "x", supportsStreaming: false)).supportsStreaming == false)
        let transport = RoutedTransport(["http://h:1/v1/models": body])
        let listed = try await provider(.openAICompatible, base: "http://h:1/v1", transport: transport).listModels()
        #expect(listed.map(\.supportsStreaming) == [true, true, false, true, false, true])
    }

    @Test func serverRoot() {
        #expect(ModelMetadata.serverRoot(of: "http://h:1234/v1/") == "http://h:1234")
        #expect(ModelMetadata.serverRoot(of: "http://h:8080") == "http://h:8080")
    }
}

@Suite("Model metadata against the mock server", .timeLimit(.minutes(2)))
struct ModelMetadataMockTests {
    @Test func llamaCppAndLMStudioRoutes() async throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(models: ["alpha", "beta"]))
        defer { server.stop() }
        let llama = try await provider(.llamaCpp, base: server.baseURL, transport: CurlTransport()).listModels()
        #expect(llama.map(\.contextWindow) == [MockMetadata.llamaCppContext, MockMetadata.llamaCppContext])
        let studio = try await provider(.lmStudio, base: server.baseURL, transport: CurlTransport()).listModels()
        #expect(studio == [
            ModelInfo(id: "alpha", contextWindow: MockMetadata.lmStudioContext, supportsStreaming: true, isLoaded: true,
                      modelType: "llm"),
            ModelInfo(id: "beta", contextWindow: MockMetadata.lmStudioContext, supportsStreaming: true, isLoaded: false,
                      modelType: "llm"),
        ])
    }
}
