import Synchronization

/// A queue many threads put into and one task takes from, waiting on its own actor.
///
/// `AsyncStream` suspends its consumer inside a nonisolated `next()`: every wait hops the
/// consumer to the global pool (waking a pool thread) and every element then wakes a pool
/// thread again before hopping back to the consumer's actor, three thread wake-ups for
/// one element (seen with gdb on `swift_task_switch`, D193). Here the consumer waits with
/// `withUnsafeContinuation(isolation:)`, so an element queued from another thread resumes
/// it directly on its actor (one wake-up), and an element already queued is taken without
/// suspending at all.
///
/// One consumer only: `next` is not to be called again before the previous call returned.
/// A waiting `next` ends with `finish`, not with its task's cancellation (the UI loop ends
/// when the state says quit, not by being cancelled).
public final class IsolatedInbox<Element: Sendable>: Sendable {
    private struct State {
        /// Queued elements from `head` on; the front is compacted away once it is most of it.
        var buffer: [Element] = []
        var head = 0
        var waiter: UnsafeContinuation<Element?, Never>?
        var finished = false

        mutating func popFirst() -> Element? {
            guard head < buffer.count else { return nil }
            let element = buffer[head]
            head += 1
            if head == buffer.count {
                buffer.removeAll(keepingCapacity: buffer.capacity <= 256)
                head = 0
            } else if head >= 64 && head * 2 >= buffer.count {
                buffer.removeFirst(head)
                head = 0
            }
            return element
        }
    }

    private let state = Mutex(State())

    public init() {}

    /// Queues `element`, or hands it straight to the waiting consumer. Dropped after `finish`.
    public func yield(_ element: Element) {
        let waiter: UnsafeContinuation<Element?, Never>? = state.withLock { state in
            guard !state.finished else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.buffer.append(element)
            return nil
        }
        waiter?.resume(returning: element)
    }

    /// Ends the inbox: the consumer takes what is queued, then gets nil.
    public func finish() {
        let waiter: UnsafeContinuation<Element?, Never>? = state.withLock { state in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// The next element, waiting for one on the caller's actor; nil once finished and empty.
    public func next(isolation actor: isolated (any Actor)? = #isolation) async -> Element? {
        let queued: Element?? = state.withLock { state in
            if let element = state.popFirst() { return .some(element) }
            return state.finished ? .some(nil) : nil
        }
        if let queued { return queued }
        return await withUnsafeContinuation(isolation: actor) { continuation in
            let ready: Element?? = state.withLock { state in
                if let element = state.popFirst() { return .some(element) }
                if state.finished { return .some(nil) }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
