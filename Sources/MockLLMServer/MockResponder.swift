import Glibc

/// Writes the answer to one request on a connected socket (runs on a connection thread).
struct MockResponder {
    let fd: Int32
    let configuration: MockLLMConfiguration
    let exchangeNumber: Int
    /// Reports whether the server is stopping (to tell a stop from a client leaving).
    let isStopping: @Sendable () -> Bool
    /// Called just before each SSE event is written (records `lastEventWriteStarted`).
    let eventWriteStarting: @Sendable () -> Void
    /// Where `[[gate NAME]]` replies wait.
    let gates: MockGates

    func respond(to request: RecordedRequest) -> ExchangeOutcome {
        if let hostile = configuration.hostile, let outcome = respondHostile(hostile, to: request) { return outcome }
        if let outcome = respondOllama(to: request) { return outcome } // Ollama's native API: MockOllama.swift
        if let outcome = respondMetadata(to: request) { return outcome } // llama.cpp/LM Studio: MockMetadata.swift
        let path = request.path.hasPrefix("/v1/") ? String(request.path.dropFirst(3)) : request.path
        switch (request.method, path) {
        case ("GET", "/models"):
            let entries = configuration.models.map { #"{"id":"\#(jsonEscaped($0))","object":"model","owned_by":"mock"}"# }
            return sendWhole(status: 200, body: #"{"object":"list","data":[\#(entries.joined(separator: ","))]}"#)
        case ("POST", "/chat/completions"):
            if let window = configuration.contextWindow, let refusal = Self.overflow(request, window: window) {
                return sendWhole(status: 400, body: refusal)
            }
            return streamChat(MockPlan(body: request.body, configuration: configuration, exchangeNumber: exchangeNumber))
        default:
            return sendWhole(status: 404, body: MockPlan.errorJSON("No route for \(request.method) \(request.path)",
                                                                   type: "invalid_request_error", code: "null"))
        }
    }

    /// OpenAI's context overflow body when `request` is estimated above `window` tokens.
    static func overflow(_ request: RecordedRequest, window: Int) -> String? {
        let tokens = (request.body.count + 3) / 4
        guard tokens > window else { return nil }
        let message = "This model's maximum context length is \(window) tokens. However, your messages resulted "
            + "in \(tokens) tokens. Please reduce the length of the messages."
        return MockPlan.errorJSON(message, type: "invalid_request_error", code: #""context_length_exceeded""#)
    }

    private func sendWhole(status: Int, body: String, extraHeaders: String = "") -> ExchangeOutcome {
        let bytes = Array(body.utf8)
        let head = "HTTP/1.1 \(status) \(Self.reasonPhrase(status))\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(bytes.count)\r\n\(extraHeaders)Connection: close\r\n\r\n"
        return MockSocket.sendAll(fd, Array(head.utf8) + bytes) ? .completed : lost()
    }

    private func lost() -> ExchangeOutcome { isStopping() ? .serverStopped : .clientDisconnected }

    private func streamChat(_ plan: MockPlan) -> ExchangeOutcome {
        if let hostile = plan.hostile { return streamHostile(hostile, plan) }
        if let error = plan.httpError {
            return sendWhole(status: error.status, body: error.body,
                             extraHeaders: error.status == 429 ? "Retry-After: 1\r\n" : "")
        }
        if plan.emptyBody {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            return MockSocket.sendAll(fd, Array(head.utf8)) ? .completed : lost()
        }
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        guard MockSocket.sendAll(fd, Array(head.utf8)) else { return lost() }
        let chunks = MockChunks(id: "chatcmpl-mock-\(exchangeNumber)", model: plan.model, created: time(nil))
        guard event(chunks.delta(#""role":"assistant","content":"""#)) else { return lost() }
        for piece in plan.reasoning {
            guard event(chunks.delta(#""reasoning_content":"\#(jsonEscaped(piece))""#)) else { return lost() }
        }
        let stopAfter = plan.ending == .normal ? plan.pieces.count : max(1, plan.pieces.count / 2)
        for (index, piece) in plan.pieces.prefix(stopAfter).enumerated() {
            if index > 0, plan.delayMilliseconds > 0,
               !MockSocket.waitWhileConnected(fd, milliseconds: plan.delayMilliseconds) { return lost() }
            guard event(chunks.delta(#""content":"\#(jsonEscaped(piece))""#)) else { return lost() }
            if let gate = plan.gate, index + 1 == max(1, plan.pieces.count / 2),
               !gates.wait(at: gate, fd: fd, isStopping: isStopping) { return lost() }
        }
        switch plan.ending {
        case .truncate:
            return .completed // Closing now leaves the chunked body unterminated: no [DONE].
        case .midstreamError:
            let error = MockPlan.errorJSON("The server had an error while processing your request.",
                                           type: "server_error", code: "null")
            return event(error) && MockSocket.sendAll(fd, Array("0\r\n\r\n".utf8)) ? .completed : lost()
        case .normal:
            return finishStream(plan, chunks) ? .completed : lost()
        }
    }

    /// Tool call (if any), finish chunk, usage chunk (when asked for), `[DONE]`, end of body.
    private func finishStream(_ plan: MockPlan, _ chunks: MockChunks) -> Bool {
        var reason = "stop"
        if let call = plan.toolCall {
            reason = "tool_calls"
            let start = #""tool_calls":[{"index":0,"id":"call_mock_\#(exchangeNumber)","type":"function","#
                + #""function":{"name":"\#(jsonEscaped(call.name))","arguments":""}}]"#
            guard event(chunks.delta(start)) else { return false }
            for piece in MockPlan.split(call.arguments, into: 3) {
                let fragment = #""tool_calls":[{"index":0,"function":{"arguments":"\#(jsonEscaped(piece))"}}]"#
                guard event(chunks.delta(fragment)) else { return false }
            }
        }
        guard event(chunks.finish(reason)) else { return false }
        if plan.includeUsage {
            let output = plan.pieces.count + plan.reasoning.count
            guard event(chunks.usage(prompt: plan.promptTokens, completion: output,
                                     reasoning: plan.reasoning.count)) else { return false }
        }
        return event("[DONE]") && MockSocket.sendAll(fd, Array("0\r\n\r\n".utf8))
    }

    /// Sends `data: payload` plus the blank line, as one HTTP chunk.
    private func event(_ payload: String) -> Bool {
        let line = "data: " + payload + "\n\n"
        let size = String(line.utf8.count, radix: 16)
        let bytes = Array((size + "\r\n" + line + "\r\n").utf8)
        eventWriteStarting()
        return MockSocket.sendAll(fd, bytes)
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

/// JSON text of `chat.completion.chunk` objects for one reply.
struct MockChunks {
    let id: String
    let model: String
    let created: Int

    private var prefix: String {
        #"{"id":"\#(id)","object":"chat.completion.chunk","created":\#(created),"model":"\#(jsonEscaped(model))","#
    }

    /// A chunk whose delta holds `fields` (raw JSON members).
    func delta(_ fields: String) -> String {
        prefix + #""choices":[{"index":0,"delta":{\#(fields)},"finish_reason":null}]}"#
    }

    func finish(_ reason: String) -> String {
        prefix + #""choices":[{"index":0,"delta":{},"finish_reason":"\#(reason)"}]}"#
    }

    /// A usage chunk whose `usage` object is `json` as given.
    func usage(raw json: String) -> String { prefix + #""choices":[],"usage":\#(json)}"# }

    func usage(prompt: Int, completion: Int, reasoning: Int) -> String {
        prefix + #""choices":[],"usage":{"prompt_tokens":\#(prompt),"completion_tokens":\#(completion),"#
            + #""total_tokens":\#(prompt + completion),"prompt_tokens_details":{"cached_tokens":0},"#
            + #""completion_tokens_details":{"reasoning_tokens":\#(reasoning)}}}"#
    }
}
