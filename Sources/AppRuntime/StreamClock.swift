import AgentCore
import App

/// Times the request being streamed for the meter's live rate (issue 14, bug 13; D117).
///
/// The reducer has no clock: after each engine batch that streamed text, the runtime reports
/// how long the current request has streamed since its first token (`Action.streamProgress`).
/// A request ends at its usage or its record (the meter then has its exact seconds), a turn at
/// its end; the next text starts the clock again. While a request streams, the runtime asks
/// `stalled(now:)` once a second, so a server that stops sending mid-reply shows as stalled
/// rather than at its last rate.
struct StreamClock {
    /// How long a streaming request may send nothing before the meter says it stalled.
    static let stallAfter = Duration.seconds(2)
    private var start: Duration?
    private var turn: Int?
    /// When the streaming request last sent text or tool-call progress; nil when none streams.
    private var lastArrival: Duration?

    /// Whether a request is streaming (from the first part of its reply to its end).
    var isStreaming: Bool { start != nil }

    /// `.streamStalled` when the streaming request has sent nothing for `stallAfter` or more
    /// at `now`, else nil.
    func stalled(now: Duration) -> Action? {
        guard let turn, let lastArrival, now - lastArrival >= Self.stallAfter else { return nil }
        return .streamStalled(turn: turn, seconds: Int((now - lastArrival).components.seconds))
    }

    /// The progress action for `batch` received at `now` (the runtime's `FrameClock` time), or
    /// nil when nothing streams.
    mutating func observe(_ batch: [EngineEvent], now: Duration) -> Action? {
        var streamed = false
        for event in batch {
            switch event {
            case .text(let id, let delta, _), .reasoning(let id, let delta, _):
                guard !delta.isEmpty else { continue }
                arrived(turn: id, now: now)
                streamed = true
            case .toolCallStreaming(let id, _):
                // The reply still arrives: not stalled, and its tokens count in the rate.
                arrived(turn: id, now: now)
                streamed = true
            case .usage, .request, .finished, .failed, .cancelled, .refused:
                start = nil
                lastArrival = nil
                streamed = false
            default:
                continue
            }
        }
        guard streamed, let start, let turn else { return nil }
        let elapsed = (now - start).components
        return .streamProgress(turn: turn, seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
    }

    /// Part of `turn`'s reply arrived at `now`: the request's clock starts at its first part.
    private mutating func arrived(turn id: Int, now: Duration) {
        if start == nil || turn != id { start = now; turn = id }
        lastArrival = now
    }
}
