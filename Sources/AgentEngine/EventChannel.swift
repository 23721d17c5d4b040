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
        /// Called when events become pending and the consumer was not yet told (D185).
        var onReady: (@Sendable () -> Void)?
        /// `onReady` was called and the consumer has not drained since.
        var told = false

        /// The handler to call now that events are pending, unless the consumer was told already.
        mutating func tellConsumer() -> (@Sendable () -> Void)? {
            guard let onReady, !told else { return nil }
            told = true
            return onReady
        }
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
        let (waiter, notify) = state.withLock { state -> (CheckedContinuation<[Event]?, Never>?, (@Sendable () -> Void)?) in
            guard !state.finished else { return (nil, nil) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, nil)
            }
            if state.pending.isEmpty || !merge(&state.pending[state.pending.count - 1], event) {
                state.pending.append(event)
            }
            return (nil, state.tellConsumer())
        }
        waiter?.resume(returning: [event])
        notify?()
    }

    /// Ends the channel; `next()` returns what is pending, then `nil`.
    public func finish() {
        let (waiter, notify) = state.withLock { state -> (CheckedContinuation<[Event]?, Never>?, (@Sendable () -> Void)?) in
            state.finished = true
            defer { state.waiter = nil }
            return (state.waiter, state.tellConsumer())
        }
        waiter?.resume(returning: nil)
        notify?()
    }

    /// Push delivery instead of `next()`: `onReady` is called (on the sender's thread)
    /// when events become pending, once until the consumer calls `drain()`; so a consumer
    /// with its own queue is woken directly, with no task of its own waiting (D185).
    public func deliver(to onReady: @escaping @Sendable () -> Void) {
        let notify = state.withLock { state -> (@Sendable () -> Void)? in
            state.onReady = onReady
            return state.pending.isEmpty && !state.finished ? nil : state.tellConsumer()
        }
        notify?()
    }

    /// Everything pending, without waiting (empty when nothing is); with `deliver(to:)`,
    /// the next event calls its handler again.
    public func drain() -> [Event] {
        state.withLock { state in
            state.told = false
            defer { state.pending.removeAll(keepingCapacity: true) }
            return state.pending
        }
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
