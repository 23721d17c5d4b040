import AgentCore
import FoundationEssentials

/// Turns the NDJSON lines of an Ollama `/api/chat` stream into `ProviderEvent`s.
///
/// `message.thinking` becomes `.reasoningDelta`, `message.content` `.textDelta`. Tool calls
/// arrive whole: each gives `.toolCallStart`, one `.toolCallArgumentsDelta` (the arguments
/// object as JSON text) and `.toolCallEnd`, indexed in arrival order. The `done: true` line
/// gives `.usage` then exactly one `.finish`; a bare `{"error": ...}` line (Ollama sends
/// one mid-stream at HTTP 200) gives one `.error`. A stream that ends with neither gives
/// `.error(kind: .streamInterrupted)`. Nothing is emitted after the terminal event.
public struct OllamaChunkDecoder: Sendable {
    /// The provider name errors carry.
    public let provider: String
    /// The chat URL errors carry.
    public let url: String
    /// True once the terminal event (finish or error) was returned.
    public private(set) var isDone = false
    /// True once any line decoded as JSON.
    public private(set) var sawLine = false

    private var callCount = 0
    private let json = JSONDecoder()
    private var unreadableLines = 0
    private var firstUnreadable: String?

    public init(provider: String, url: String) {
        self.provider = provider
        self.url = url
    }

    /// Handles one line (without its line break).
    public mutating func consume(line: [UInt8]) -> [ProviderEvent] {
        guard !isDone else { return [] }
        guard let chunk = try? json.decode(OllamaChatLine.self, from: Data(line)) else {
            unreadableLines += 1
            if firstUnreadable == nil {
                firstUnreadable = ErrorClassifier.clip(String(decoding: line.prefix(120), as: UTF8.self))
            }
            return []
        }
        sawLine = true
        if let error = chunk.error { return fail(error) }
        var events: [ProviderEvent] = []
        if let thinking = chunk.thinking, !thinking.isEmpty { events.append(.reasoningDelta(thinking)) }
        if let content = chunk.content, !content.isEmpty { events.append(.textDelta(content)) }
        for call in chunk.toolCalls {
            let index = callCount
            callCount += 1
            let id = call.id.flatMap { $0.isEmpty ? nil : $0 } ?? "call_\(index)"
            events.append(.toolCallStart(index: index, id: id, name: call.name ?? ""))
            events.append(.toolCallArgumentsDelta(index: index, fragment: call.argumentsText))
            events.append(.toolCallEnd(index: index))
        }
        if chunk.done {
            isDone = true
            events.append(.usage(TokenUsage(inputTokens: chunk.promptEvalCount ?? 0,
                                            outputTokens: chunk.evalCount ?? 0)))
            var reason = FinishReason(wireValue: chunk.doneReason ?? "stop")
            if callCount > 0, reason == .stop { reason = .toolCalls }
            events.append(.finish(reason))
        }
        return events
    }

    /// The stream ended (the body is complete) without a `done` line or an error line.
    public mutating func finish() -> [ProviderEvent] {
        guard !isDone else { return [] }
        isDone = true
        var detail = "the stream ended without a \"done\": true line"
        if unreadableLines > 0 {
            detail += "; \(unreadableLines) unreadable line(s), first: \(firstUnreadable ?? "")"
        }
        return [.error(ProviderError(kind: .streamInterrupted, provider: provider, url: url, detail: detail))]
    }

    private mutating func fail(_ error: OpenAIErrorBody) -> [ProviderEvent] {
        isDone = true
        let message = error.message ?? "error line without a message"
        let kind = ErrorClassifier.kind(status: nil, code: error.code, type: error.type, message: message)
        return [.error(ProviderError(kind: kind, provider: provider, url: url,
                                     serverMessage: ErrorClassifier.clip(message),
                                     detail: error.code.map { "code \($0)" }))]
    }
}

/// The per-transfer state machine of an Ollama chat: HTTP status handling, NDJSON
/// splitting and line decoding. Runs on the transport's thread, one call at a time.
struct OllamaStreamReader {
    private let provider: String
    private let url: String
    private var splitter = NDJSONLineSplitter()
    private var decoder: OllamaChunkDecoder
    private var status = 0
    private var headers: [String: String] = [:]
    private var errorBody: [UInt8]?
    /// The start of a 2xx body, to explain a reply that was not NDJSON.
    private var bodyPrefix: [UInt8] = []
    private var bodyBytes = 0
    private(set) var isDone = false

    init(provider: String, url: String) {
        self.provider = provider
        self.url = url
        decoder = OllamaChunkDecoder(provider: provider, url: url)
    }

    mutating func handle(_ event: TransportEvent) -> [ProviderEvent] {
        guard !isDone else { return [] }
        switch event {
        case .response(let status, let headers):
            self.status = status
            self.headers = headers
            if !(200..<300).contains(status) { errorBody = [] }
            return []
        case .bytes(let bytes):
            if errorBody != nil {
                errorBody!.append(contentsOf: bytes.prefix(ChatStreamReader.maxErrorBody - errorBody!.count))
                return []
            }
            bodyBytes += bytes.count
            if bodyPrefix.count < 4096 { bodyPrefix += bytes.prefix(4096 - bodyPrefix.count) }
            return ChatStreamReader.coalesced(decode(splitter.feed(bytes)))
        case .end:
            return end()
        case .failure(let failure):
            isDone = true
            if failure.kind == .cancelled { return [] }
            if let errorBody, status != 0 {
                return [.error(ErrorClassifier.httpError(status: status, headers: headers, body: errorBody,
                                                         provider: provider, url: url))]
            }
            return [.error(ErrorClassifier.transportError(failure, streaming: status != 0,
                                                          provider: provider, url: url))]
        }
    }

    private mutating func decode(_ lines: [[UInt8]]) -> [ProviderEvent] {
        var events: [ProviderEvent] = []
        for line in lines {
            events += decoder.consume(line: line)
            if decoder.isDone {
                isDone = true
                break
            }
        }
        return events
    }

    private mutating func end() -> [ProviderEvent] {
        if let errorBody {
            isDone = true
            return [.error(ErrorClassifier.httpError(status: status, headers: headers, body: errorBody,
                                                     provider: provider, url: url))]
        }
        var events = decode(splitter.finish())
        if isDone { return events }
        isDone = true
        if !decoder.sawLine {
            if bodyBytes == 0 {
                return events + [.error(ProviderError(kind: .streamInterrupted, provider: provider, url: url,
                                                      httpStatus: status, detail: "empty response body"))]
            }
            let text = String(decoding: bodyPrefix.prefix(300), as: UTF8.self)
            return events + [.error(ProviderError(kind: .badResponse, provider: provider, url: url, httpStatus: status,
                                                  detail: "the reply was not NDJSON: " + text))]
        }
        events += decoder.finish()
        return events
    }
}
