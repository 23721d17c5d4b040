import AgentCore
import FoundationEssentials
import MockLLMServer
import Testing
@testable import Providers

/// Tools in request bodies, `max_completion_tokens`, and "does not support tools".
@Suite("Tools in requests", .timeLimit(.minutes(2)))
struct ToolRequestTests {
    static let schema = #"{"type":"object","properties":{"path":{"type":"string"},"limit":{"type":"number","minimum":0.1}},"required":["path"]}"#
    static let tools = [ToolDefinition(name: "read_file", description: "Reads a \"file\".\nReturns text.",
                                       parameters: schema),
                        ToolDefinition(name: "list_dir", description: "Lists a directory.")]

    static func request(tools: [ToolDefinition] = tools, maxOutputTokens: Int? = nil) -> ChatRequest {
        ChatRequest(model: "m", messages: [
            ChatMessage(role: .user, content: "read a.txt"),
            ChatMessage(role: .assistant, content: "", toolCalls: [ToolCall(id: "c1", name: "read_file",
                                                                              arguments: #"{"path":"a.txt"}"#)]),
            ChatMessage(role: .tool, content: "hello", toolCallID: "c1"),
        ], tools: tools, maxOutputTokens: maxOutputTokens)
    }

    static func openAIBody(kind: ProviderKind = .openAICompatible, _ request: ChatRequest) throws -> JSONValue {
        let provider = OpenAICompatibleProvider(config: ProviderConfig(name: "p", kind: kind, apiBase: "http://h/v1"),
                                                environment: [:])
        let body = try #require(try provider.makeChatRequest(request).body)
        return try JSONReader.parse(body)
    }

    /// The `tools` array both wire formats share, checked member by member.
    static func expectToolsArray(_ tools: JSONValue?) throws {
        let entries = try #require(tools?.elements)
        #expect(entries.count == 2)
        #expect(entries[0]["type"]?.string == "function")
        let function = try #require(entries[0]["function"])
        #expect(function["name"]?.string == "read_file")
        #expect(function["description"]?.string == "Reads a \"file\".\nReturns text.")
        // Embedded as an object (not a string), keys in the tool's order, numbers as written.
        let parameters = try #require(function["parameters"])
        #expect(parameters.members?.map(\.key) == ["type", "properties", "required"])
        #expect(parameters["properties"]?["limit"]?["minimum"]?.number?.text == "0.1")
        #expect(entries[1]["function"]?["parameters"]?.members?.map(\.key) == ["type", "properties"])
    }

    @Test func openAIBodyCarriesToolsAndTheToolConversation() throws {
        let body = try Self.openAIBody(Self.request())
        try Self.expectToolsArray(body["tools"])
        let messages = try #require(body["messages"]?.elements)
        #expect(messages[1]["content"]?.string == "")  // never null (D207)
        let call = try #require(messages[1]["tool_calls"]?.elements?.first)
        #expect(call["id"]?.string == "c1")
        #expect(call["type"]?.string == "function")
        #expect(call["function"]?["arguments"]?.string == #"{"path":"a.txt"}"#)
        #expect(messages[2]["role"]?.string == "tool")
        #expect(messages[2]["tool_call_id"]?.string == "c1")
    }

    @Test func noToolsSendsNoToolsKey() throws {
        let body = try Self.openAIBody(Self.request(tools: []))
        #expect(body["tools"] == nil)
        #expect(body["model"]?.string == "m")
    }

    @Test(arguments: [(ProviderKind.openAI, "max_completion_tokens"), (.openRouter, "max_tokens"),
                      (.openAICompatible, "max_tokens"), (.llamaCpp, "max_tokens")])
    func outputCapKeyDependsOnTheKind(kind: ProviderKind, key: String) throws {
        let body = try Self.openAIBody(kind: kind, Self.request(maxOutputTokens: 300))
        #expect(body[key]?.number?.int == 300)
        let other = key == "max_tokens" ? "max_completion_tokens" : "max_tokens"
        #expect(body[other] == nil)
    }

    @Test(arguments: [#"{"type":"object""#, #"["path"]"#, "not json"])
    func badSchemaIsABadRequestNamingTheTool(schema: String) {
        let request = Self.request(tools: [ToolDefinition(name: "broken_tool", description: "x", parameters: schema)])
        #expect {
            _ = try Self.openAIBody(request)
        } throws: { error in
            guard let error = error as? ProviderError else { return false }
            return error.kind == .badRequest && (error.detail ?? "").contains("broken_tool")
        }
    }

    @Test func ollamaBodyCarriesToolsInTheSameShape() throws {
        let body = try JSONReader.parse(try OllamaChatBody(request: Self.request(), contextWindow: nil).encoded())
        try Self.expectToolsArray(body["tools"])
        let call = try #require(body["messages"]?.elements?[1]["tool_calls"]?.elements?.first)
        #expect(call["function"]?["arguments"]?["path"]?.string == "a.txt")
    }

    @Test func appendingToAnEmptyObjectAddsNoComma() {
        let result = ToolsJSON.appending(key: "k", rawValue: Array("[1]".utf8), to: Array("{ }".utf8))
        #expect(String(decoding: result, as: UTF8.self) == #"{ "k":[1]}"#)
    }
}

/// Servers that refuse `tools` give `.toolsUnsupported` (the engine then falls back to the prompt).
@Suite("Tools unsupported", .timeLimit(.minutes(2)))
struct ToolsUnsupportedTests {
    @Test(arguments: [
        (400, #"{"error":"registry.ollama.ai/library/gemma:2b does not support tools"}"#),
        (400, #"{"error":{"message":"registry.ollama.ai/library/gemma:2b does not support tools","type":"api_error","param":null,"code":null}}"#),
        (404, #"{"error":{"message":"No endpoints found that support tool use. Try disabling \"tools\".","code":404}}"#),
        (500, #"{"error":{"code":500,"message":"tools param requires --jinja flag","type":"server_error"}}"#),
        (400, #"{"object":"error","message":"\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set","type":"BadRequestError","code":400}"#),
    ])
    func serverWordsAreClassified(status: Int, body: String) {
        let error = ErrorClassifier.httpError(status: status, headers: [:], body: Array(body.utf8), provider: "p",
                                              url: "http://h")
        #expect(error.kind == .toolsUnsupported, "\(error)")
        #expect(!RetryPolicy.isRetryable(.toolsUnsupported))
    }

    @Test func otherToolErrorsStayBadRequests() {
        let body = #"{"error":{"code":"tool_use_failed","message":"Tool call validation failed","type":"invalid_request_error"}}"#
        let error = ErrorClassifier.httpError(status: 400, headers: [:], body: Array(body.utf8), provider: "p", url: "u")
        #expect(error.kind == .badRequest)
    }

    static func collect(_ provider: any LLMProvider, tools: [ToolDefinition]) async -> [ProviderEvent] {
        let request = ChatRequest(model: "gemma:2b", messages: [ChatMessage(role: .user, content: "[[no-tools]] hi")],
                                  tools: tools)
        var events: [ProviderEvent] = []
        for await event in provider.chatStream(request) { events.append(event) }
        return events
    }

    @Test(arguments: [ProviderKind.openAICompatible, .ollama])
    func mockServerRefusalIsOneUnretriedError(kind: ProviderKind) async throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let base = kind == .ollama ? "http://127.0.0.1:\(server.port)" : server.baseURL
        let provider = ProviderFactory.make(config: ProviderConfig(name: "p", kind: kind, apiBase: base))
        let events = await Self.collect(provider, tools: ToolRequestTests.tools)
        guard case .error(let error)? = events.last, events.count == 1 else { Issue.record("\(events)"); return }
        #expect(error.kind == .toolsUnsupported)
        #expect(error.httpStatus == 400)
        #expect(error.serverMessage == "registry.ollama.ai/library/gemma:2b does not support tools")
        // One chat request (Ollama also asks /api/show for the model's context first).
        #expect(server.requests.filter { $0.path.hasSuffix("/chat") || $0.path.hasSuffix("/completions") }.count == 1)
        // The same request without tools (the engine's prompt fallback) is answered.
        let (result, fallbackError) = reply(from: await Self.collect(provider, tools: []))
        #expect(fallbackError == nil)
        #expect(result.text == MockLLMConfiguration().replyText)
    }
}
