import CShims
import Dispatch
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

    /// Starts the waiting thread; `onWake` is called from it, once per wake-up.
    public func start(onWake: @escaping @Sendable (Wake) -> Void) {
        DetachedThread.spawn { [self] in
            while !stopped.load(ordering: .acquiring) {
                let result = sc_wait_input(-1)
                if stopped.load(ordering: .acquiring) { break }
                if result < 0 { continue }
                if result & 2 != 0 { sc_wake_pipe_drain() }
                if result & 4 != 0 {
                    onWake(.hangUp)
                    break
                }
                onWake(.ready)
                acknowledged.wait()
            }
        }
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
