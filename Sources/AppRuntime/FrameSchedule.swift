import TerminalUI

/// The time frames are paced by: the monotonic clock in the app, a clock the test moves by
/// hand in unit tests (so frame counts are checked without wall-clock thresholds).
public protocol FrameClock: Sendable {
    /// Time since a fixed point (the clock's start).
    var now: Duration { get }
    /// Returns once `duration` has passed on this clock.
    func sleep(for duration: Duration) async
}

/// `ContinuousClock` as a `FrameClock`.
public struct SystemFrameClock: FrameClock {
    private let start = ContinuousClock.now

    public init() {}

    public var now: Duration { ContinuousClock.now - start }

    public func sleep(for duration: Duration) async {
        try? await Task.sleep(for: duration)
    }
}

/// When frames are drawn: only for a state revision not yet on screen (no frame while
/// idle), at once when the last frame is older than the interval (the first paint of a
/// burst is immediate), else when the interval has passed (at most one frame per
/// interval while streaming). The frame that shows a turn's end is drawn at once too (the
/// last paint of a stream waits for no interval, D150). Frames are diffed against the
/// previous one.
struct FrameSchedule {
    /// One sixtieth of a second: at most 60 frames per second.
    static let defaultInterval = Duration.nanoseconds(16_666_667)

    let interval: Duration
    let clock: any FrameClock
    var differ = FrameDiffer()
    var drawnRevision = -1
    var scheduled = false
    /// The frame asked for: a wake-up carrying another ticket was overtaken (drawn at once).
    private(set) var ticket = 0
    private var lastFrame: Duration

    init(interval: Duration, clock: any FrameClock) {
        self.interval = interval
        self.clock = clock
        lastFrame = clock.now - interval
    }

    /// How long to wait before drawing `revision` and the ticket its wake-up carries, or nil
    /// when no frame is needed (drawn already, or one is scheduled). `now`: draw at once
    /// even within the interval (a turn ended), overtaking a frame already scheduled.
    mutating func request(revision: Int, now: Bool = false) -> (wait: Duration, ticket: Int)? {
        guard revision != drawnRevision, !scheduled || now else { return nil }
        scheduled = true
        ticket += 1
        return (now ? .zero : interval - (clock.now - lastFrame), ticket)
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
