import Synchronization

/// A single-consumer queue that hands over everything pending as one batch and merges
/// coalescable events while they wait (a newer text delta joins the pending one), so a
/// slow consumer sees fewer, larger events instead of falling behind.
///
/// Must-deliver events are never dropped: merging only combines, it never discards.
public final class EventChannel<Event: Sendable>: Sendable {
    private struct State {
        var pending: [Event] = []
        var waiter: CheckedContinuation<[Event]?, Never>?
        var finished = false
    }

    private let state = Mutex(State())
    private let merge: @Sendable (inout Event, Event) -> Bool

    /// - Parameter merge: folds `next` into `last` when they can be combined, returning
    ///   true; false appends `next` as its own event.
    public init(merge: @escaping @Sendable (inout Event, Event) -> Bool = { _, _ in false }) {
        self.merge = merge
    }

    /// Queues an event (merged into the last pending one when possible).
    public func send(_ event: Event) {
        let waiter: CheckedContinuation<[Event]?, Never>? = state.withLock { state in
            guard !state.finished else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                _ = waiter
                return waiter
            }
            if state.pending.isEmpty || !merge(&state.pending[state.pending.count - 1], event) {
                state.pending.append(event)
            }
            return nil
        }
        waiter?.resume(returning: [event])
    }

    /// Ends the channel; `next()` returns what is pending, then `nil`.
    public func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<[Event]?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Everything pending, waiting for at least one event; `nil` once finished and drained
    /// (or when the waiting task is cancelled).
    public func next() async -> [Event]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[Event]?, Never>) in
                let immediate: [Event]?? = state.withLock { state in
                    if !state.pending.isEmpty {
                        defer { state.pending.removeAll(keepingCapacity: true) }
                        return .some(state.pending)
                    }
                    if state.finished || Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<[Event]?, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}
