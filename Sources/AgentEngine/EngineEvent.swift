import AgentCore

/// What the engine publishes about a turn. Every event carries its turn id so a
/// subscriber can drop events of a turn it no longer shows.
///
/// `.text`, `.reasoning` and `.usage` are coalescable snapshots-in-waiting (deltas merge,
/// a newer usage replaces an older one); the rest must be delivered.
public enum EngineEvent: Sendable, Hashable {
    case text(turn: Int, String)
    case reasoning(turn: Int, String)
    case usage(turn: Int, TokenUsage)
    /// Informational, e.g. "rate limited, retrying in 2s (1/3)"; the turn goes on.
    case notice(turn: Int, String)
    case finished(turn: Int, FinishReason, elapsedSeconds: Double)
    case failed(turn: Int, ProviderError)
    case cancelled(turn: Int)

    /// The turn this event belongs to.
    public var turn: Int {
        switch self {
        case .text(let turn, _), .reasoning(let turn, _), .usage(let turn, _), .notice(let turn, _),
             .finished(let turn, _, _),
             .failed(let turn, _), .cancelled(let turn):
            turn
        }
    }

    /// Merges `next` into `self` when both are coalescable events of the same kind and turn.
    public static func merge(_ last: inout EngineEvent, _ next: EngineEvent) -> Bool {
        switch (last, next) {
        case (.text(let turn, let a), .text(let other, let b)) where turn == other:
            last = .text(turn: turn, a + b)
            return true
        case (.reasoning(let turn, let a), .reasoning(let other, let b)) where turn == other:
            last = .reasoning(turn: turn, a + b)
            return true
        case (.usage(let turn, _), .usage(let other, let usage)) where turn == other:
            last = .usage(turn: turn, usage)
            return true
        default:
            return false
        }
    }
}
