import Dispatch
import TerminalUI

/// The time frames are paced by: the monotonic clock in the app, a clock the test moves by
/// hand in unit tests (so frame counts are checked without wall-clock thresholds).
public protocol FrameClock: Sendable {
    /// Time since a fixed point (the clock's start).
    var now: Duration { get }
    /// Calls `body` once `duration` has passed on this clock (from any thread).
    func wake(after duration: Duration, _ body: @escaping @Sendable () -> Void)
}

/// `ContinuousClock` as a `FrameClock`.
public struct SystemFrameClock: FrameClock {
    private let start = ContinuousClock.now

    public init() {}

    public var now: Duration { ContinuousClock.now - start }

    /// A dispatch timer on the main queue, where the loop runs: one thread wakes for a
    /// frame, not a task's three (the task, its sleep's timer, the loop; D185).
    public func wake(after duration: Duration, _ body: @escaping @Sendable () -> Void) {
        // A frame's wait is at most an interval; the bounds keep the conversion in range.
        let nanoseconds = Int(min(max(duration, .zero), .seconds(3_600)) / .nanoseconds(1))
        DispatchQueue.main.asyncAfter(deadline: .now() + .nanoseconds(nanoseconds), execute: body)
    }
}

/// When frames are drawn: only for a state revision not yet on screen (no frame while
/// idle), at once when the last frame is older than the interval (the first paint of a
/// burst is immediate), else when the interval has passed. Streamed text is paced at
/// `streamingInterval` (30 frames/s, D183); anything else, a key above all, at `interval`
/// (60 frames/s), overtaking a streaming frame that would come later. The frame that shows
/// a turn's end is drawn at once too (the last paint of a stream waits for no interval,
/// D150). Frames are diffed against the previous one.
struct FrameSchedule {
    /// One sixtieth of a second: at most 60 frames per second.
    static let defaultInterval = Duration.nanoseconds(16_666_667)
    /// One thirtieth of a second while only streamed text changes the screen (D183).
    static let defaultStreamingInterval = Duration.nanoseconds(33_333_333)

    let interval: Duration
    let streamingInterval: Duration
    let clock: any FrameClock
    var differ = FrameDiffer()
    var drawnRevision = -1
    var scheduled = false
    /// The frame asked for: a wake-up carrying another ticket was overtaken (drawn at once).
    private(set) var ticket = 0
    /// When the scheduled frame is due, on `clock`.
    private var due = Duration.zero
    private var lastFrame: Duration

    init(interval: Duration, streamingInterval: Duration, clock: any FrameClock) {
        self.interval = interval
        self.streamingInterval = max(interval, streamingInterval)
        self.clock = clock
        lastFrame = clock.now - self.streamingInterval
    }

    /// How long to wait before drawing `revision` and the ticket its wake-up carries, or nil
    /// when no frame is needed (drawn already, or one is scheduled as soon). `now`: draw at
    /// once even within the interval (a turn ended). `streaming`: only streamed text changed,
    /// so the frame may wait for the longer streaming interval.
    mutating func request(revision: Int, now: Bool = false, streaming: Bool = false) -> (wait: Duration, ticket: Int)? {
        guard revision != drawnRevision else { return nil }
        let current = clock.now
        let wanted = now ? current : max(current, lastFrame + (streaming ? streamingInterval : interval))
        // `now` always overtakes: a wake-up already due may still be waiting for a thread.
        if scheduled && !now && due <= wanted { return nil }
        scheduled = true
        due = wanted
        ticket += 1
        return (wanted - current, ticket)
    }

    /// Whether a wake-up with `ticket` should draw (false: stale, or already drawn).
    mutating func takeWakeUp(_ ticket: Int) -> Bool {
        guard scheduled, ticket == self.ticket else { return false }
        scheduled = false
        return true
    }

    mutating func drawn(revision: Int) {
        drawnRevision = revision
        lastFrame = clock.now
    }

    /// The next frame is written whole (after a resize or a theme change).
    mutating func invalidate() { differ.invalidate() }
}
