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
        var detail = "the stream ended without a \"done\": true line"
        if unreadableLines > 0 {
            detail += "; \(unreadableLines) unreadable line(s), first: \(firstUnreadable ?? "")"
        }
        // Text held back for a possible `</think>` still reaches the consumer.
        return thinkSplitter.finish().map(\.event)
            + [.error(ProviderError(kind: .streamInterrupted, provider: provider, url: url, detail: detail))]
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
