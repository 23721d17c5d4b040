import AgentCore
import FoundationEssentials
import Synchronization

/// Drives one chat request through as many attempts as its `RetryPolicy` allows, feeding
/// one consumer stream.
///
/// An attempt's failure is retried only when no byte of a 2xx body had arrived, so nothing
/// of the reply has reached the consumer (a connection dropped after 2xx headers but before
/// any body byte is retried too). Before each wait a `.notice` is yielded. Waits
/// are `Task.sleep` in a task of their own: the transport's callback thread never sleeps.
/// When the consumer goes away, the running transfer or the pending wait is cancelled and
/// no further request starts. `Body` is the wire format (SSE or NDJSON).
final class RetryingChatStream<Body: ChatBodyDecoder>: Sendable {
    private struct State {
        /// The number (1-based) of the current attempt.
        var attempt = 0
        var transfer: TransferHandle?
        var wait: Task<Void, Never>?
        var terminated = false
        /// Whether the empty-reply probe was sent (at most once per request).
        var probed = false
    }

    private let transport: any HTTPTransport
    private let request: HTTPRequest
    /// The same request without streaming, sent once when a streamed attempt ends with a 2xx
    /// status and an empty body (llama-cpp-python answers a streamed context overflow so;
    /// without streaming it says why: D157).
    private let emptyReplyProbe: HTTPRequest?
    private let provider: String
    private let policy: RetryPolicy
    private let randomUnit: @Sendable () -> Double
    private let scrubber: SecretScrubber
    private let continuation: AsyncStream<ProviderEvent>.Continuation
    /// A fresh body decoder for each attempt.
    private let makeBody: @Sendable () -> Body
    private let started = ContinuousClock.now
    private let state = Mutex(State())

    init(transport: any HTTPTransport, request: HTTPRequest, provider: String, policy: RetryPolicy,
         randomUnit: @escaping @Sendable () -> Double, scrubber: SecretScrubber, emptyReplyProbe: HTTPRequest? = nil,
         continuation: AsyncStream<ProviderEvent>.Continuation, makeBody: @escaping @Sendable () -> Body) {
        self.transport = transport
        self.emptyReplyProbe = emptyReplyProbe
        self.makeBody = makeBody
        self.request = request
        self.provider = provider
        self.policy = policy
        self.randomUnit = randomUnit
        self.scrubber = scrubber
        self.continuation = continuation
    }

    /// Starts the first attempt. The continuation's termination handler keeps `self` alive
    /// until the stream ends.
    func begin() {
        continuation.onTermination = { [self] _ in terminate() }
        launch(attempt: 1)
    }

    private func terminate() {
        let (transfer, wait) = state.withLock { state in
            state.terminated = true
            return (state.transfer, state.wait)
        }
        transfer?.cancel()
        wait?.cancel()
    }

    private func launch(attempt: Int, sending request: HTTPRequest? = nil) {
        let request = request ?? self.request
        let proceed = state.withLock { state in
            guard !state.terminated else { return false }
            state.attempt = attempt
            state.transfer = nil
            state.wait = nil
            return true
        }
        guard proceed else { return }
        // The reader runs on the transport's thread, where the bytes arrive: parsing there
        // saves a thread hop per network read. Calls are serial, so the lock is uncontended.
        let reader = ReaderBox(StreamingChatReader(provider: provider, url: request.url, body: makeBody()))
        // Never hold `state` across `start`: a transport may deliver events from inside it.
        let transfer = transport.start(request) { [self] event in
            deliver(event, reader: reader, attempt: attempt)
        }
        let cancelNow = state.withLock { state in
            if state.attempt == attempt { state.transfer = transfer }
            return state.terminated
        }
        if cancelNow { transfer.cancel() }
    }

    /// Handles one transport event of attempt `attempt` (on the transport's thread).
    private func deliver(_ event: TransportEvent, reader: ReaderBox<Body>, attempt: Int) -> Bool {
        let (handled, done, streamed, wasDone, empty) = reader.state.withLock { reader in
            let wasDone = reader.isDone
            return (reader.handle(event), reader.isDone, reader.hasStreamedBody, wasDone, reader.endedEmpty)
        }
        // An attempt's events after its end (the failure of a transfer the reader ended early,
        // e.g. at the error-body cap) must not touch the stream: a retry may be under way.
        if wasDone { return false }
        var events = handled
        if done, empty, case .error(let error)? = events.last, probeEmptyReply(after: scrubber.scrub(error), attempt: attempt) {
            return false
        }
        // Without 2xx body bytes the reader has produced nothing but this one error.
        if done, !streamed, case .error(let error)? = events.last {
            switch scheduleRetry(after: scrubber.scrub(error), attempt: attempt) {
            case .scheduled: return false
            case .notRetried(let final): events[events.count - 1] = .error(final)
            }
        }
        var consumerLeft = false
        for event in events {
            var event = scrubber.scrub(event)
            if done, case .error(let error) = event { event = .error(error.afterAttempts(attempt)) }
            if case .terminated = continuation.yield(event) { consumerLeft = true }
        }
        if done { continuation.finish() }
        return !(done || consumerLeft)
    }

    /// Sends `emptyReplyProbe` as the next attempt when it was not sent yet; the empty
    /// attempt counts as a failed attempt (it reached the server).
    private func probeEmptyReply(after error: ProviderError, attempt: Int) -> Bool {
        guard let probe = emptyReplyProbe else { return false }
        let first = state.withLock { state in
            defer { state.probed = true }
            return !state.probed && !state.terminated
        }
        guard first else { return false }
        continuation.yield(.notice("\(provider) sent an empty streamed reply; asking again without streaming to learn why"))
        continuation.yield(.attemptFailed(error))
        // Not from inside this transfer's callback: the next transfer starts on its own task.
        let next = Task { [self] in launch(attempt: attempt + 1, sending: probe) }
        let cancelNow = state.withLock { state in
            if !state.terminated { state.wait = next }
            return state.terminated
        }
        if cancelNow { next.cancel() }
        return true
    }

    /// What became of a failed attempt.
    private enum RetryOutcome {
        /// Retried after a wait (or the consumer is gone): nothing more to deliver.
        case scheduled
        /// Not retried: this is the error to deliver.
        case notRetried(ProviderError)
    }

    /// Yields a notice and schedules the next attempt when the policy allows one.
    private func scheduleRetry(after error: ProviderError, attempt: Int) -> RetryOutcome {
        let elapsed = retrySeconds(ContinuousClock.now - started)
        let decision = policy.decide(after: error, retriesSoFar: attempt - 1, elapsed: elapsed,
                                     unitRandom: randomUnit())
        let delay: Double
        switch decision {
        case .retry(let seconds): delay = seconds
        case .giveUp: return .notRetried(error)
        case .serverWaitTooLong(let seconds): return .notRetried(error.refusingWait(seconds: seconds))
        }
        let notice = policy.notice(for: error, delay: delay, nextAttempt: attempt + 1)
        if case .terminated = continuation.yield(.notice(notice)) { return .scheduled }
        continuation.yield(.attemptFailed(error))
        let wait = Task { [self] in
            do {
                try await Task.sleep(for: .seconds(delay))
            } catch {
                continuation.finish() // cancelled: the consumer has gone
                return
            }
            launch(attempt: attempt + 1)
        }
        let cancelNow = state.withLock { state in
            if !state.terminated { state.wait = wait }
            return state.terminated
        }
        if cancelNow { wait.cancel() }
        return .scheduled
    }

}

/// `duration` in seconds.
func retrySeconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) + Double(attoseconds) / 1e18
}

extension RetryPolicy {
    /// Runs `operation` until it succeeds, fails in a way not worth repeating, or the policy
    /// gives up. Waits suspend the task (no thread blocks); cancelling the task ends a wait
    /// at once and throws the last error.
    func run<Value: Sendable>(randomUnit: @Sendable () -> Double,
                              _ operation: () async throws(ProviderError) -> Value) async throws(ProviderError) -> Value {
        let started = ContinuousClock.now
        var retries = 0
        while true {
            let failure: ProviderError
            do {
                return try await operation()
            } catch {
                failure = error
            }
            let elapsed = retrySeconds(ContinuousClock.now - started)
            let decision = decide(after: failure, retriesSoFar: retries, elapsed: elapsed, unitRandom: randomUnit())
            if case .serverWaitTooLong(let seconds) = decision {
                throw failure.refusingWait(seconds: seconds).afterAttempts(retries + 1)
            }
            guard case .retry(let delay) = decision, !Task.isCancelled else { throw failure.afterAttempts(retries + 1) }
            do {
                try await Task.sleep(for: .seconds(delay))
            } catch {
                throw failure.afterAttempts(retries + 1)
            }
            retries += 1
        }
    }
}

extension RetryingChatStream {
    /// The event stream of one chat request: `build`'s request driven through the retry
    /// policy with bodies from `makeBody`, or the single error `build` failed with.
    static func stream(transport: any HTTPTransport, provider: String, policy: RetryPolicy,
                       randomUnit: @escaping @Sendable () -> Double, scrubber: SecretScrubber,
                       emptyReplyProbe: HTTPRequest? = nil,
                       build: () throws(ProviderError) -> HTTPRequest,
                       makeBody: @escaping @Sendable (HTTPRequest) -> Body) -> AsyncStream<ProviderEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: ProviderEvent.self, bufferingPolicy: .unbounded)
        let request: HTTPRequest
        do throws(ProviderError) {
            request = try build()
        } catch {
            continuation.yield(.error(error))
            continuation.finish()
            return stream
        }
        RetryingChatStream(transport: transport, request: request, provider: provider, policy: policy,
                           randomUnit: randomUnit, scrubber: scrubber, emptyReplyProbe: emptyReplyProbe,
                           continuation: continuation) {
            makeBody(request)
        }.begin()
        return stream
    }
}
