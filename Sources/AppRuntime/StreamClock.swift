import AgentCore
import App

/// Times the request being streamed for the meter's live rate (issue 14, bug 13; D117).
///
/// The reducer has no clock: after each engine batch that streamed text, the runtime reports
/// how long the current request has streamed since its first token (`Action.streamProgress`).
/// A request ends at its usage or its record (the meter then has its exact seconds), a turn at
/// its end; the next text starts the clock again.
struct StreamClock {
    private var start: Duration?
    private var turn: Int?

    /// The progress action for `batch` received at `now` (the runtime's `FrameClock` time), or
    /// nil when nothing streams.
    mutating func observe(_ batch: [EngineEvent], now: Duration) -> Action? {
        var streamed = false
        for event in batch {
            switch event {
            case .text(let id, let delta, _), .reasoning(let id, let delta, _):
                guard !delta.isEmpty else { continue }
                if start == nil || turn != id { start = now; turn = id }
                streamed = true
            case .usage, .request, .finished, .failed, .cancelled, .refused:
                start = nil
                streamed = false
            default:
                continue
            }
        }
        guard streamed, let start, let turn else { return nil }
        let elapsed = (now - start).components
        return .streamProgress(turn: turn, seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
    }
}
