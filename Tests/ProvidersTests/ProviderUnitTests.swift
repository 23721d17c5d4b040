import AgentCore
import FoundationEssentials
import MockLLMServer
import Synchronization
import Testing
@testable import Providers

/// A transport that records the request and answers with canned events, synchronously
/// from inside `start` (the earliest a real transport could answer).
final class CannedTransport: HTTPTransport {
    let events: [TransportEvent]
    let sent = Mutex<[HTTPRequest]>([])

    init(status: Int = 200, body: String) {
        events = [.response(status: status, headers: [:]), .bytes(Array(body.utf8)), .end]
    }

    func start(_ request: HTTPRequest, onEvent: @escaping @Sendable (TransportEvent) -> Bool) -> TransferHandle {
        sent.withLock { $0.append(request) }
        for event in events where !onEvent(event) { break }
        return TransferHandle {}
    }
}

@Suite("OpenAICompatibleProvider units", .timeLimit(.minutes(2)))
struct ProviderUnitTests {
    @Test func requestBodyCarriesToolHistoryAndOptions() async throws {
        let transport = CannedTransport(body: sse([chunk(#""content":"ok""#, finish: #""stop""#), "[DONE]"]))
        let config = ProviderConfig(name: "local", kind: .llamaCpp, apiBase: "http://h:1/v1/",
                                    headers: ["Accept": "application/x-custom", "X-Title": "swiftcoder"])
        let provider = ProviderFactory.make(config: config, transport: transport)
        let request = ChatRequest(model: "m", messages: [
            ChatMessage(role: .user, content: "list"),
            ChatMessage(role: .assistant, content: "", toolCalls: [ToolCall(id: "c1", name: "ls", arguments: "{}")]),
            ChatMessage(role: .tool, content: "a.txt", toolCallID: "c1"),
        ], maxOutputTokens: 100, temperature: 0.5)
        let result = try await provider.chat(request)
        #expect(result.text == "ok")

        let sent = try #require(transport.sent.withLock { $0.first })
        #expect(sent.url == "http://h:1/v1/chat/completions")
        #expect(sent.header("authorization") == nil)
        #expect(sent.header("accept") == "application/x-custom")
        #expect(sent.header("x-title") == "swiftcoder")
        let body = String(decoding: try #require(sent.body), as: UTF8.self)
        let json = try JSONDecoder().decode(Body.self, from: Data(body.utf8))
        #expect(json.max_tokens == 100 && json.temperature == 0.5)
        #expect(json.messages[1].tool_calls?.first?.function.name == "ls")
        #expect(json.messages[1].tool_calls?.first?.type == "function")
        // A call without text goes with an empty string, never null (D207: llama-cpp-python
        // answers null with HTTP 500, and so every later request of the conversation).
        #expect(json.messages[1].content == "")
        #expect(!body.contains("null"), "\(body)")
        #expect(json.messages[2].tool_call_id == "c1")
    }

    @Test func nonStreamErrorDocumentAtStatus200IsAnError() async {
        let transport = CannedTransport(body: #"{"error":"model 'x' not found, try pulling it first"}"#)
        let provider = ProviderFactory.make(config: ProviderConfig(name: "o", kind: .ollama, apiBase: ""),
                                            transport: transport)
        #expect(provider.baseURL == "http://localhost:11434")
        await #expect(throws: ProviderError.self) { _ = try await provider.chat(ChatRequest(model: "x", messages: [])) }
    }

    @Test func htmlAt200IsABadResponse() async throws {
        let provider = ProviderFactory.make(config: ProviderConfig(name: "p", kind: .openAICompatible, apiBase: "http://h/v1"),
                                            transport: CannedTransport(body: "<html>captive portal</html>"))
        do {
            _ = try await provider.chat(ChatRequest(model: "x", messages: []))
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .badResponse)
            #expect(error.detail?.contains("captive portal") == true)
        }
    }

    @Test func echoedKeyIsRedacted() async {
        let key = "sk-live-SECRET123"
        let transport = CannedTransport(status: 401, body: #"{"error":{"message":"Incorrect API key provided: \#(key)"}}"#)
        let provider = ProviderFactory.make(config: ProviderConfig(name: "p", kind: .openAI, apiBase: "",
                                                                   apiKey: Secret(key)), transport: transport)
        #expect(provider.baseURL == "https://api.openai.com/v1")
        do {
            _ = try await provider.chat(ChatRequest(model: "x", messages: []))
        } catch {
            #expect(error.kind == .unauthorized)
            #expect(!error.description.contains(key))
            #expect(error.serverMessage == "Incorrect API key provided: <redacted>")
        }
    }

    @Test func adjacentDeltasOfOneReadAreMerged() {
        let merged = ChatStreamReader.coalesced([
            .textDelta("a"), .textDelta("b"), .reasoningDelta("r"), .textDelta("c"),
            .toolCallArgumentsDelta(index: 0, fragment: "{"), .toolCallArgumentsDelta(index: 0, fragment: "}"),
            .toolCallArgumentsDelta(index: 1, fragment: "["), .finish(.stop),
        ])
        #expect(merged == [.textDelta("ab"), .reasoningDelta("r"), .textDelta("c"),
                           .toolCallArgumentsDelta(index: 0, fragment: "{}"),
                           .toolCallArgumentsDelta(index: 1, fragment: "["), .finish(.stop)])
    }

    private struct Body: Decodable {
        struct Message: Decodable {
            struct Call: Decodable {
                struct Function: Decodable { var name: String }
                var type: String
                var function: Function
            }
            var content: String?
            var tool_calls: [Call]?
            var tool_call_id: String?
        }
        var max_tokens: Int?
        var temperature: Double?
        var messages: [Message]
    }
}

@Suite("CurlTransport", .timeLimit(.minutes(2)))
struct CurlTransportTests {
    @Test func sendReturnsStatusHeadersAndBody() async throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(models: ["one"]))
        defer { server.stop() }
        let result = await CurlTransport().send(HTTPRequest(method: "GET", url: server.baseURL + "/models"))
        let response = try result.get()
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.bodyText.contains(#""id":"one""#))
    }

    @Test func streamDeliversResponseBytesAndEnd() async throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(chunkCount: 1))
        defer { server.stop() }
        let body = #"{"model":"m","messages":[{"role":"user","content":"[[echo]] ping"}]}"#
        var kinds: [String] = []
        var bytes: [UInt8] = []
        for await event in CurlTransport().stream(HTTPRequest(method: "POST", url: server.baseURL + "/chat/completions",
                                                              body: Array(body.utf8))) {
            switch event {
            case .response(let status, _): kinds.append("response \(status)")
            case .bytes(let chunk): bytes += chunk
            case .end: kinds.append("end")
            case .failure(let failure): kinds.append("failure \(failure)")
            }
        }
        #expect(kinds == ["response 200", "end"])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""content":"ping""#) && text.hasSuffix("data: [DONE]\n\n"))
        #expect(server.requests.first?.bodyText == body)
    }

    @Test func malformedURLFailsWithoutAResponse() async {
        let result = await CurlTransport().send(HTTPRequest(method: "GET", url: "ftp://127.0.0.1/x"))
        guard case .failure(let failure) = result else { Issue.record("expected failure"); return }
        #expect(failure.kind == .other)
        #expect(!failure.message.isEmpty)
    }
}
