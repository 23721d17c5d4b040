import AgentCore
import FoundationEssentials
import MockLLMServer
import Testing
@testable import Providers

extension OllamaTests {
    /// `options.num_ctx` when the config sets no `contextWindow`: the model's length from
    /// `/api/show`, capped (D37), asked once per server and model.
    @Suite("Ollama num_ctx against MockLLMServer", .timeLimit(.minutes(2)))
    struct ContextWindow {
        typealias Mock = AgainstMock

        /// `options` of the request body of `request`, when it is an `/api/chat` request.
        static func options(_ request: RecordedRequest) throws -> OllamaJSONValue? {
            guard case .object(let body) = try JSONDecoder().decode(OllamaJSONValue.self, from: Data(request.body)) else {
                return nil
            }
            return body["options"]
        }

        @Test(arguments: [(8192, 8192), (32768, 32768), (131_072, OllamaProvider.defaultContextCap)])
        func withoutAContextWindowTheModelsLengthIsSentUpToTheCap(modelLength: Int, numCtx: Int) async throws {
            let server = try MockLLMServer(configuration: MockLLMConfiguration(ollamaContextLength: modelLength))
            defer { server.stop() }
            let provider = Mock.provider(server)
            let (_, error, _) = ollamaReply(await Mock.collect(provider, "hi"))
            #expect(error == nil)
            // /api/show is asked before the first request, then remembered.
            _ = await Mock.collect(provider, "again")
            #expect(server.requests.map(\.path) == ["/api/show", "/api/chat", "/api/chat"])
            for chat in server.requests.filter({ $0.path == "/api/chat" }) {
                #expect(try Self.options(chat) == .object(["num_ctx": .integer(Int64(numCtx))]))
            }
            #expect(provider.contextWindow(for: "mock-model") == numCtx)
        }

        @Test func aListingAlsoTellsTheContextAndAConfiguredWindowWins() async throws {
            let server = try MockLLMServer(configuration: MockLLMConfiguration(ollamaContextLength: 65536))
            defer { server.stop() }
            // The start-up listing (another instance) already asked /api/show: the chat does not.
            _ = try await ProviderFactory.makeProbe(config: Mock.provider(server).config).listModels()
            _ = await Mock.collect(Mock.provider(server), "hi")
            #expect(server.requests.map(\.path) == ["/api/tags", "/api/show", "/api/chat"])
            #expect(try Self.options(server.requests[2]) == .object(["num_ctx": .integer(32768)]))
            #expect(Mock.provider(server, contextWindow: 4096).contextWindow(for: "mock-model") == 4096)
        }

        @Test func anUnknownModelGetsNoNumCtx() async throws {
            let server = try MockLLMServer()
            defer { server.stop() }
            let (_, error, _) = ollamaReply(await Mock.collect(Mock.provider(server), "hi", model: "missing"))
            #expect(error == nil) // the mock streams for any model; /api/show said 404
            let chat = try #require(server.requests.first { $0.path == "/api/chat" })
            #expect(try Self.options(chat) == nil)
        }
    }
}
