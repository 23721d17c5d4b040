import FoundationEssentials

/// What the engine publishes about a turn, and what the app's reducer consumes as it is
/// (`Action.turn`): one vocabulary from the engine to the screen. Every event carries its turn id so a
/// subscriber can drop events of a turn it no longer shows; events of a cancelled turn
/// stop at its `.cancelled`.
///
/// Reply text is never merged here: a streamed chunk is merged in one place, the provider's
/// reader (the deltas of one network read, D180). Waiting for a busy UI, live tool output is
/// bounded (pieces of one call join, newest bytes kept) and a newer usage or context figure
/// replaces the pending one (`merge`); everything else is delivered as it was published.
public enum EngineEvent: Sendable, Hashable {
    /// Reply text as it streams. `streamedTokens` is the engine's running estimate of
    /// everything the request being streamed has generated so far (`ChatReply.outputEstimate`,
    /// the one estimate: the meter's `~N` and, when the server reports no usage, the ledger's).
    case text(turn: Int, String, streamedTokens: Int = 0)
    /// Reasoning as it streams, with the same running estimate as `.text`.
    case reasoning(turn: Int, String, streamedTokens: Int = 0)
    /// A tool call's name or arguments are streaming (shown once whole, as `.toolCall`), with
    /// the same running estimate: the reply is still arriving though no text is (D204).
    case toolCallStreaming(turn: Int, streamedTokens: Int)
    /// The turn's usage so far: every finished request plus the current one.
    case usage(turn: Int, TokenUsage)
    /// The turn's first token (text, reasoning or tool call) arrived this long after the request.
    case firstToken(turn: Int, seconds: Double)
    /// Informational, e.g. "rate limited, retrying in 2s (1/3)"; the turn goes on.
    case notice(turn: Int, String)
    /// The model asked for a tool; `preview` is `nil` when the call could not be prepared
    /// (its error follows as a `.toolResult`).
    case toolCall(turn: Int, call: ToolCall, preview: ToolPreview?)
    /// The call waits for the user's answer (`AgentEngine.answer(callID:_:)`).
    case approvalNeeded(turn: Int, callID: String, preview: ToolPreview)
    /// What a running call (a command) printed since the last such event, as it runs (D111).
    /// Throttled at the source and coalescable: consecutive pieces of one call merge, keeping
    /// at most `liveOutputLimit` bytes of the newest text.
    case toolOutput(turn: Int, callID: String, String)
    /// A call ended (ran, failed, was denied or refused); what the model will see.
    case toolResult(turn: Int, callID: String, output: ToolOutput)
    /// One request of the turn ended; its usage and cost, as written to the ledger.
    case request(turn: Int, UsageRecord)
    case finished(turn: Int, FinishReason, elapsedSeconds: Double)
    case failed(turn: Int, ProviderError)
    /// The request was not sent (a budget is reached); the message says which and what to do.
    case refused(turn: Int, String)
    case cancelled(turn: Int)
    /// The engine's context figure changed (a message, a reply, tool results, a compaction, a
    /// load): the meter's bar shows it (D135). Describes the conversation, not the turn: it
    /// is delivered even for a cancelled turn, and the newest replaces an older one.
    case context(turn: Int, ContextFigure)
    /// The conversation was compacted (automatically, or by `/compact` with turn -1) (D136).
    case compacted(turn: Int, CompactionSummary)

    /// The turn this event belongs to.
    public var turn: Int {
        switch self {
        case .text(let turn, _, _), .reasoning(let turn, _, _), .toolCallStreaming(let turn, _), .usage(let turn, _),
             .notice(let turn, _),
             .firstToken(let turn, _),
             .toolCall(let turn, _, _), .approvalNeeded(let turn, _, _), .toolResult(let turn, _, _),
             .toolOutput(let turn, _, _),
             .request(let turn, _), .finished(let turn, _, _), .failed(let turn, _), .refused(let turn, _), .cancelled(let turn),
             .context(let turn, _), .compacted(let turn, _):
            turn
        }
    }

    /// True for the events that only carry a stream's progress (text, reasoning, live tool
    /// output, figures): the screen they change may be painted at the streaming pace (D183).
    public var isStreamedProgress: Bool {
        switch self {
        case .text, .reasoning, .toolCallStreaming, .usage, .firstToken, .toolOutput, .context: true
        default: false
        }
    }

    /// True for the events that end a turn.
    public var endsTurn: Bool {
        switch self {
        case .finished, .failed, .refused, .cancelled: true
        default: false
        }
    }

    /// Bytes of live tool output one event, or a reducer's live view of a call, keeps at most
    /// (the tool output cap): hostile output streams in bounded memory.
    public static let liveOutputLimit = 30_000

    /// The newest `liveOutputLimit` bytes of `text` or less, cut at a scalar boundary.
    public static func liveOutputTail(_ text: String, limit: Int = liveOutputLimit) -> String {
        guard text.utf8.count > limit else { return text }
        var start = text.utf8.index(text.utf8.endIndex, offsetBy: -limit)
        while start < text.endIndex, start.samePosition(in: text.unicodeScalars) == nil { start = text.utf8.index(after: start) }
        return String(text[start...])
    }

    /// What waits for a busy UI (`EventChannel`): pieces of one call's live output join
    /// (bounded), and a newer usage, context figure or tool-call progress replaces the pending one. Reply text and
    /// reasoning are not merged here (D180): the reader merged each network read's deltas.
    public static func merge(_ last: inout EngineEvent, _ next: EngineEvent) -> Bool {
        switch (last, next) {
        case (.toolOutput(let turn, let call, let a), .toolOutput(let other, let otherCall, let b))
            where turn == other && call == otherCall:
            last = .toolOutput(turn: turn, callID: call, liveOutputTail(a + b))
            return true
        case (.usage(let turn, _), .usage(let other, let usage)) where turn == other:
            last = .usage(turn: turn, usage)
            return true
        case (.toolCallStreaming(let turn, _), .toolCallStreaming(let other, let tokens)) where turn == other:
            last = .toolCallStreaming(turn: turn, streamedTokens: tokens)
            return true
        case (.context, .context(let turn, let figure)):
            last = .context(turn: turn, figure)
            return true
        default:
            return false
        }
    }
}
