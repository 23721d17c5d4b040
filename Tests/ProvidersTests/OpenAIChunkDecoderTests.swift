import AgentCore
import Testing
@testable import Providers

@Suite("OpenAIChunkDecoder", .timeLimit(.minutes(2)))
struct OpenAIChunkDecoderTests {
    @Test func textThenUsageThenOneFinish() {
        let stream = sse([
            chunk(#""role":"assistant","content":"""#),
            chunk(#""content":"Hel""#),
            chunk(#""content":"lo""#),
            chunk("", finish: #""stop""#),
            #"{"id":"c","choices":[],"usage":{"prompt_tokens":11,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":1}}}"#,
            "[DONE]",
        ])
        let usage = TokenUsage(inputTokens: 11, outputTokens: 2, cachedInputTokens: 4, reasoningTokens: 1)
        expectEveryWay(stream, [.textDelta("Hel"), .textDelta("lo"), .usage(usage), .finish(.stop)])
    }

    @Test func multibyteTextCutAnywhereDecodesIdentically() {
        let stream = sse([chunk(#""content":"日本語 🙂""#), chunk(#""content":"!""#, finish: #""length""#), "[DONE]"])
        let events = feedEveryWay(Array(stream.utf8), seeds: Array(1...40))
        #expect(events == [.textDelta("日本語 🙂!"), .finish(.length)])
    }

    @Test func toolCallsAccumulateByIndexIgnoringEmptyResends() {
        let stream = sse([
            chunk(#""tool_calls":[{"index":1,"id":"call_a","type":"function","function":{"name":"read_file","arguments":""}}]"#),
            chunk(#""tool_calls":[{"index":2,"id":"call_b","function":{"name":"grep"}}]"#),
            chunk(#""tool_calls":[{"index":1,"id":"","function":{"name":"","arguments":"{\"pa"}}]"#),
            chunk(#""tool_calls":[{"index":2,"id":"0","function":{"name":"grep","arguments":"{}"}}]"#),
            chunk(#""tool_calls":[{"index":1,"function":{"arguments":"th\":\"a\"}"}}]"#),
            chunk("", finish: #""tool_calls""#),
            "[DONE]",
        ])
        let events = decodeStream(stream)
        #expect(events == [
            .toolCallStart(index: 1, id: "call_a", name: "read_file"),
            .toolCallStart(index: 2, id: "call_b", name: "grep"),
            .toolCallArgumentsDelta(index: 1, fragment: "{\"pa"),
            .toolCallArgumentsDelta(index: 2, fragment: "{}"),
            .toolCallArgumentsDelta(index: 1, fragment: "th\":\"a\"}"),
            .toolCallEnd(index: 1), .toolCallEnd(index: 2),
            .finish(.toolCalls),
        ])
        let result = reply(from: events).reply
        #expect(result.toolCalls[1] == ToolCall(id: "call_a", name: "read_file", arguments: #"{"path":"a"}"#))
        #expect(result.toolCalls[2] == ToolCall(id: "call_b", name: "grep", arguments: "{}"))
    }

    @Test func toolCallsWithoutFinishReasonFinishAsToolCalls() {
        // Kimi never sends finish_reason "tool_calls".
        let stream = sse([chunk(#""tool_calls":[{"index":0,"id":"x","function":{"name":"ls","arguments":"{}"}}]"#), "[DONE]"])
        #expect(decodeStream(stream).last == .finish(.toolCalls))
    }

    @Test func laterNullDoesNotEraseFinishReason() {
        let stream = sse([
            chunk(#""content":"Hi""#),
            chunk("", finish: #""length""#),
            chunk("", finish: "null", extra: #","usage":{"prompt_tokens":3,"completion_tokens":1}"#),
        ])
        // Also: a finish reason followed by the end of the stream (no [DONE]) is a finish.
        expectEveryWay(stream, [.textDelta("Hi"), .usage(TokenUsage(inputTokens: 3, outputTokens: 1)), .finish(.length)])
    }

    @Test func usageAttachedToAChunkWithChoices() {
        let stream = sse([chunk(#""content":"ok""#, finish: #""stop""#,
                                extra: #","usage":{"prompt_tokens":5,"completion_tokens":1,"prompt_cache_hit_tokens":2}"#),
                          "[DONE]"])
        expectEveryWay(stream, [
            .textDelta("ok"), .usage(TokenUsage(inputTokens: 5, outputTokens: 1, cachedInputTokens: 2)), .finish(.stop),
        ])
    }

    @Test func streamWithoutDoneOrFinishIsInterrupted() {
        let events = decodeStream(sse([chunk(#""content":"partial""#)]))
        #expect(events.count == 2)
        #expect(events.first == .textDelta("partial"))
        guard case .error(let error) = events.last else { Issue.record("expected an error"); return }
        #expect(error.kind == .streamInterrupted)
    }

    @Test func errorChunkMidStreamEndsTheStream() {
        let stream = sse([
            chunk(#""content":"Hello""#),
            #"{"error":{"message":"bad request","type":"provider_error","param":null,"code":400}}"#,
            chunk(#""content":"ignored""#),
            "[DONE]",
        ])
        let events = decodeStream(stream)
        #expect(events.count == 2)
        guard case .error(let error) = events.last else { Issue.record("expected an error"); return }
        #expect(error.kind == .badRequest)
        #expect(error.serverMessage == "bad request")
        #expect(error.detail == "code 400")
    }

    @Test func topLevelErrorInsideANormalChunk() {
        let stream = sse([chunk(#""content":"""#, finish: #""error""#,
                                extra: #","error":{"message":"Upstream overloaded","code":502}"#), "[DONE]"])
        let events = decodeStream(stream)
        guard case .error(let error)? = events.last, events.count == 1 else { Issue.record("\(events)"); return }
        #expect(error.kind == .serverError)
        #expect(error.serverMessage == "Upstream overloaded")
    }

    @Test func errorEventAndLegacyErrorField() {
        let groq = "event: error\ndata: {\"error\":{\"message\":\"Tool call validation failed\",\"code\":\"tool_use_failed\"}}\n\n"
        guard case .error(let first)? = decodeStream(groq).first else { Issue.record("no error"); return }
        #expect(first.kind == .badRequest)
        #expect(first.serverMessage == "Tool call validation failed")

        let llama = "error: {\"code\":400,\"message\":\"the request exceeds the available context size\"}\n\ndata: [DONE]\n\n"
        let events = decodeStream(llama)
        guard case .error(let second)? = events.first, events.count == 1 else { Issue.record("\(events)"); return }
        #expect(second.kind == .contextTooLong)
    }

    @Test func reasoningFieldsAndNoiseAreHandled() {
        let stream = sse([
            #"{"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[]}"#,
            chunk(#""role":null,"content":null,"reasoning_content":"think""#),
            chunk(#""reasoning":"more","channel":"analysis""#),
            chunk(#""content":"answer","obfuscation":"xyz""#, extra: #","system_fingerprint":"fp""#),
            #"{"choices":[{"index":1,"delta":{"content":"other choice"}}]}"#,
            chunk(#""refusal":null"#, finish: #""stop""#),
            "[DONE]",
        ])
        expectEveryWay(stream, [.reasoningDelta("think"), .reasoningDelta("more"), .textDelta("answer"), .finish(.stop)])
    }

    @Test func doneWithoutFinishReasonIsStop() {
        expectEveryWay(sse([chunk(#""content":"x""#), "[DONE]"]), [.textDelta("x"), .finish(.stop)])
    }

    @Test func wronglyTypedFieldDropsOnlyThatField() {
        let stream = sse([chunk(#""content":"kept","reasoning_content":42"#, extra: #","usage":{"prompt_tokens":"n/a"}"#),
                          "[DONE]"])
        expectEveryWay(stream, [.textDelta("kept"), .usage(TokenUsage()), .finish(.stop)])
    }

    @Test func usageNullOnEveryChunkThenAFinalUsageChunk() {
        // OpenAI sends `"usage": null` on every chunk before the usage chunk.
        let stream = sse([chunk(#""content":"a""#, extra: #","usage":null"#),
                          chunk("", finish: #""stop""#, extra: #","usage":null"#),
                          #"{"id":"c","choices":[],"usage":{"prompt_tokens":2,"completion_tokens":1,"total_tokens":3}}"#,
                          "[DONE]"])
        expectEveryWay(stream, [.textDelta("a"), .usage(TokenUsage(inputTokens: 2, outputTokens: 1)), .finish(.stop)])
    }

    @Test func liteLLMUsageChunkWithAnEmptyDeltaChoice() {
        let stream = sse([chunk(#""content":"ok""#), chunk("", finish: #""stop""#),
                          #"{"id":"c","choices":[{"index":0,"delta":{}}],"usage":{"prompt_tokens":4,"completion_tokens":1}}"#,
                          "[DONE]"])
        expectEveryWay(stream, [.textDelta("ok"), .usage(TokenUsage(inputTokens: 4, outputTokens: 1)), .finish(.stop)])
    }

    @Test func cumulativeUsageOnEveryChunkKeepsTheLast() {
        // vLLM repeats the running usage on every chunk.
        func usage(_ completion: Int) -> String {
            #","usage":{"prompt_tokens":9,"completion_tokens":\#(completion),"total_tokens":\#(9 + completion)}"#
        }
        let stream = sse([chunk(#""content":"a""#, extra: usage(1)), chunk(#""content":"b""#, extra: usage(2)),
                          chunk("", finish: #""stop""#, extra: usage(2)), "[DONE]"])
        expectEveryWay(stream, [.textDelta("ab"), .usage(TokenUsage(inputTokens: 9, outputTokens: 2)), .finish(.stop)])
    }

    @Test func commentLinesAndADoneWithoutItsBlankLine() {
        // OpenRouter's keep-alive comments; llama.cpp b10603 ends on `data: [DONE]` with no blank line.
        let text = ": OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\n" + sse([chunk(#""content":"hi""#)])
            + ": OPENROUTER PROCESSING\n\ndata: [DONE]"
        expectEveryWay(text, [.textDelta("hi"), .finish(.stop)])
    }

    @Test func invalidToolArgumentsPassThroughUnchanged() {
        // llama-cpp-python: arguments cut by max_tokens, yet finish_reason "tool_calls". The
        // engine reports the broken JSON to the model; the stream must deliver it as sent.
        let call = #""tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"write_file","#
            + #""arguments":"{\"path\":\"a.txt\",\"content\":\"unfini"}}]"#
        expectEveryWay(sse([chunk(call), chunk("", finish: #""tool_calls""#), "[DONE]"]), [
            .toolCallStart(index: 0, id: "call_1", name: "write_file"),
            .toolCallArgumentsDelta(index: 0, fragment: #"{"path":"a.txt","content":"unfini"#),
            .toolCallEnd(index: 0), .finish(.toolCalls),
        ])
    }

    @Test func anUnreadableChunkFailsTheTurnKeepingWhatArrived() {
        let events = decodeStream(sse([chunk(#""content":"Hel""#), #"{"choices":[{"delta":{"content":"lo"#,
                                       chunk(#""content":"!""#), "[DONE]"]))
        #expect(events.first == .textDelta("Hel"))
        guard case .error(let error)? = events.last, events.count == 2 else { Issue.record("\(events)"); return }
        #expect(error.kind == .badResponse)
        #expect(error.detail?.hasPrefix("unreadable stream chunk") == true)
    }

    @Test func anEmptyBodyAt200IsAnInterruptedStream() {
        let events = decodeStream("")
        guard case .error(let error)? = events.first, events.count == 1 else { Issue.record("\(events)"); return }
        #expect(error.kind == .streamInterrupted)
        #expect(error.httpStatus == 200)
    }

    @Test func nothingIsEmittedAfterTheTerminalEvent() {
        var decoder = OpenAIChunkDecoder(provider: "p", url: "u")
        #expect(decoder.consume(SSEEvent(data: "[DONE]")) == [.finish(.stop)])
        #expect(decoder.consume(SSEEvent(data: chunk(#""content":"late""#))).isEmpty)
        #expect(decoder.finish().isEmpty)
    }
}

@Suite("ErrorClassifier", .timeLimit(.minutes(2)))
struct ErrorClassifierTests {
    @Test(arguments: [
        (401, #"{"error":{"message":"Incorrect API key"}}"#, ProviderError.Kind.unauthorized, "Incorrect API key"),
        (404, #"{"error":"model 'x' not found"}"#, .modelNotFound, "model 'x' not found"),
        (429, #"{"error":{"message":"slow down","code":null}}"#, .rateLimited, "slow down"),
        (400, #"{"error":{"message":"too long","code":"context_length_exceeded"}}"#, .contextTooLong, "too long"),
        (400, #"{"error":{"message":"bad tool schema","type":"invalid_request_error"}}"#, .badRequest, "bad tool schema"),
        (401, #"{"detail":"Invalid API key"}"#, .unauthorized, "Invalid API key"),
        (500, "Internal Server Error", .serverError, "Internal Server Error"),
        (503, "", .serverError, nil),
    ] as [(Int, String, ProviderError.Kind, String?)])
    func httpStatusAndBodyAreClassified(status: Int, body: String, kind: ProviderError.Kind, message: String?) {
        let error = ErrorClassifier.httpError(status: status, headers: [:], body: Array(body.utf8),
                                              provider: "p", url: "http://x/v1/chat/completions")
        #expect(error.kind == kind)
        #expect(error.serverMessage == message)
        #expect(error.httpStatus == status)
    }

    /// Each server's context overflow (issue 12): the engine compacts and retries on `.contextTooLong`.
    @Test(arguments: [
        #"{"error":{"message":"This model's maximum context length is 6000 tokens. However, your messages resulted in 6100 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#,
        #"{"error":{"message":"litellm.BadRequestError: litellm.ContextWindowExceededError: input too large","type":null,"param":null,"code":"400"}}"#,
        #"{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error","n_prompt_tokens":5000,"n_ctx":4096}}"#,
        #"{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens in the messages.","type":"BadRequestError","param":null,"code":400}"#,
    ])
    func eachServersContextOverflowIsContextTooLong(body: String) {
        let error = ErrorClassifier.httpError(status: 400, headers: [:], body: Array(body.utf8),
                                              provider: "p", url: "http://x/v1/chat/completions")
        #expect(error.kind == .contextTooLong)
    }

    @Test func aKeyRefusedWithA400IsABadKeyByItsMessage() {
        // LiteLLM answers a wrong key with HTTP 400; its message says what happened.
        let liteLLM = #"{"error":{"message":"litellm.AuthenticationError: AuthenticationError: OpenAIException - "#
            + #"Incorrect API key provided: sk-wrong.","type":"auth_error","param":"None","code":"400"}}"#
        let error = ErrorClassifier.httpError(status: 400, headers: [:], body: Array(liteLLM.utf8),
                                              provider: "litellm", url: "http://127.0.0.1:4000/v1/chat/completions")
        #expect(error.kind == .unauthorized)
        #expect(error.reason == "bad or missing API key")
        for message in ["Invalid API key", "invalid_api_key", "API key not valid. Please pass a valid API key.",
                        "Unauthorized"] {
            #expect(ErrorClassifier.kind(status: 400, code: nil, type: nil, message: message) == .unauthorized, "\(message)")
        }
        // Inside a 200 stream, too; but a 5xx or 429 that mentions authentication stays transient.
        #expect(ErrorClassifier.kind(status: nil, code: nil, type: nil, message: "Authentication failed") == .unauthorized)
        #expect(ErrorClassifier.kind(status: 503, code: nil, type: nil, message: "authentication service down") == .serverError)
        #expect(ErrorClassifier.kind(status: 429, code: nil, type: nil, message: "unauthorized burst") == .rateLimited)
        #expect(ErrorClassifier.kind(status: 400, code: nil, type: nil, message: "bad tool schema") == .badRequest)
    }

    @Test func retryAfterIsReported() {
        let error = ErrorClassifier.httpError(status: 429, headers: ["retry-after": "7"], body: [],
                                              provider: "p", url: "u")
        #expect(error.detail == "retry after 7 s")
    }
}

@Suite("Large stream", .timeLimit(.minutes(2)))
struct LargeStreamTests {
    /// 2,000 OpenAI-shaped chunks through SSEParser + OpenAIChunkDecoder, fed in 4 KB
    /// reads: every token arrives and the stream finishes. (Speed is measured by the
    /// benchmarks in bench/, not here.)
    @Test func twoThousandTokenStream() {
        let prefix = #"{"id":"chatcmpl-mock-1","object":"chat.completion.chunk","created":1700000000,"model":"mock-model","#
        let payloads = (0..<2000).map { prefix + #""choices":[{"index":0,"delta":{"content":"tok\#($0) "},"finish_reason":null}]}"# }
            + [prefix + #""choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#, "[DONE]"]
        let bytes = Array(sse(payloads).utf8)
        var events: [ProviderEvent] = []
        do {
            var parser = SSEParser()
            var decoder = OpenAIChunkDecoder(provider: "bench", url: "u")
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + 4096)
                for event in bytes[offset..<end].withUnsafeBytes({ parser.feed($0) }) { events += decoder.consume(event) }
                offset = end
            }
            for event in parser.finish() { events += decoder.consume(event) }
            events += decoder.finish()
        }
        #expect(events.count == 2001)
        #expect(events.last == .finish(.stop))
    }
}
