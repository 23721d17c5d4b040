import CShims
import Dispatch
import Glibc
import Synchronization
import ThreadSupport

/// Waits for terminal input on its own thread (never on the cooperative pool) and tells
/// the UI loop when keys, a resize or a signal are ready. The loop then reads them on its
/// own task and calls `acknowledge()`, so the thread never races ahead of the reader.
public final class InputWaiter: Sendable {
    /// What woke the waiter.
    public enum Wake: Sendable {
        /// Keys to read, or a resize / signal recorded through the wake pipe.
        case ready
        /// The terminal went away (stdin hung up).
        case hangUp
    }

    private let stopped = Atomic<Bool>(false)
    private let acknowledged = DispatchSemaphore(value: 0)

    public init() {
        _ = sc_wake_pipe_setup()
    }

    /// Starts the waiting thread; `onWake` is called from it, once per wake-up. A terminal
    /// that hangs up, reaches end of input or keeps failing ends the thread with `.hangUp`
    /// (it never spins on an error that every `poll` would report again).
    public func start(onWake: @escaping @Sendable (Wake) -> Void) {
        DetachedThread.spawn { [self] in
            var failures = 0
            while !stopped.load(ordering: .acquiring) {
                let result = sc_wait_input(-1)
                if stopped.load(ordering: .acquiring) { break }
                switch Self.step(for: result, failuresInARow: &failures) {
                case .waitAgain:
                    continue
                case .retryAfterError:
                    usleep(10_000)
                    continue
                case .hangUp:
                    onWake(.hangUp)
                    return
                case .ready:
                    if result & 2 != 0 { sc_wake_pipe_drain() }
                    onWake(.ready)
                    acknowledged.wait()
                }
            }
        }
    }

    /// What the thread does after one `sc_wait_input`.
    enum Step: Equatable {
        case ready, waitAgain, retryAfterError, hangUp
    }

    /// How many failed waits in a row (errors, or readable with nothing to read) end input.
    static let failureLimit = 3

    /// The step for `result` (see `sc_wait_input`), counting failures in a row.
    static func step(for result: Int32, failuresInARow failures: inout Int) -> Step {
        if result < 0 {
            failures += 1
            return failures >= failureLimit ? .hangUp : .retryAfterError
        }
        if result & (4 | 16) != 0 { return .hangUp }
        if result & 1 != 0 {
            failures = 0
            return .ready
        }
        if result & 8 != 0 {
            failures += 1
            if failures >= failureLimit { return .hangUp }
        }
        return result & 2 != 0 ? .ready : .waitAgain
    }

    /// The loop has read what was ready; the thread may wait again.
    public func acknowledge() { acknowledged.signal() }

    /// Ends the thread.
    public func stop() {
        stopped.store(true, ordering: .releasing)
        sc_wake_input()
        acknowledged.signal()
    }
}
