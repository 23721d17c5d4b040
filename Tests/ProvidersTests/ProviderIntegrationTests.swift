import AgentCore
import FoundationEssentials
import MockLLMServer
import Testing
@testable import Providers

/// `OpenAICompatibleProvider` + `CurlTransport` against a real `MockLLMServer` socket.
@Suite("Provider against MockLLMServer", .timeLimit(.minutes(2)))
struct ProviderIntegrationTests {
    static let apiKey = "sk-test-0123456789abcdef"

    static func makeProvider(_ server: MockLLMServer, key: String? = apiKey) -> any LLMProvider {
        ProviderFactory.make(config: ProviderConfig(name: "mock", kind: .openAICompatible, apiBase: server.baseURL,
                                                    apiKey: key.map(Secret.init), headers: ["X-Extra": "1"]))
    }

    static func request(_ text: String) -> ChatRequest {
        ChatRequest(model: "mock-model", messages: [ChatMessage(role: .system, content: "Be brief."),
                                                    ChatMessage(role: .user, content: text)])
    }

    static func collect(_ provider: any LLMProvider, _ text: String) async -> [ProviderEvent] {
        var events: [ProviderEvent] = []
        for await event in provider.chatStream(request(text)) { events.append(event) }
        return events
    }

    @Test func streamsTheReplyWithUsageAndSendsTheRightRequest() async throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "Hi there, 世界 🙂!", chunkCount: 5))
        defer { server.stop() }
        let events = await Self.collect(Self.makeProvider(server), "hello")
        let (result, error) = reply(from: events)
        #expect(error == nil)
        #expect(result.text == "Hi there, 世界 🙂!")
        #expect(result.finishReason == .stop)
        #expect(result.usage?.outputTokens == 5)
        #expect(events.suffix(2).first.map { if case .usage = $0 { true } else { false } } == true)

        let recorded = try #require(server.requests.first)
        #expect(recorded.method == "POST" && recorded.path == "/v1/chat/completions")
        #expect(recorded.header("authorization") == "Bearer \(Self.apiKey)")
        #expect(recorded.header("accept") == "text/event-stream")
        #expect(recorded.header("content-type") == "application/json")
        #expect(recorded.header("x-extra") == "1")
        let body = try JSONDecoder().decode(SentBody.self, from: Data(recorded.body))
        #expect(body.stream == true)
        #expect(body.stream_options?.include_usage == true)
        #expect(body.model == "mock-model")
        #expect(body.messages.map(\.role) == ["system", "user"])
    }

    /// `[[gate]]` holds the reply after half its text until the test opens the gate.
    @Test func aGatedReplyWaitsMidStreamUntilTheGateOpens() async throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(replyText: "0123456789abcdef", chunkCount: 4))
        defer { server.stop() }
        var iterator = Self.makeProvider(server).chatStream(Self.request("[[gate]] hi")).makeAsyncIterator()
        var text = ""
        while text.count < 8, let event = await iterator.next() {
            if case .textDelta(let delta) = event { text += delta }
            if case .finish = event { Issue.record("finished before the gate opened") }
        }
        #expect(text == "01234567")
        #expect(await server.waitUntil { $0.isWaiting() })
        server.openGate()
        var rest: [ProviderEvent] = []
        while let event = await iterator.next() { rest.append(event) }
        #expect(reply(from: rest).0.text == "89abcdef")
        #expect(rest.contains { if case .usage = $0 { true } else { false } })
        #expect(!server.isWaiting())
    }

    @Test func unauthorizedCarriesTheServerMessageButNotTheKey() async throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let events = await Self.collect(Self.makeProvider(server), "[[error401]]")
        guard case .error(let error)? = events.last, events.count == 1 else { Issue.record("\(events)"); return }
        #expect(error.kind == .unauthorized)
        #expect(error.httpStatus == 401)
        #expect(error.serverMessage == "Incorrect API key provided.")
        #expect(error.url == server.baseURL + "/chat/completions")
        #expect(!error.description.contains(Self.apiKey))
    }

    @Test(arguments: [
        ("[[context-overflow]]", ProviderError.Kind.contextTooLong),
        ("[[error429]]", .rateLimited),
        ("[[error500]]", .serverError),
        ("[[midstream-error]]", .serverError),
        ("[[truncate]]", .streamInterrupted),
        ("[[empty]]", .streamInterrupted),
    ])
    func failuresBecomeOneClassifiedError(marker: String, kind: ProviderError.Kind) async throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let events = await Self.collect(Self.makeProvider(server), marker)
        let errors = events.compactMap { if case .error(let error) = $0 { error } else { nil } }
        #expect(errors.map(\.kind) == [kind])
        #expect(events.last.map { if case .error = $0 { true } else { false } } == true)
        #expect(!events.contains { if case .finish = $0 { true } else { false } })
    }

    @Test func unreachableServerNamesTheURL() async throws {
        let server = try MockLLMServer()
        let base = server.baseURL
        server.stop() // the port is now closed: connection refused
        let provider = ProviderFactory.make(config: ProviderConfig(name: "gone", kind: .openAICompatible, apiBase: base,
                                                                   maxRetries: 0))
        let events = await Self.collect(provider, "hello")
        guard case .error(let error)? = events.first, events.count == 1 else { Issue.record("\(events)"); return }
        #expect(error.kind == .unreachable)
        #expect(error.url == base + "/chat/completions")
        #expect(error.detail?.contains("127.0.0.1") == true)
        #expect(error.description.contains(base))
    }

    @Test func cancellingTheConsumerDisconnectsFromTheServer() async throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(chunkCount: 30))
        defer { server.stop() }
        let provider = Self.makeProvider(server)
        let firstText = AsyncStream.makeStream(of: String.self)
        let consumer = Task {
            for await event in provider.chatStream(Self.request("[[slow]]")) {
                if case .textDelta(let text) = event { firstText.continuation.yield(text) }
            }
        }
        var texts = firstText.stream.makeAsyncIterator()
        #expect(await texts.next() != nil)
        consumer.cancel()
        await consumer.value
        // 30 chunks 200 ms apart take 6 s to complete; a disconnect is recorded right away.
        #expect(await server.waitUntil(timeoutSeconds: 5) { $0.clientDisconnectCount == 1 })
        #expect(server.exchanges.first?.outcome == .clientDisconnected)
    }

    @Test func cancelledStreamsLeaveNoTransferThreadOrConnectionBehind() async throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(chunkCount: 30))
        defer { server.stop() }
        let threads = TransferThreadCount()
        let provider = ProviderFactory.make(config: ProviderConfig(name: "mock", kind: .openAICompatible,
                                                                   apiBase: server.baseURL),
                                            transport: CurlTransport(threads: threads))
        for _ in 0..<6 {
            let firstText = AsyncStream.makeStream(of: Void.self)
            let consumer = Task {
                // The gate is never opened: only the cancel can end these replies.
                for await event in provider.chatStream(Self.request("[[gate never]]")) {
                    if case .textDelta = event { firstText.continuation.yield() }
                }
            }
            var texts = firstText.stream.makeAsyncIterator()
            _ = await texts.next()
            consumer.cancel()
            await consumer.value
        }
        // Every transfer's thread ends (its curl handles cleaned up) and the server sees
        // every client leave.
        let deadline = ContinuousClock.now + .seconds(90)
        while threads.current > 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(threads.current == 0)
        #expect(await server.waitUntil(timeoutSeconds: 10) { $0.clientDisconnectCount == 6 })
    }

    @Test func listModelsReturnsTheServersList() async throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(models: ["alpha", "beta"]))
        defer { server.stop() }
        let models = try await Self.makeProvider(server).listModels()
        #expect(models.map(\.id) == ["alpha", "beta"])
        #expect(server.requests.first?.header("authorization") == "Bearer \(Self.apiKey)")
        #expect(server.requests.first?.path == "/v1/models")
    }

    @Test func aConfiguredContextWindowIsWhatTheListedModelsCarry() async throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let provider = ProviderFactory.make(config: ProviderConfig(name: "mock", kind: .openAICompatible,
                                                                   apiBase: server.baseURL, contextWindow: 8192))
        let models = try await provider.listModels()
        #expect(!models.isEmpty && models.allSatisfy { $0.contextWindow == 8192 })
    }

    @Test func listModelsThrowsClassifiedErrors() async throws {
        let server = try MockLLMServer()
        let provider = ProviderFactory.make(config: ProviderConfig(name: "m", kind: .openAICompatible,
                                                                   apiBase: "http://127.0.0.1:\(server.port)/nope"))
        defer { server.stop() }
        await #expect(throws: ProviderError.self) { _ = try await provider.listModels() }
        do {
            _ = try await provider.listModels()
        } catch {
            #expect(error.kind == .modelNotFound)
            #expect(error.httpStatus == 404)
        }
    }

    @Test func toolCallAndReasoningStreamThrough() async throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let events = await Self.collect(Self.makeProvider(server), #"[[reasoning]] [[tool read_file {"path":"a.txt"}]]"#)
        let (result, error) = reply(from: events)
        #expect(error == nil)
        #expect(result.reasoning == "Let me think about this request.")
        #expect(result.toolCalls[0]?.name == "read_file")
        #expect(result.toolCalls[0]?.arguments == #"{"path":"a.txt"}"#)
        #expect(result.finishReason == .toolCalls)
        #expect(events.contains(.toolCallEnd(index: 0)))
    }

    /// Measures the whole path (socket, curl thread, SSE, JSON, events) for 2,000 tokens.
    @Test func longStreamArrivesCompletely() async throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let provider = Self.makeProvider(server)
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        var text = ""
        elapsed = try await clock.measure {
            for await event in provider.chatStream(Self.request("[[long 2000]]")) {
                if case .textDelta(let piece) = event { text += piece }
                if case .error(let error) = event { throw error }
            }
        }
        #expect(text.split(separator: " ") == (0..<2000).map { "tok\($0)"[...] })
        print("2,000-token stream end to end (debug build): \(elapsed)")
    }
}

/// The request body fields the tests check.
private struct SentBody: Decodable {
    struct Options: Decodable { var include_usage: Bool? }
    struct Message: Decodable { var role: String }
    var model: String
    var stream: Bool?
    var stream_options: Options?
    var messages: [Message]
}
