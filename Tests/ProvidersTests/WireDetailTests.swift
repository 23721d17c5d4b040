import AgentCore
import FoundationEssentials
import MockLLMServer
import Testing
@testable import Providers

/// Usage details, reasoning forms and legacy tool calls in OpenAI-compatible chunks.
@Suite("Usage details and reasoning forms", .timeLimit(.minutes(2)))
struct WireDetailTests {
    static func usageOf(_ usageJSON: String, extra: String = "") -> TokenUsage? {
        let stream = sse([chunk(#""content":"x""#, finish: #""stop""#),
                          #"{"id":"c","choices":[],"usage":\#(usageJSON)\#(extra)}"#, "[DONE]"])
        return reply(from: decodeStream(stream)).reply.usage
    }

    @Test func cachedReasoningAndCacheWriteTokens() {
        let usage = Self.usageOf(#"{"prompt_tokens":100,"completion_tokens":20,"prompt_tokens_details":"#
                                 + #"{"cached_tokens":60,"cache_write_tokens":30},"#
                                 + #""completion_tokens_details":{"reasoning_tokens":12}}"#)
        #expect(usage == TokenUsage(inputTokens: 100, outputTokens: 20, cachedInputTokens: 60, cacheWriteTokens: 30,
                                    reasoningTokens: 12))
    }

    @Test func xaiReasoningOutsideCompletionTokensIsAddedToOutput() {
        // xAI: 291 + 26 + 196 = 513, so completion_tokens left the reasoning out.
        let xai = Self.usageOf(#"{"prompt_tokens":291,"completion_tokens":26,"total_tokens":513,"#
                               + #""prompt_tokens_details":{"cached_tokens":290},"#
                               + #""completion_tokens_details":{"reasoning_tokens":196},"cost_in_usd_ticks":1330500}"#)
        #expect(xai == TokenUsage(inputTokens: 291, outputTokens: 222, cachedInputTokens: 290, reasoningTokens: 196))
        // OpenAI: the total is prompt + completion, which already includes reasoning.
        let openAI = Self.usageOf(#"{"prompt_tokens":19,"completion_tokens":75,"total_tokens":94,"#
                                  + #""completion_tokens_details":{"reasoning_tokens":64}}"#)
        #expect(openAI == TokenUsage(inputTokens: 19, outputTokens: 75, reasoningTokens: 64))
        // No total, a total that matches neither sum, or no reasoning: completion as sent.
        let noTotal = Self.usageOf(#"{"prompt_tokens":5,"completion_tokens":2,"completion_tokens_details":{"reasoning_tokens":9}}"#)
        #expect(noTotal?.outputTokens == 2)
        let odd = Self.usageOf(#"{"prompt_tokens":5,"completion_tokens":2,"total_tokens":99,"#
                               + #""completion_tokens_details":{"reasoning_tokens":9}}"#)
        #expect(odd?.outputTokens == 2)
        let plain = Self.usageOf(#"{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}"#)
        #expect(plain == TokenUsage(inputTokens: 5, outputTokens: 2))
    }

    @Test func anthropicStyleAndTogetherFieldsAreRead() {
        let anthropic = Self.usageOf(#"{"prompt_tokens":50,"completion_tokens":5,"cache_read_input_tokens":10,"#
                                     + #""cache_creation_input_tokens":40}"#)
        #expect(anthropic == TokenUsage(inputTokens: 50, outputTokens: 5, cachedInputTokens: 10, cacheWriteTokens: 40))
        let together = Self.usageOf(#"{"prompt_tokens":9,"completion_tokens":3,"cached_tokens":4}"#)
        #expect(together == TokenUsage(inputTokens: 9, outputTokens: 3, cachedInputTokens: 4))
    }

    @Test func openRouterCostIsExactFromItsText() throws {
        let usage = try #require(Self.usageOf(#"{"prompt_tokens":1,"completion_tokens":1,"cost":0.000123456789012345678,"#
                                              + #""cost_details":{"upstream_inference_cost":null},"is_byok":false}"#))
        // 21 significant digits: a Double keeps 17, so only parsing the text gives this.
        #expect(usage.reportedCost == Decimal(string: "0.000123456789012345678"))
        #expect(usage.reportedCost != Decimal(0.000123456789012345678 as Double))
        #expect(Self.usageOf(#"{"prompt_tokens":1,"completion_tokens":1}"#)?.reportedCost == nil)
        #expect(Self.usageOf(#"{"prompt_tokens":1,"completion_tokens":1,"cost":0}"#)?.reportedCost == 0)
    }

    @Test func groqUsageInXGroqIsRead() {
        let stream = sse([chunk(#""content":"x""#, finish: #""stop""#,
                                extra: #","x_groq":{"id":"r","usage":{"prompt_tokens":7,"completion_tokens":2,"queue_time":0.1}}"#),
                          "[DONE]"])
        #expect(reply(from: decodeStream(stream)).reply.usage == TokenUsage(inputTokens: 7, outputTokens: 2))
    }

    @Test func reasoningDetailsAloneBecomeReasoningAndDuplicatesDoNot() {
        let details = #""reasoning_details":[{"type":"reasoning.text","text":"Think","format":"anthropic-claude-v1"},"#
            + #"{"type":"reasoning.encrypted","data":"AAAA"}]"#
        let stream = sse([
            chunk(#""content":"","reasoning":null,"# + details),
            chunk(#""content":"","reasoning":" more","reasoning_details":[{"type":"reasoning.text","text":" more"}]"#),
            chunk(#""content":"","reasoning_details":[{"type":"reasoning.summary","summary":" done"}]"#),
            chunk(#""content":"Answer""#, finish: #""stop""#), "[DONE]",
        ])
        let result = reply(from: decodeStream(stream)).reply
        #expect(result.reasoning == "Think more done")
        #expect(result.text == "Answer")
    }

    @Test func groqReasoningFieldWithChannel() {
        let stream = sse([chunk(#""reasoning":"R","channel":"analysis""#), chunk(#""content":"T""#, finish: #""stop""#),
                          "[DONE]"])
        let result = reply(from: decodeStream(stream)).reply
        #expect(result.reasoning == "R" && result.text == "T")
    }

    @Test func inlineThinkBlockInContentIsReasoning() {
        let stream = sse([chunk(#""content":"<thi""#), chunk(#""content":"nk>\nplan</th""#),
                          chunk(#""content":"ink>\n\nAnswer <think> stays""#, finish: #""stop""#), "[DONE]"])
        let result = reply(from: decodeStream(stream)).reply
        #expect(result.reasoning == "\nplan")
        #expect(result.text == "Answer <think> stays")
    }

    @Test func legacyFunctionCallBecomesCallZero() {
        let stream = sse([
            chunk(#""role":"assistant","content":null,"function_call":{"name":"get_weather","arguments":""}"#),
            chunk(#""function_call":{"arguments":"{\"city\":"}"#),
            chunk(#""function_call":{"arguments":"\"Paris\"}"}"#),
            chunk("", finish: #""function_call""#), "[DONE]",
        ])
        let events = decodeStream(stream)
        #expect(events.first == .toolCallStart(index: 0, id: "call_0", name: "get_weather"))
        let result = reply(from: events).reply
        #expect(result.toolCalls[0]?.arguments == #"{"city":"Paris"}"#)
        #expect(result.finishReason == .toolCalls)
    }

    @Test func toolCallsListWinsOverARepeatedFunctionCall() {
        let both = #""tool_calls":[{"index":0,"id":"call_x","type":"function","function":{"name":"f","arguments":"{}"}}],"#
            + #""function_call":{"name":"f","arguments":"{}"}"#
        let result = reply(from: decodeStream(sse([chunk(both, finish: #""tool_calls""#), "[DONE]"]))).reply
        #expect(result.toolCalls == [0: ToolCall(id: "call_x", name: "f", arguments: "{}")])
    }

    @Test func heldThinkTextSurvivesAnInterruptedStream() {
        let events = decodeStream(sse([chunk(#""content":"<think>almost</thi""#)]))
        #expect(reply(from: events).reply.reasoning == "almost</thi")
        guard case .error(let error)? = events.last else { Issue.record("\(events)"); return }
        #expect(error.kind == .streamInterrupted)
    }

    @Test func wholeNonStreamedReplyAt200IsDecoded() {
        let body = #"{"id":"x","object":"chat.completion","choices":[{"index":0,"finish_reason":"tool_calls","#
            + #""message":{"role":"assistant","content":"Let me look.","reasoning_content":"Need the file.","#
            + #""tool_calls":[{"id":"call_1","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"a\"}"}}]}}],"#
            + #""usage":{"prompt_tokens":12,"completion_tokens":8,"cost":0.5}}"#
        let (result, error) = reply(from: feedEveryWay(Array(body.utf8)))
        #expect(error == nil)
        #expect(result.text == "Let me look." && result.reasoning == "Need the file.")
        #expect(result.toolCalls == [0: ToolCall(id: "call_1", name: "read_file", arguments: #"{"path":"a"}"#)])
        #expect(result.finishReason == .toolCalls)
        #expect(result.usage == TokenUsage(inputTokens: 12, outputTokens: 8, reportedCost: Decimal(string: "0.5")))
    }

    @Test func anthropicNativeStreamIsRejectedClearly() {
        let text = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\"}}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
        let events = decodeStream(text)
        guard case .error(let error)? = events.last, events.count == 1 else { Issue.record("\(events)"); return }
        #expect(error.kind == .badResponse)
        #expect(error.detail?.contains("Anthropic") == true)
    }
}

/// `ThinkTagSplitter`: every split point of a reply gives the same pieces.
@Suite("Think tag splitter", .timeLimit(.minutes(2)))
struct ThinkTagSplitterTests {
    static func split(_ parts: [String]) -> (reasoning: String, text: String) {
        var splitter = ThinkTagSplitter()
        var pieces: [ThinkTagSplitter.Piece] = []
        for part in parts { pieces += splitter.feed(part) }
        pieces += splitter.finish()
        var result = ("", "")
        for piece in pieces {
            switch piece {
            case .reasoning(let text): result.0 += text
            case .text(let text): result.1 += text
            }
        }
        return result
    }

    static let cases: [(input: String, reasoning: String, text: String)] = [
        ("  <think>Let me see 🙂.</think>\n\nIt is 4.", "Let me see 🙂.", "It is 4."),
        ("<think></think>Done", "", "Done"),
        ("Plain <think>not reasoning</think> text", "", "Plain <think>not reasoning</think> text"),
        ("<thinking is not a tag", "", "<thinking is not a tag"),
        ("<think>unclosed <", "unclosed <", ""),
        ("<thi", "", "<thi"),
        ("\n\n", "", "\n\n"),
        ("a</think>b", "", "a</think>b"),
    ]

    @Test(arguments: 0..<8)
    func everySplitPointGivesTheSameResult(caseIndex: Int) {
        let (input, reasoning, text) = Self.cases[caseIndex]
        let characters = Array(input)
        #expect(Self.split([input]) == (reasoning, text))
        for cut in 0...characters.count {
            let parts = [String(characters[..<cut]), String(characters[cut...])]
            #expect(Self.split(parts) == (reasoning, text), "cut at \(cut)")
        }
        #expect(Self.split(characters.map { String($0) }) == (reasoning, text), "one character at a time")
    }

    @Test func twoCutsAcrossBothTags() {
        let input = Array("<think>ab</think>cd")
        for first in 0...input.count {
            for second in first...input.count {
                let parts = [String(input[..<first]), String(input[first..<second]), String(input[second...])]
                #expect(Self.split(parts) == ("ab", "cd"), "cuts \(first), \(second)")
            }
        }
    }

    @Test func textAfterTheBlockPassesStraightThrough() {
        var splitter = ThinkTagSplitter()
        #expect(splitter.feed("<think>x</think>") == [.reasoning("x")])
        #expect(splitter.feed(" ") == [])
        #expect(splitter.feed("y") == [.text("y")])
        #expect(splitter.feed("<think>") == [.text("<think>")])
        #expect(splitter.finish() == [])
    }
}

/// The Ollama provider now retries like the OpenAI-compatible one (before the first byte).
/// (A configured `contextWindow` keeps `/api/show` out of the exchange count.)
@Suite("Ollama retries", .timeLimit(.minutes(2)))
struct OllamaRetryTests {
    @Test func rateLimitOnceIsRetriedWithANotice() async throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        var provider = OllamaProvider(config: ProviderConfig(name: "ollama", kind: .ollama,
                                                             apiBase: "http://127.0.0.1:\(server.port)",
                                                             contextWindow: 8192))
        provider.retryPolicy = RetryPolicy(maxRetries: 2, baseDelay: 0.01, maxDelay: 0.05, jitter: .none)
        let request = ChatRequest(model: "mock-model", messages: [ChatMessage(role: .user, content: "[[ratelimit-once]]")])
        var events: [ProviderEvent] = []
        for await event in provider.chatStream(request) { events.append(event) }
        guard case .notice(let notice)? = events.first else { Issue.record("\(events)"); return }
        #expect(notice.hasPrefix("rate limited, retrying in"))
        let (result, error) = reply(from: events)
        #expect(error == nil)
        #expect(result.text == MockLLMConfiguration().replyText)
        #expect(server.requests.count == 2)
    }

    @Test func modelNotFoundIsNotRetried() async throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        var provider = OllamaProvider(config: ProviderConfig(name: "ollama", kind: .ollama,
                                                             apiBase: "http://127.0.0.1:\(server.port)",
                                                             contextWindow: 8192))
        provider.retryPolicy = RetryPolicy(maxRetries: 2, baseDelay: 0.01, maxDelay: 0.05, jitter: .none)
        let request = ChatRequest(model: "x", messages: [ChatMessage(role: .user, content: "[[error404]]")])
        var events: [ProviderEvent] = []
        for await event in provider.chatStream(request) { events.append(event) }
        #expect(events.count == 1)
        #expect(server.requests.count == 1)
    }
}
