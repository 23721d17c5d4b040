import AgentCore
import FoundationEssentials
import MockLLMServer
import Testing
@testable import Providers

// Ollama's native API: NDJSON splitting, line decoding (recorded fixtures and synthetic
// lines), and `OllamaProvider` + `CurlTransport` against the mock server's Ollama routes.

/// Folds events into a reply, keeping the error and counting terminal events.
func ollamaReply(_ events: [ProviderEvent]) -> (reply: ChatReply, error: ProviderError?, terminals: Int) {
    var reply = ChatReply()
    var error: ProviderError?
    var terminals = 0
    for event in events {
        switch event {
        case .error(let failure):
            error = failure
            terminals += 1
        case .finish: terminals += 1
        default: break
        }
        reply.apply(event)
    }
    return (reply, error, terminals)
}

/// Groups every Ollama suite under one name (`swift test --filter OllamaTests`).
@Suite("Ollama native API", .timeLimit(.minutes(2)))
enum OllamaTests {}

extension OllamaTests {
    @Suite("NDJSON line splitter", .timeLimit(.minutes(2)))
    struct LineSplitter {
        static let text = "{\"a\":\"héllo\"}\n{\"b\":\"世界 🙂\"}\r\n\n{\"c\":3}"
        static let expected = [#"{"a":"héllo"}"#, #"{"b":"世界 🙂"}"#, #"{"c":3}"#]

        static func lines(_ pieces: [[UInt8]]) -> [String] {
            var splitter = NDJSONLineSplitter()
            var lines: [[UInt8]] = []
            for piece in pieces { lines += splitter.feed(piece) }
            lines += splitter.finish()
            return lines.map { String(decoding: $0, as: UTF8.self) }
        }

        @Test func wholeInputGivesEveryLineAndFlushesTheLastOne() {
            #expect(Self.lines([Array(Self.text.utf8)]) == Self.expected)
        }

        @Test func byteByByteKeepsMultibyteCharactersIntact() {
            #expect(Self.lines(Array(Self.text.utf8).map { [$0] }) == Self.expected)
        }

        @Test(arguments: 1...20 as ClosedRange<UInt64>)
        func randomSplitsGiveTheSameLines(seed: UInt64) {
            #expect(Self.lines(randomSplits(Array(Self.text.utf8), seed: seed, maxPiece: 5)) == Self.expected)
        }

        @Test func nothingIsReturnedBeforeTheLineEnds() {
            var splitter = NDJSONLineSplitter()
            #expect(splitter.feed(Array("{\"x\":".utf8)).isEmpty)
            #expect(splitter.hasPartialLine)
            #expect(splitter.feed(Array("1}\n".utf8)).map { String(decoding: $0, as: UTF8.self) } == [#"{"x":1}"#])
            #expect(!splitter.hasPartialLine)
            #expect(splitter.finish().isEmpty)
        }
    }
}

/// The recorded `/api/chat` bodies in `../shared/fixtures/ollama` and what they decode to.
enum OllamaFixtures {
    static let directory: String = {
        var components = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(3) // Tests/ProvidersTests/OllamaTests.swift
        return (components + ["..", "shared", "fixtures", "ollama"]).joined(separator: "/")
    }()

    static func read(_ name: String) -> [UInt8]? {
        FileManager.default.contents(atPath: directory + "/" + name).map { Array($0) }
    }

    static var available: Bool { read("ollama-docs__api_chat_stream_tools.RECONSTRUCTED.ndjson") != nil }

    struct Expectation: Sendable, CustomStringConvertible {
        var file: String
        var text: String
        var tool: (name: String, arguments: String)?
        var usage: TokenUsage
        var finish: FinishReason
        var description: String { file }
    }

    static let llama3Joke = "Why did the OpenTelemetry agent go to therapy?\n\nBecause it was feeling traced out "
        + "and needed some instrumentation in its life!\n\n(Sorry, I know it's a bit of a stretch, but I hope it "
        + "brought a smile to your face!)"

    static let chatStreams: [Expectation] = [
        Expectation(file: "ollama-docs__api_chat_stream_first_and_final.RECONSTRUCTED.ndjson", text: "The",
                    usage: TokenUsage(inputTokens: 26, outputTokens: 282), finish: .stop),
        Expectation(file: "ollama-docs__api_chat_stream_tools.RECONSTRUCTED.ndjson", text: "",
                    tool: ("get_weather", #"{"city":"Tokyo"}"#),
                    usage: TokenUsage(inputTokens: 169, outputTokens: 15), finish: .toolCalls),
        Expectation(file: "openllmetry__api_chat_stream_llama3.ndjson", text: llama3Joke,
                    usage: TokenUsage(inputTokens: 17, outputTokens: 50), finish: .stop),
        // Non-streamed replies are one `done: true` object: the same decoder reads them.
        Expectation(file: "openllmetry__api_chat_nonstream.json",
                    text: "A joke about OpenTelemetry!\n\nWhy did the OpenTelemetry agent go to therapy?",
                    usage: TokenUsage(inputTokens: 17, outputTokens: 66), finish: .stop),
        Expectation(file: "openllmetry__api_chat_after_tool_result.json",
                    text: "This is a simple example, but in a real-world scenario",
                    usage: TokenUsage(inputTokens: 44, outputTokens: 113), finish: .stop),
    ]
}

extension OllamaTests {
    @Suite("Ollama recorded fixtures", .timeLimit(.minutes(2)), .enabled(if: OllamaFixtures.available,
                                                "needs ../shared/fixtures/ollama next to the package"))
    struct RecordedFixtures {
        @Test(arguments: OllamaFixtures.chatStreams)
        func chatStreamDecodes(_ expected: OllamaFixtures.Expectation) throws {
            let bytes = try #require(OllamaFixtures.read(expected.file))
            let events = feedEveryWay(bytes, format: .ndjson, seeds: [7])
            let (reply, error, terminals) = ollamaReply(events)
            #expect(error == nil)
            #expect(terminals == 1)
            #expect(reply.text.hasPrefix(expected.text))
            if expected.file.hasSuffix(".ndjson") { #expect(reply.text == expected.text) }
            #expect(reply.usage == expected.usage)
            #expect(reply.finishReason == expected.finish)
            #expect(events.suffix(2) == [.usage(expected.usage), .finish(expected.finish)])
            if let tool = expected.tool {
                #expect(reply.toolCalls[0] == ToolCall(id: "call_0", name: tool.name, arguments: tool.arguments))
                #expect(events.contains(.toolCallEnd(index: 0)))
            } else {
                #expect(reply.toolCalls.isEmpty)
            }
        }

        @Test func midstreamErrorLineBecomesTheOneError() throws {
            let bytes = try #require(OllamaFixtures.read("ollama-docs__api_generate_stream_midstream_error.ndjson"))
            let (_, error, terminals) = ollamaReply(feedEveryWay(bytes, format: .ndjson, seeds: [7]))
            #expect(terminals == 1)
            #expect(error?.kind == .serverError)
            #expect(error?.serverMessage == "an error was encountered while running the model")
        }

        @Test func modelNotFoundBodyIsClassified() throws {
            let name = "ollama-source__api_chat_404_model_not_found.RECONSTRUCTED.json"
            let bytes = try #require(OllamaFixtures.read(name))
            let events = readerEvents([bytes], format: .ndjson, status: 404)
            guard case .error(let error)? = events.first, events.count == 1 else { Issue.record("\(events)"); return }
            #expect(error.kind == .modelNotFound)
            #expect(error.httpStatus == 404)
            #expect(error.serverMessage == "model 'llama3.2:nonexistent' not found")
        }

        @Test func tagsListNamesEveryModel() throws {
            let bytes = try #require(OllamaFixtures.read("ollama-docs__api_tags.RECONSTRUCTED.json"))
            let list = try JSONDecoder().decode(OllamaTagList.self, from: Data(bytes))
            #expect(list.ids == ["deepseek-r1:latest", "llama3.2:latest"])
        }
    }
}

extension OllamaTests {
    @Suite("Ollama line decoding", .timeLimit(.minutes(2)))
    struct LineDecoding {
        static func lines(_ json: [String]) -> [UInt8] { Array(json.map { $0 + "\n" }.joined().utf8) }

        @Test func thinkingTextToolCallsAndUsageInOrder() {
            let body = Self.lines([
                #"{"message":{"role":"assistant","content":"","thinking":"Hmm"},"done":false}"#,
                #"{"message":{"role":"assistant","content":"Hi"},"done":false}"#,
                #"{"message":{"role":"assistant","content":"","tool_calls":["#
                    + #"{"function":{"name":"a","arguments":{"n":1,"s":"x/y"}}},"#
                    + #"{"function":{"name":"b","arguments":{}}}]},"done":false}"#,
                #"{"message":{"role":"assistant","content":""},"done":true,"done_reason":"length","eval_count":4}"#,
            ])
            let events = feedEveryWay(body, format: .ndjson)
            #expect(events == [
                .reasoningDelta("Hmm"), .textDelta("Hi"),
                .toolCallStart(index: 0, id: "call_0", name: "a"),
                .toolCallArgumentsDelta(index: 0, fragment: #"{"n":1,"s":"x/y"}"#), .toolCallEnd(index: 0),
                .toolCallStart(index: 1, id: "call_1", name: "b"),
                .toolCallArgumentsDelta(index: 1, fragment: "{}"), .toolCallEnd(index: 1),
                .usage(TokenUsage(inputTokens: 0, outputTokens: 4)), .finish(.length),
            ])
        }

        @Test func bareErrorLineEndsTheStreamWithItsMessage() {
            let body = Self.lines([#"{"message":{"content":"par"},"done":false}"#, #"{"error":"out of memory"}"#,
                                   #"{"message":{"content":"ignored"},"done":false}"#])
            let events = feedEveryWay(body, format: .ndjson)
            #expect(events.first == .textDelta("par"))
            guard case .error(let error)? = events.last, events.count == 2 else { Issue.record("\(events)"); return }
            #expect(error.serverMessage == "out of memory")
            #expect(error.httpStatus == nil)
        }

        @Test func streamWithoutDoneIsInterrupted() {
            let events = feedEveryWay(Self.lines([#"{"message":{"content":"Hel"},"done":false}"#]), format: .ndjson)
            #expect(events.first == .textDelta("Hel"))
            guard case .error(let error)? = events.last, events.count == 2 else { Issue.record("\(events)"); return }
            #expect(error.kind == .streamInterrupted)
        }

        @Test func emptyAndNonJSONBodiesAreErrors() {
            func kinds(_ events: [ProviderEvent]) -> [ProviderError.Kind?] {
                events.map { event -> ProviderError.Kind? in
                    if case .error(let error) = event { error.kind } else { nil }
                }
            }
            #expect(kinds(feedEveryWay([], format: .ndjson)) == [.streamInterrupted])
            let html = feedEveryWay(Array("<html>bad gateway</html>".utf8), format: .ndjson)
            #expect(kinds(html) == [.badResponse])
            guard case .error(let error)? = html.last else { return }
            #expect(error.detail == "the reply was not NDJSON: <html>bad gateway</html>")
        }

        @Test func anUnreadableLineEndsTheStreamAndBlankLinesAreIgnored() {
            // As an unreadable SSE chunk does (D35): part of the reply is lost, so the turn fails.
            let body = Array(("{\"message\":{\"content\":\"par\"},\"done\":false}\n\n  \r\n"
                + "{\"message\":{\"content\":\"tia\"},\"done\":false}\n"
                + "{\"message\":{\"content\":\"l cut\n"
                + "{\"message\":{\"content\":\"ignored\"},\"done\":true}\n").utf8)
            let events = feedEveryWay(body, format: .ndjson)
            #expect(events.first == .textDelta("partia"))
            guard case .error(let error)? = events.last, events.count == 2 else { Issue.record("\(events)"); return }
            #expect(error.kind == .badResponse)
            #expect(error.detail == #"unreadable stream line: {"message":{"content":"l cut"#)
        }

        @Test func everyFeedingGivesTheSameRepliesForToolCallsAndThinking() {
            let body = Self.lines([
                #"{"message":{"role":"assistant","content":"<think>plan 🙂</think>\n\nDone: 世界"},"done":false}"#,
                #"{"message":{"role":"assistant","content":"","tool_calls":[{"id":"t1","function":{"index":0,"#
                    + #""name":"read_file","arguments":{"path":"a.txt"}}}]},"done":false}"#,
                #"{"message":{"content":""},"done":true,"prompt_eval_count":12,"eval_count":7}"#,
            ])
            #expect(feedEveryWay(body, format: .ndjson) == [
                .reasoningDelta("plan 🙂"), .textDelta("Done: 世界"),
                .toolCallStart(index: 0, id: "t1", name: "read_file"),
                .toolCallArgumentsDelta(index: 0, fragment: #"{"path":"a.txt"}"#), .toolCallEnd(index: 0),
                .usage(TokenUsage(inputTokens: 12, outputTokens: 7)), .finish(.toolCalls),
            ])
        }

        @Test func requestBodyUsesOllamaShapes() throws {
            let request = ChatRequest(model: "llama3.2", messages: [
                ChatMessage(role: .user, content: "weather?"),
                ChatMessage(role: .assistant, content: "", toolCalls: [ToolCall(id: "c1", name: "get_weather",
                                                                                  arguments: #"{"city":"Tokyo"}"#)]),
                ChatMessage(role: .tool, content: "sunny", toolCallID: "c1"),
            ], maxOutputTokens: 100)
            let body = try OllamaChatBody(request: request, contextWindow: 8192).encoded()
            let json = try JSONDecoder().decode(OllamaJSONValue.self, from: Data(body))
            guard case .object(let root) = json, case .array(let messages)? = root["messages"] else {
                Issue.record("\(json)"); return
            }
            #expect(root["stream"] == .bool(true))
            #expect(root["options"] == .object(["num_ctx": .integer(8192), "num_predict": .integer(100)]))
            let call = OllamaJSONValue.object(["function": .object(["name": .string("get_weather"),
                                                                    "arguments": .object(["city": .string("Tokyo")])])])
            #expect(messages[1] == .object(["role": .string("assistant"), "content": .string(""),
                                            "tool_calls": .array([call])]))
            #expect(messages[2] == .object(["role": .string("tool"), "content": .string("sunny"),
                                            "tool_name": .string("get_weather")]))
        }

        @Test func showResponseFindsAnyContextLengthKey() throws {
            let decode = { (json: String) in try JSONDecoder().decode(OllamaShowResponse.self, from: Data(json.utf8)) }
            let fallback = try decode(#"{"model_info":{"llama.context_length":131072},"capabilities":["completion"]}"#)
            #expect(fallback.modelInfo(id: "m") == ModelInfo(id: "m", contextWindow: 131072, supportsTools: false,
                                                              supportsStreaming: true))
            let named = try decode(#"{"model_info":{"general.architecture":"qwen2","a.context_length":1,"#
                                   + #""qwen2.context_length":32768}}"#)
            #expect(named.modelInfo(id: "m") == ModelInfo(id: "m", contextWindow: 32768, supportsTools: nil))
        }

        @Test func baseURLDropsTheOpenAIRoute() {
            #expect(OllamaProvider.nativeBaseURL("") == "http://localhost:11434")
            #expect(OllamaProvider.nativeBaseURL("http://h:11434/v1/") == "http://h:11434")
            #expect(OllamaProvider.nativeBaseURL("http://h:11434/api") == "http://h:11434")
        }
    }
}

extension OllamaTests {
    @Suite("OllamaProvider against MockLLMServer", .timeLimit(.minutes(2)))
    struct AgainstMock {
        static func provider(_ server: MockLLMServer, contextWindow: Int? = nil) -> OllamaProvider {
            OllamaProvider(config: ProviderConfig(name: "ollama", kind: .ollama,
                                                  apiBase: "http://127.0.0.1:\(server.port)",
                                                  contextWindow: contextWindow))
        }

        static func collect(_ provider: OllamaProvider, _ text: String, model: String = "mock-model") async
            -> [ProviderEvent] {
            var events: [ProviderEvent] = []
            let request = ChatRequest(model: model, messages: [ChatMessage(role: .user, content: text)])
            for await event in provider.chatStream(request) { events.append(event) }
            return events
        }

        @Test func streamsTheReplyAndSendsNumCtx() async throws {
            let configuration = MockLLMConfiguration(replyText: "Hi there, 世界 🙂!", chunkCount: 5)
            let server = try MockLLMServer(configuration: configuration)
            defer { server.stop() }
            let provider = Self.provider(server, contextWindow: 16384)
            let (reply, error, terminals) = ollamaReply(await Self.collect(provider, "hi"))
            #expect(error == nil && terminals == 1)
            #expect(reply.text == "Hi there, 世界 🙂!")
            #expect(reply.finishReason == .stop)
            #expect(reply.usage == TokenUsage(inputTokens: 1, outputTokens: 5))
            let recorded = try #require(server.requests.first)
            #expect(recorded.method == "POST" && recorded.path == "/api/chat")
            let json = try JSONDecoder().decode(OllamaJSONValue.self, from: Data(recorded.body))
            guard case .object(let body) = json else {
                Issue.record("\(recorded.bodyText)"); return
            }
            #expect(body["stream"] == .bool(true))
            #expect(body["options"] == .object(["num_ctx": .integer(16384)]))
        }

        @Test func aModelTheServerCannotDescribeIsAskedAboutOnce() async throws {
            let server = try MockLLMServer()
            defer { server.stop() }
            let provider = Self.provider(server)
            for _ in 0..<2 {
                let (reply, error, _) = ollamaReply(await Self.collect(provider, "hi", model: "unlisted"))
                #expect(error == nil && !reply.text.isEmpty)
            }
            // `/api/show` answered 404 once; the chats went on without `num_ctx`.
            #expect(server.requests.map(\.path) == ["/api/show", "/api/chat", "/api/chat"])
            #expect(server.requests.allSatisfy { !$0.bodyText.contains("num_ctx") })
        }

        @Test func toolCallAndReasoningStreamThrough() async throws {
            let server = try MockLLMServer()
            defer { server.stop() }
            let prompt = #"[[reasoning]] [[tool read_file {"path":"a.txt"}]]"#
            let events = await Self.collect(Self.provider(server), prompt)
            let (reply, error, _) = ollamaReply(events)
            #expect(error == nil)
            #expect(reply.reasoning == "Let me think about this request.")
            #expect(reply.toolCalls[0] == ToolCall(id: "call_0", name: "read_file", arguments: #"{"path":"a.txt"}"#))
            #expect(reply.finishReason == .toolCalls)
        }

        @Test(arguments: [("[[error404]]", ProviderError.Kind.modelNotFound), ("[[midstream-error]]", .serverError),
                          ("[[truncate]]", .streamInterrupted), ("[[context-overflow]]", .contextTooLong)])
        func failuresBecomeOneError(marker: String, kind: ProviderError.Kind) async throws {
            let server = try MockLLMServer()
            defer { server.stop() }
            let (_, error, terminals) = ollamaReply(await Self.collect(Self.provider(server), marker, model: "nope"))
            #expect(terminals == 1)
            #expect(error?.kind == kind)
            if kind == .modelNotFound { #expect(error?.serverMessage == "model 'nope' not found") }
        }

        @Test func listModelsIsEnrichedByShow() async throws {
            let server = try MockLLMServer(configuration: MockLLMConfiguration(models: ["alpha", "beta", "gamma"]))
            defer { server.stop() }
            let models = try await Self.provider(server).listModels()
            #expect(models == ["alpha", "beta", "gamma"].map {
                ModelInfo(id: $0, contextWindow: MockOllama.contextLength, supportsTools: true, supportsStreaming: true)
            })
            #expect(server.requests.map(\.path).sorted() == ["/api/show", "/api/show", "/api/show", "/api/tags"])
        }

        @Test func listedModelsCarryTheContextTheyWillRunWith() async throws {
            var configuration = MockLLMConfiguration(models: ["big"])
            configuration.ollamaContextLength = 131_072
            let server = try MockLLMServer(configuration: configuration)
            defer { server.stop() }
            // Unconfigured: the num_ctx cap, not the model's 128k maximum.
            #expect(try await Self.provider(server).listModels().map(\.contextWindow) == [32768])
            #expect(try await Self.provider(server, contextWindow: 16384).listModels().map(\.contextWindow) == [16384])
            // The model's own details still say what it could do.
            #expect(try await Self.provider(server).showModel("big").contextWindow == 131_072)
        }

        @Test func showModelReportsContextAndTools() async throws {
            let server = try MockLLMServer()
            defer { server.stop() }
            let provider = Self.provider(server)
            #expect(try await provider.showModel("mock-model")
                == ModelInfo(id: "mock-model", contextWindow: MockOllama.contextLength, supportsTools: true,
                             supportsStreaming: true))
            do {
                _ = try await provider.showModel("missing")
                Issue.record("expected a 404")
            } catch {
                #expect(error.kind == .modelNotFound)
                #expect(error.serverMessage == "model 'missing' not found")
            }
        }

        @Test func cancellingTheConsumerDisconnectsFromTheServer() async throws {
            let server = try MockLLMServer(configuration: MockLLMConfiguration(chunkCount: 30))
            defer { server.stop() }
            let provider = Self.provider(server)
            let firstText = AsyncStream.makeStream(of: String.self)
            let consumer = Task {
                let request = ChatRequest(model: "mock-model",
                                          messages: [ChatMessage(role: .user, content: "[[slow]]")])
                for await event in provider.chatStream(request) {
                    if case .textDelta(let text) = event { firstText.continuation.yield(text) }
                }
            }
            var texts = firstText.stream.makeAsyncIterator()
            #expect(await texts.next() != nil)
            consumer.cancel()
            await consumer.value
            #expect(await server.waitUntil(timeoutSeconds: 5) { $0.clientDisconnectCount == 1 })
            #expect(server.exchanges.first { $0.request.path == "/api/chat" }?.outcome == .clientDisconnected)
        }
    }
}
