import FoundationEssentials

/// What the mock answers to one chat request, decided by markers in the last user message:
///
/// - `[[echo]]`: the user's text (markers removed) is the reply.
/// - `[[slow]]`: chunks `slowDelayMilliseconds` apart (at least 20 of them).
/// - `[[long N]]`: N one-word tokens, as fast as possible (benchmarks).
/// - `[[reasoning]]`: a few `reasoning_content` chunks before the text.
/// - `[[tool NAME {json}]]`: one streamed tool call (arguments default to `{}`).
/// - `[[tool-if-offered NAME {json}]]`: the same, only when the request offers tool NAME (a
///   summary request quoting the marker gets text: the soak, `bench/soak.py`).
/// - `[[errorNNN]]`: HTTP NNN with an OpenAI error body (429 adds `Retry-After: 1`).
/// - `[[ratelimit-once]]`: the server's first exchange answers 429 (as `[[error429]]`); later
///   ones stream normally (for retry tests: use a fresh server).
/// - `[[context-overflow]]`: HTTP 400 with code `context_length_exceeded`.
/// - `[[midstream-error]]`: some text, then `data: {"error": {...}}` and no `[DONE]`.
/// - `[[truncate]]`: some text, then the connection closes mid-body (no `[DONE]`).
/// - `[[empty]]`: HTTP 200 with an empty body.
/// - `[[no-tools]]`: when the request offers `tools`, HTTP 400 "... does not support tools"
///   (as Ollama answers for models without tool support); without tools, a normal reply.
/// - `[[hostile NAME]]`: a hostile answer (`MockHostility`: absurd `Retry-After`, absurd usage,
///   an endless line, deep JSON, invalid UTF-8, a NUL byte, escape sequences, …).
/// - `[[gate NAME]]`: after half of the text (at least one piece) the reply waits until the test
///   calls `MockLLMServer.openGate(NAME)` (`NAME` defaults to `gate`); finish and usage follow.
///
/// When the last message is a tool result, the reply is plain text quoting it, so an
/// agent loop driven by `[[tool ...]]` ends after one round.
struct MockPlan: Sendable {
    enum Ending: Sendable, Hashable { case normal, midstreamError, truncate }

    var model: String
    var reasoning: [String] = []
    var pieces: [String] = []
    var toolCall: (name: String, arguments: String)?
    var delayMilliseconds = 0
    var ending = Ending.normal
    var includeUsage = false
    var promptTokens = 0
    /// A non-2xx answer instead of a stream: status and JSON body.
    var httpError: (status: Int, body: String)?
    var emptyBody = false
    /// Names of the tools the request offered.
    var toolNames: [String] = []
    /// `[[no-tools]]` met a request with tools: the answer is "does not support tools".
    var rejectsTools = false
    /// `[[gate NAME]]`: the gate the reply waits at mid-stream.
    var gate: String?
    /// `[[hostile NAME]]` (or the server-wide `configuration.hostile`).
    var hostile: MockHostility?

    /// Which exchange of the server this is (1-based), for markers that depend on it.
    var exchangeNumber = 1

    /// Reads the request body and markers.
    init(body: [UInt8], configuration: MockLLMConfiguration, exchangeNumber: Int = 1) {
        self.exchangeNumber = exchangeNumber
        let request = try? JSONDecoder().decode(MockChatRequest.self, from: Data(body))
        model = request?.model ?? "mock-model"
        includeUsage = request?.streamOptions?.includeUsage ?? false
        toolNames = (request?.tools ?? []).compactMap { $0.function?.name }
        let messages = request?.messages ?? []
        promptTokens = messages.reduce(0) { $0 + $1.text.split(separator: " ").count }
        // A server with a window reports the prompt as it measures it against the window (D135).
        if configuration.contextWindow != nil { promptTokens = (body.count + 3) / 4 }
        delayMilliseconds = configuration.chunkDelayMilliseconds
        hostile = configuration.hostile
        if let last = messages.last, last.role == "tool" {
            pieces = Self.split("Tool result: " + String(last.text.prefix(200)), into: configuration.chunkCount)
            return
        }
        let prompt = messages.last { $0.role == "user" }?.text ?? ""
        applyMarkers(in: prompt, configuration: configuration)
    }

    private mutating func applyMarkers(in prompt: String, configuration: MockLLMConfiguration) {
        var reply = configuration.replyText
        var chunkCount = configuration.chunkCount
        let markers = Self.markers(in: prompt)
        for marker in markers {
            let words = marker.split(separator: " ", maxSplits: 2).map(String.init)
            switch words.first ?? "" {
            case "echo": reply = Self.removingMarkers(from: prompt)
            case "slow":
                delayMilliseconds = configuration.slowDelayMilliseconds
                chunkCount = max(chunkCount, 20)
            case "long":
                let count = words.count > 1 ? Int(words[1]) ?? 2000 : 2000
                pieces = (0..<count).map { "tok\($0) " }
                delayMilliseconds = 0
            case "reasoning": reasoning = ["Let me think", " about this", " request."]
            case "gate": gate = words.count > 1 ? words[1] : "gate"
            case "hostile" where words.count > 1: hostile = MockHostility(rawValue: words[1])
            case "tool" where words.count > 1: toolCall = (words[1], words.count > 2 ? words[2] : "{}")
            case "tool-if-offered" where words.count > 1 && toolNames.contains(words[1]):
                toolCall = (words[1], words.count > 2 ? words[2] : "{}")
            case "context-overflow":
                httpError = (400, Self.errorJSON("This model's maximum context length is 8192 tokens.",
                                                 type: "invalid_request_error", code: "\"context_length_exceeded\""))
            case "midstream-error": ending = .midstreamError
            case "truncate": ending = .truncate
            case "empty": emptyBody = true
            case "no-tools" where !toolNames.isEmpty:
                rejectsTools = true
                httpError = (400, Self.errorJSON(toolsUnsupportedMessage(), type: "api_error", code: "null"))
            case "ratelimit-once" where exchangeNumber == 1: httpError = (429, Self.errorBody(status: 429))
            case let word where word.hasPrefix("error"):
                if let status = Int(word.dropFirst(5)), (400..<600).contains(status) {
                    httpError = (status, Self.errorBody(status: status))
                }
            default: break
            }
        }
        if pieces.isEmpty { pieces = Self.split(reply, into: chunkCount) }
    }

    /// The texts between `[[` and `]]`.
    static func markers(in text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while let open = rest.firstRange(of: "[["), let close = rest[open.upperBound...].firstRange(of: "]]") {
            found.append(trimmed(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return found
    }

    static func removingMarkers(from text: String) -> String {
        var result = ""
        var rest = text[...]
        while let open = rest.firstRange(of: "[["), let close = rest[open.upperBound...].firstRange(of: "]]") {
            result += rest[..<open.lowerBound]
            rest = rest[close.upperBound...]
        }
        return trimmed(result + rest)
    }

    /// Splits text into at most `count` pieces of about equal length (by character).
    static func split(_ text: String, into count: Int) -> [String] {
        let characters = Array(text)
        guard !characters.isEmpty else { return [] }
        let pieces = max(1, min(count, characters.count))
        return (0..<pieces).map { index in
            String(characters[(index * characters.count / pieces)..<((index + 1) * characters.count / pieces)])
        }
    }

    /// Ollama's words for a model without tool support.
    func toolsUnsupportedMessage() -> String { "registry.ollama.ai/library/\(model) does not support tools" }

    static func errorBody(status: Int) -> String {
        switch status {
        case 401: errorJSON("Incorrect API key provided.", type: "invalid_request_error", code: "\"invalid_api_key\"")
        case 404: errorJSON("The model does not exist.", type: "invalid_request_error", code: "\"model_not_found\"")
        case 429: errorJSON("Rate limit reached.", type: "requests", code: "\"rate_limit_exceeded\"")
        case 500...: errorJSON("The server had an error.", type: "server_error", code: "null")
        default: errorJSON("Bad request.", type: "invalid_request_error", code: "null")
        }
    }

    /// `{"error": {...}}`; `code` is raw JSON (a quoted string, a number or null).
    static func errorJSON(_ message: String, type: String, code: String) -> String {
        #"{"error":{"message":"\#(jsonEscaped(message))","type":"\#(type)","param":null,"code":\#(code)}}"#
    }
}

/// `text` without leading and trailing spaces and tabs.
func trimmed(_ text: some StringProtocol) -> String {
    String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
}

/// JSON string contents for `text` (without the surrounding quotes).
func jsonEscaped(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case let control where control.value < 0x20:
            let hex = String(control.value, radix: 16)
            result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result
}

/// The parts of a chat request the mock reads.
private struct MockChatRequest: Decodable {
    struct Message: Decodable {
        var role: String
        var text: String

        private enum Keys: String, CodingKey { case role, content }
        private struct Part: Decodable { var text: String? }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            role = (try? container.decode(String.self, forKey: .role)) ?? ""
            if let text = try? container.decode(String.self, forKey: .content) {
                self.text = text
            } else if let parts = try? container.decode([Part].self, forKey: .content) {
                self.text = parts.compactMap(\.text).joined(separator: "\n")
            } else {
                self.text = ""
            }
        }
    }

    struct StreamOptions: Decodable {
        var includeUsage: Bool?
        private enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    /// `{"type": "function", "function": {"name", ...}}`.
    struct Tool: Decodable {
        struct Function: Decodable { var name: String? }
        var function: Function?
    }

    var model: String?
    var messages: [Message]?
    var streamOptions: StreamOptions?
    var tools: [Tool]?
    private enum CodingKeys: String, CodingKey {
        case model, messages, tools
        case streamOptions = "stream_options"
    }
}
