import AgentCore
import FoundationEssentials

/// Turns the NDJSON lines of an Ollama `/api/chat` stream into `ProviderEvent`s.
///
/// `message.thinking` becomes `.reasoningDelta`, `message.content` `.textDelta`. Tool calls
/// arrive whole: each gives `.toolCallStart`, one `.toolCallArgumentsDelta` (the arguments
/// object as JSON text) and `.toolCallEnd`, indexed in arrival order. The `done: true` line
/// gives `.usage` then exactly one `.finish`; a bare `{"error": ...}` line (Ollama sends
/// one mid-stream at HTTP 200) gives one `.error`. A line that is not JSON means part of the
/// reply is lost: it ends the stream with `.error(kind: .badResponse)`, as an unreadable SSE
/// chunk does (D35); blank lines are ignored. A stream that ends with neither gives
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
    /// Moves a leading inline `<think>` block of the content to reasoning (models Ollama
    /// does not parse thinking for).
    private var thinkSplitter = ThinkTagSplitter()

    public init(provider: String, url: String) {
        self.provider = provider
        self.url = url
    }

    /// Handles one line (without its line break).
    public mutating func consume(line: [UInt8]) -> [ProviderEvent] {
        guard !isDone else { return [] }
        guard let chunk = try? json.decode(OllamaChatLine.self, from: Data(line)) else {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return [] }
            return unreadable(line)
        }
        sawLine = true
        if let error = chunk.error { return fail(error) }
        var events: [ProviderEvent] = []
        if let thinking = chunk.thinking, !thinking.isEmpty { events.append(.reasoningDelta(thinking)) }
        if let content = chunk.content, !content.isEmpty { events += thinkSplitter.feed(content).map(\.event) }
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
            events += thinkSplitter.finish().map(\.event)
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
        // Text held back for a possible `</think>` still reaches the consumer.
        return thinkSplitter.finish().map(\.event)
            + [.error(ProviderError(kind: .streamInterrupted, provider: provider, url: url,
                                    detail: "the stream ended without a \"done\": true line"))]
    }

    /// Ends the stream on a line that is not JSON: part of the reply is lost, so the turn
    /// fails (the conversation keeps what arrived) rather than finishing damaged.
    private mutating func unreadable(_ line: [UInt8]) -> [ProviderEvent] {
        isDone = true
        let text = ErrorClassifier.clip(String(decoding: line.prefix(120), as: UTF8.self))
        // Nothing decoded yet: the body is not NDJSON at all (an HTML proxy page, say).
        let detail = sawLine ? "unreadable stream line: \(text)" : "the reply was not NDJSON: \(text)"
        return thinkSplitter.finish().map(\.event)
            + [.error(ProviderError(kind: .badResponse, provider: provider, url: url, detail: detail))]
    }

    private mutating func fail(_ error: OpenAIErrorBody) -> [ProviderEvent] {
        isDone = true
        let message = error.message ?? "error line without a message"
        let kind = ErrorClassifier.kind(status: nil, code: error.code, type: error.type, message: message)
        return thinkSplitter.finish().map(\.event) + [.error(ProviderError(kind: kind, provider: provider, url: url,
                                     serverMessage: ErrorClassifier.clip(message),
                                     detail: error.code.map { "code \($0)" }))]
    }
}
