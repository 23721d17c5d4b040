import AgentCore
import FoundationEssentials

/// Turns the SSE events of an OpenAI chat-completions stream into `ProviderEvent`s.
///
/// Reasoning arrives as `reasoning_content`, `reasoning`, OpenRouter's `reasoning_details`
/// or a leading inline `<think>` block in `content` (see `ThinkTagSplitter`); a legacy
/// `function_call` delta is tool call 0. `usage.cost` is read exactly into `reportedCost`.
///
/// End-of-stream contract: `[DONE]`, or a finish reason followed by the end of the
/// stream, yields the open tool calls' `.toolCallEnd`s, then `.usage` (when the server sent
/// any: a missing usage is estimated by the engine from the reply, D180), then exactly one `.finish`. An error
/// chunk yields one `.error`. A stream that ends with neither yields
/// `.error(kind: .streamInterrupted)`. Nothing is emitted after that.
///
/// Plain content chunks are read by `PlainContentChunk` (D49); everything else is decoded
/// with `JSONDecoder` (FoundationEssentials). Measured on a typical
/// 240-byte content chunk (release build, 2-core machine): JSONDecoder 13-16 µs,
/// JSONSerialization 15 µs (and it needs full Foundation), so JSONDecoder it is. The
/// lenient field-by-field decoding costs the same as synthesized `Decodable` as long as
/// absent nested objects are checked with `contains` (a thrown keyNotFound costs ~10 µs).
/// Whole path (SSEParser + this decoder), 2,000 chunks fed in 4 KB reads: ~40 ms.
public struct OpenAIChunkDecoder: Sendable {
    public let provider: String
    public let url: String
    /// True once the terminal event (finish or error) was returned.
    public private(set) var isDone = false
    /// True once any chunk (even an empty one) decoded.
    public private(set) var sawChunk = false

    private var finishReason: FinishReason?
    private var usage: TokenUsage?
    /// Tool-call indexes in the order their `.toolCallStart` went out.
    private var startedCalls: [Int] = []
    /// Argument text that arrived before a call's name (started once the name comes).
    private var orphanArguments: [Int: String] = [:]
    private let json = JSONDecoder()
    /// Whether plain content chunks are read by `PlainContentChunk` instead of `JSONDecoder`
    /// (tests turn it off to compare the two paths).
    var usesFastPath = true
    private var unreadableChunks = 0
    private var firstUnreadable: String?
    /// Moves a leading inline `<think>` block of the content to reasoning.
    private var thinkSplitter = ThinkTagSplitter()

    public init(provider: String, url: String) {
        self.provider = provider
        self.url = url
    }

    /// Handles one SSE event.
    public mutating func consume(_ event: SSEEvent) -> [ProviderEvent] {
        guard !isDone else { return [] }
        if let errorText = event.error { return fail(errorDocument: errorText) }
        if event.event == "error" { return fail(errorDocument: event.data) }
        if event.event == "message_start" { return rejectAnthropicStream() }
        let data = event.data
        if data == "[DONE]" || (data.utf8.count < 16 && data.trimmingWhitespace() == "[DONE]") { return complete() }
        if usesFastPath, let content = PlainContentChunk.content(of: data) {
            sawChunk = true
            var events: [ProviderEvent] = []
            if !content.isEmpty {
                events = thinkSplitter.feed(content).map(\.event)
            }
            return events
        }
        guard let chunk = try? json.decode(OpenAIChunk.self, from: Data(data.utf8)),
              !chunk.choices.contains(where: { $0.delta?.contentUnreadable == true }) else {
            // An empty data line carries nothing; anything else that is not a chunk means
            // part of the reply is lost, so the turn fails (retryable) instead of finishing
            // with a silently damaged reply.
            if data.trimmingWhitespace().isEmpty { return [] }
            unreadableChunks += 1
            if firstUnreadable == nil { firstUnreadable = ErrorClassifier.clip(String(data.prefix(120))) }
            isDone = true
            return thinkSplitter.finish().map(\.event) + [.error(ProviderError(
                kind: .badResponse, provider: provider, url: url,
                detail: "unreadable stream chunk: \(firstUnreadable ?? "")"))]
        }
        sawChunk = true
        if let error = chunk.error { return fail(error) }
        if let wireUsage = chunk.usage {
            usage = wireUsage.tokenUsage
            // Exact from the number's text (never through Double): only when one is there.
            if data.contains(#""cost""#) { usage?.reportedCost = Self.reportedCost(inChunk: data) }
        }
        var events: [ProviderEvent] = []
        for (position, choice) in chunk.choices.enumerated() where (choice.index ?? position) == 0 {
            if let delta = choice.delta { apply(delta, into: &events) }
            if let reason = choice.finishReason, !reason.isEmpty {
                // Only a real value is stored: a later `null` never erases a reason seen.
                finishReason = FinishReason(wireValue: reason)
            }
        }
        return events
    }

    /// Ends a non-streamed reply (one whole `chat.completion` consumed as a chunk): it is
    /// complete even when the server sent no finish reason.
    mutating func completeWholeReply() -> [ProviderEvent] {
        guard !isDone else { return [] }
        return complete()
    }

    /// The stream ended (the body is complete).
    public mutating func finish() -> [ProviderEvent] {
        guard !isDone else { return [] }
        if finishReason != nil { return complete() }
        isDone = true
        var detail = "the stream ended without [DONE] or a finish reason"
        if unreadableChunks > 0 {
            detail += "; \(unreadableChunks) unreadable chunk(s), first: \(firstUnreadable ?? "")"
        }
        // Text held back for a possible `</think>` still reaches the consumer.
        return thinkSplitter.finish().map(\.event)
            + [.error(ProviderError(kind: .streamInterrupted, provider: provider, url: url, detail: detail))]
    }

    private mutating func apply(_ delta: OpenAIChunk.Delta, into events: inout [ProviderEvent]) {
        if let reasoning = delta.reasoningText, !reasoning.isEmpty {
            events.append(.reasoningDelta(reasoning))
        }
        if let content = delta.content, !content.isEmpty {
            events += thinkSplitter.feed(content).map(\.event)
        }
        if let refusal = delta.refusal, !refusal.isEmpty { events.append(.textDelta(refusal)) }
        for (position, call) in delta.effectiveToolCalls.enumerated() {
            let index = call.index ?? position
            let arguments = call.arguments ?? ""
            if startedCalls.contains(index) {
                // Continuations: resent ids/names (empty or full) never replace the first.
                if !arguments.isEmpty { events.append(.toolCallArgumentsDelta(index: index, fragment: arguments)) }
                continue
            }
            guard let name = call.name, !name.isEmpty else {
                if !arguments.isEmpty { orphanArguments[index, default: ""] += arguments }
                continue
            }
            let id = call.id.flatMap { $0.isEmpty ? nil : $0 } ?? "call_\(index)"
            events.append(contentsOf: start(index: index, id: id, name: name))
            if !arguments.isEmpty { events.append(.toolCallArgumentsDelta(index: index, fragment: arguments)) }
        }
    }

    private mutating func start(index: Int, id: String, name: String) -> [ProviderEvent] {
        startedCalls.append(index)
        var events: [ProviderEvent] = [.toolCallStart(index: index, id: id, name: name)]
        if let early = orphanArguments.removeValue(forKey: index) {
            events.append(.toolCallArgumentsDelta(index: index, fragment: early))
        }
        return events
    }

    /// The `usage.cost` of a chunk (OpenRouter, USD) as an exact `Decimal` from its text.
    static func reportedCost(inChunk data: String) -> Decimal? {
        guard let root = try? JSONReader.parse(data), let text = root["usage"]?["cost"]?.number?.text else {
            return nil
        }
        return InputLimits.reportedCost(Decimal(string: text))
    }

    /// The normal end: close tool calls, report usage, then the one `.finish`.
    private mutating func complete() -> [ProviderEvent] {
        isDone = true
        var events: [ProviderEvent] = []
        events += thinkSplitter.finish().map(\.event)
        // Arguments whose call never got a name still reach the engine (as a nameless call).
        for index in orphanArguments.keys.sorted() {
            events.append(contentsOf: start(index: index, id: "call_\(index)", name: ""))
        }
        events += startedCalls.map { .toolCallEnd(index: $0) }
        if let usage { events.append(.usage(usage)) }
        events.append(.finish(finishReason ?? (startedCalls.isEmpty ? .stop : .toolCalls)))
        return events
    }

    private mutating func fail(errorDocument text: String) -> [ProviderEvent] {
        let body = ErrorClassifier.parseErrorBody(Array(text.utf8))
        return fail(body.message == nil ? OpenAIErrorBody(message: "error event without a message") : body)
    }

    /// Anthropic's native Messages stream (`event: message_start` ...) is not this format.
    private mutating func rejectAnthropicStream() -> [ProviderEvent] {
        isDone = true
        return [.error(ProviderError(kind: .badResponse, provider: provider, url: url,
                                     detail: "this is Anthropic's native Messages stream, not OpenAI chat "
                                         + "completions: use an OpenAI-compatible endpoint (.../v1/chat/completions)"))]
    }

    private mutating func fail(_ error: OpenAIErrorBody) -> [ProviderEvent] {
        isDone = true
        let kind = ErrorClassifier.kind(status: nil, code: error.code, type: error.type, message: error.message)
        let failure = ProviderError(kind: kind, provider: provider, url: url,
                                    serverMessage: error.message.map(ErrorClassifier.clip),
                                    detail: error.code.map { "code \($0)" })
        return thinkSplitter.finish().map(\.event) + [.error(failure)]
    }
}
