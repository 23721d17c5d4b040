import AgentCore
import FoundationEssentials

/// The base of the context figure: the last request's size and the conversation it ended.
struct ContextBase: Sendable, Equatable {
    /// The last request's input plus output (the server's figures when it reported them).
    var tokens: Int
    var isEstimate: Bool
    /// `messages.count` after the request's reply was kept: later messages are what the next
    /// request adds.
    var messageCount: Int
    /// Whether the request used the prompt form of the tools (a switch changes every message).
    var promptFallback: Bool
}

extension AgentEngine {
    /// The one context figure (D135): the last request's input plus output plus what the next
    /// request adds (the new message, tool results), against the window in force. Without a
    /// base (no request yet, or the conversation replaced by a compaction, its undo, a load or
    /// a model switch) the whole next request is estimated. The meter's bar, `/context` and
    /// automatic compaction read this function.
    func contextFigure() -> ContextFigure {
        let window = windowInForce
        let (tokens, estimated) = contextTokens(request(model: model ?? ""))
        return ContextFigure(tokens: tokens, window: window.tokens, source: window.source, isEstimate: estimated)
    }

    /// The size of `request` (the next request of this conversation) by the rule of
    /// `contextFigure`.
    func contextTokens(_ request: ChatRequest) -> (tokens: Int, isEstimate: Bool) {
        guard let base = contextBase, base.promptFallback == promptFallback, base.messageCount <= messages.count else {
            return (Self.estimatedTokens(request), true)
        }
        let added = messages[base.messageCount...]
        guard !added.isEmpty else { return (base.tokens, base.isEstimate) }
        let shown = promptFallback ? FallbackTranscript.convert(Array(added)) : Array(added)
        let tokens = UsageEstimator.inputTokens(for: ChatRequest(model: request.model, messages: shown, tools: []))
        return (base.tokens.saturatingAdding(tokens), true)
    }

    /// Records the request that just ended as the figure's base: its usage when it reached
    /// the server with a known input (a request refused before any output gives none).
    func setContextBase(_ usage: TokenUsage?) {
        guard let usage, usage.inputTokens > 0 else { return }
        contextBase = ContextBase(tokens: usage.inputTokens.saturatingAdding(usage.outputTokens),
                                  isEstimate: usage.isEstimate, messageCount: messages.count,
                                  promptFallback: promptFallback)
    }

    /// Publishes the context figure (a `.context` event: delivered whatever the turn's state).
    func publishContext(turn: Int) {
        publish(.context(turn: turn, contextFigure()))
    }

    /// The context figure now, for a caller outside a turn (tests, `swiftcoder run`).
    public var context: ContextFigure { contextFigure() }
}
