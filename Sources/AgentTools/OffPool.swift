import Synchronization
import ThreadSupport

/// Runs blocking work (file reads, directory walks, waitpid) on its own thread so the
/// cooperative pool (two threads on this machine) never waits on the disk or a child.
enum OffPool {
    /// The result of `body`, computed on a fresh detached thread.
    static func run<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            let started = DetachedThread.spawn { continuation.resume(returning: body()) }
            // Without a thread (resource exhaustion) the work still has to happen somewhere.
            if !started { continuation.resume(returning: body()) }
        }
    }

    /// Like `run`, but cancelling the calling task returns `cancelled` at once and raises
    /// `flag`, which the work checks to stop early. The caller never waits for work that is
    /// stuck (a slow disk, a huge tree): the thread finishes on its own and its result is
    /// dropped.
    static func run<Result: Sendable>(cancelling flag: CancellationFlag, cancelled: Result,
                                      _ body: @escaping @Sendable () -> Result) async -> Result {
        let once = ResumeOnce<Result>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                once.install(continuation)
                let started = DetachedThread.spawn { once.resume(body()) }
                if !started { once.resume(body()) }
            }
        } onCancel: {
            flag.cancel()
            once.resume(cancelled)
        }
    }
}

/// Raised when a call is cancelled; blocking work polls it between steps.
final class CancellationFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    func cancel() { raised.store(true, ordering: .relaxed) }
    var isCancelled: Bool { raised.load(ordering: .relaxed) }
}

/// A continuation resumed by whichever comes first, the work or the cancellation; the value
/// may arrive before the continuation is installed.
private final class ResumeOnce<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, Never>?
        var value: Value?
        var resumed = false
    }

    private let state = Mutex(State())

    func install(_ continuation: CheckedContinuation<Value, Never>) {
        let early: Value? = state.withLock { state in
            if let value = state.value, !state.resumed {
                state.resumed = true
                return value
            }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(returning: early) }
    }

    func resume(_ value: Value) {
        let waiting: CheckedContinuation<Value, Never>? = state.withLock { state in
            guard !state.resumed else { return nil }
            guard let continuation = state.continuation else {
                if state.value == nil { state.value = value }
                return nil
            }
            state.resumed = true
            state.continuation = nil
            return continuation
        }
        waiting?.resume(returning: value)
    }
}
