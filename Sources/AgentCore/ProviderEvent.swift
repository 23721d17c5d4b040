import FoundationEssentials

/// Why a model stopped generating.
public enum FinishReason: Sendable, Hashable {
    case stop
    case toolCalls
    case length
    case contentFilter
    /// A reason string the provider sent that none of the above covers.
    case other(String)

    /// Maps an OpenAI-style `finish_reason` (or Ollama `done_reason`) string.
    public init(wireValue: String) {
        switch wireValue {
        case "stop", "end_turn", "eos", "stop_sequence": self = .stop
        case "tool_calls", "function_call", "tool_use": self = .toolCalls
        case "length", "max_tokens": self = .length
        case "content_filter": self = .contentFilter
        default: self = .other(wireValue)
        }
    }
}

/// Token counts of one request, as the server reported them (or estimated, when flagged).
///
/// `inputTokens` includes `cachedInputTokens` and `cacheWriteTokens`; `outputTokens` includes
/// `reasoningTokens` (the OpenAI convention; other wire formats are normalized to it, e.g.
/// xAI's `completion_tokens`, which leaves reasoning out).
public struct TokenUsage: Sendable, Hashable, Codable {
    public var inputTokens: Int
    public var outputTokens: Int
    public var cachedInputTokens: Int
    /// Input tokens written to a prompt cache (Anthropic-style `cache_creation_input_tokens`).
    public var cacheWriteTokens: Int
    public var reasoningTokens: Int
    /// True when the figures were estimated locally because the server sent none.
    public var isEstimate: Bool
    /// The cost in USD the provider itself reported for this request (OpenRouter `usage.cost`).
    public var reportedCost: Decimal?

    public init(inputTokens: Int = 0, outputTokens: Int = 0, cachedInputTokens: Int = 0,
                cacheWriteTokens: Int = 0, reasoningTokens: Int = 0, isEstimate: Bool = false,
                reportedCost: Decimal? = nil) {
        // Every count is clamped to 0...InputLimits.maxTokenCount: a server's negative or
        // near-Int.max figure must not trap the sums and differences made of it (D50).
        self.inputTokens = InputLimits.tokenCount(inputTokens)
        self.outputTokens = InputLimits.tokenCount(outputTokens)
        self.cachedInputTokens = InputLimits.tokenCount(cachedInputTokens)
        self.cacheWriteTokens = InputLimits.tokenCount(cacheWriteTokens)
        self.reasoningTokens = InputLimits.tokenCount(reasoningTokens)
        self.isEstimate = isEstimate
        self.reportedCost = reportedCost
    }

    /// Component-wise sum (saturating); the result is an estimate if either side is. A
    /// reported cost survives only when both sides reported one.
    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        let cost: Decimal? = if let a = lhs.reportedCost, let b = rhs.reportedCost { a + b } else { nil }
        return TokenUsage(inputTokens: lhs.inputTokens.saturatingAdding(rhs.inputTokens),
                          outputTokens: lhs.outputTokens.saturatingAdding(rhs.outputTokens),
                          cachedInputTokens: lhs.cachedInputTokens.saturatingAdding(rhs.cachedInputTokens),
                          cacheWriteTokens: lhs.cacheWriteTokens.saturatingAdding(rhs.cacheWriteTokens),
                          reasoningTokens: lhs.reasoningTokens.saturatingAdding(rhs.reasoningTokens),
                          isEstimate: lhs.isEstimate || rhs.isEstimate,
                          reportedCost: cost)
    }
}

/// The one closed event type every provider's stream is normalized to.
///
/// A stream ends after exactly one `.finish` or `.error` (or when the consumer cancels).
/// `.notice` events may come at any point before that and do not end the stream.
public enum ProviderEvent: Sendable, Hashable {
    case textDelta(String)
    case reasoningDelta(String)
    case toolCallStart(index: Int, id: String, name: String)
    case toolCallArgumentsDelta(index: Int, fragment: String)
    case toolCallEnd(index: Int)
    case usage(TokenUsage)
    case finish(FinishReason)
    case error(ProviderError)
    /// Informational status for the user, e.g. "rate limited, retrying in 2s (2/4)";
    /// the stream continues after it.
    case notice(String)
    /// An attempt failed and is being retried (after its `.notice`); the engine counts it as a
    /// request when the server answered it (`httpStatus` set, D112). Does not end the stream.
    case attemptFailed(ProviderError)
}
