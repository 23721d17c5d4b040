import FoundationEssentials
import Glibc

// Ollama's native API on the mock server: `GET /api/tags`, `POST /api/show` and streaming
// `POST /api/chat` (NDJSON), scripted by the same prompt markers as the OpenAI routes
// (see `MockPlan`). Served models are `configuration.models`; each reports a context
// length of `configuration.ollamaContextLength` (default `MockOllama.contextLength`) and the
// `tools` capability.

/// Constants of the mock's Ollama routes, for tests.
public enum MockOllama {
    /// The `<arch>.context_length` `/api/show` reports by default.
    public static let contextLength = 32768
    /// The message of the bare error line `[[midstream-error]]` sends.
    public static let midstreamErrorMessage = "an error was encountered while running the model"
}

extension MockResponder {
    /// Answers Ollama's native routes; `nil` for any other path.
    func respondOllama(to request: RecordedRequest) -> ExchangeOutcome? {
        switch (request.method, request.path) {
        case ("GET", "/api/tags"):
            let entries = configuration.models.map { name in
                #"{"name":"\#(jsonEscaped(name))","model":"\#(jsonEscaped(name))","#
                    + #""modified_at":"2025-05-04T17:37:44.706015396-07:00","size":2019393189,"digest":"mock","#
                    + #""details":{"format":"gguf","family":"mock","parameter_size":"1B"}}"#
            }
            return sendOllamaWhole(status: 200, body: #"{"models":[\#(entries.joined(separator: ","))]}"#)
        case ("POST", "/api/show"):
            let model = (try? JSONDecoder().decode(MockShowRequest.self, from: Data(request.body)))?.model ?? ""
            guard configuration.models.contains(model) else {
                return sendOllamaWhole(status: 404, body: Self.ollamaError("model '\(model)' not found"))
            }
            let body = #"{"license":"","modelfile":"","parameters":"","template":"{{ .Prompt }}","#
                + #""details":{"format":"gguf","family":"mock"},"model_info":{"general.architecture":"mock","#
                + #""general.parameter_count":1000000000,"mock.context_length":\#(configuration.ollamaContextLength),"#
                + #""mock.embedding_length":2048},"capabilities":["completion","tools"]}"#
            return sendOllamaWhole(status: 200, body: body)
        case ("POST", "/api/chat"):
            return streamOllamaChat(MockPlan(body: request.body, configuration: configuration,
                                             exchangeNumber: exchangeNumber))
        default:
            return nil
        }
    }

    private func streamOllamaChat(_ plan: MockPlan) -> ExchangeOutcome {
        if let hostile = plan.hostile, let outcome = streamHostileOllama(hostile) { return outcome }
        if plan.rejectsTools {
            return sendOllamaWhole(status: 400, body: Self.ollamaError(plan.toolsUnsupportedMessage()))
        }
        if let error = plan.httpError {
            let overflow = error.body.contains("context_length_exceeded")
            return sendOllamaWhole(status: error.status,
                                   body: Self.ollamaError(status: error.status, model: plan.model, overflow: overflow))
        }
        if plan.emptyBody {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n"
            return MockSocket.sendAll(fd, Array(head.utf8)) ? .completed : ollamaLost()
        }
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n"
            + "Connection: close\r\n\r\n"
        guard MockSocket.sendAll(fd, Array(head.utf8)) else { return ollamaLost() }
        let prefix = #"{"model":"\#(jsonEscaped(plan.model))","created_at":"2025-07-07T20:22:19.184789Z","#
        func message(_ fields: String) -> String {
            prefix + #""message":{"role":"assistant",\#(fields)},"done":false}"#
        }
        for piece in plan.reasoning {
            guard ndjsonLine(message(#""content":"","thinking":"\#(jsonEscaped(piece))""#)) else { return ollamaLost() }
        }
        let stopAfter = plan.ending == .normal ? plan.pieces.count : max(1, plan.pieces.count / 2)
        for (index, piece) in plan.pieces.prefix(stopAfter).enumerated() {
            if index > 0, plan.delayMilliseconds > 0,
               !MockSocket.waitWhileConnected(fd, milliseconds: plan.delayMilliseconds) { return ollamaLost() }
            guard ndjsonLine(message(#""content":"\#(jsonEscaped(piece))""#)) else { return ollamaLost() }
        }
        switch plan.ending {
        case .truncate:
            return .completed // Closing now leaves the chunked body unterminated: no done line.
        case .midstreamError:
            let line = #"{"error":"\#(MockOllama.midstreamErrorMessage)"}"#
            return ndjsonLine(line) && MockSocket.sendAll(fd, Array("0\r\n\r\n".utf8)) ? .completed : ollamaLost()
        case .normal:
            break
        }
        if let call = plan.toolCall {
            let arguments = call.arguments.hasPrefix("{") ? call.arguments : "{}"
            let calls = #""content":"","tool_calls":[{"function":{"name":"\#(jsonEscaped(call.name))","#
                + #""arguments":\#(arguments)}}]"#
            guard ndjsonLine(message(calls)) else { return ollamaLost() }
        }
        // Ollama omits zero-valued metrics.
        let promptCount = plan.promptTokens > 0 ? #","prompt_eval_count":\#(plan.promptTokens)"# : ""
        let done = prefix + #""message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"#
            + #""total_duration":182242375,"load_duration":41295167\#(promptCount),"#
            + #""eval_count":\#(plan.pieces.count + plan.reasoning.count),"eval_duration":115959084}"#
        return ndjsonLine(done) && MockSocket.sendAll(fd, Array("0\r\n\r\n".utf8)) ? .completed : ollamaLost()
    }

    /// Sends one NDJSON line as one HTTP chunk.
    private func ndjsonLine(_ json: String) -> Bool {
        let line = json + "\n"
        let size = String(line.utf8.count, radix: 16)
        return MockSocket.sendAll(fd, Array((size + "\r\n" + line + "\r\n").utf8))
    }

    private func sendOllamaWhole(status: Int, body: String) -> ExchangeOutcome {
        let bytes = Array(body.utf8)
        let head = "HTTP/1.1 \(status) \(Self.reasonPhrase(status))\r\n"
            + "Content-Type: application/json; charset=utf-8\r\n"
            + "Content-Length: \(bytes.count)\r\nConnection: close\r\n\r\n"
        return MockSocket.sendAll(fd, Array(head.utf8) + bytes) ? .completed : ollamaLost()
    }

    private func ollamaLost() -> ExchangeOutcome { isStopping() ? .serverStopped : .clientDisconnected }

    /// Ollama's error body: `{"error": "..."}`.
    static func ollamaError(_ message: String) -> String { #"{"error":"\#(jsonEscaped(message))"}"# }

    /// The body Ollama sends for `status` (the markers' `[[errorNNN]]`, `[[context-overflow]]`).
    static func ollamaError(status: Int, model: String, overflow: Bool) -> String {
        switch status {
        case _ where overflow: ollamaError("input length exceeds the context length")
        case 401: ollamaError("unauthorized")
        case 404: ollamaError("model '\(model)' not found")
        case 429: ollamaError("too many requests")
        case 500...: ollamaError(MockOllama.midstreamErrorMessage)
        default: ollamaError("bad request")
        }
    }
}

/// The part of a `/api/show` request the mock reads.
private struct MockShowRequest: Decodable {
    var model: String?
}
