/// Runs persistence work one job at a time, in order, without making the turn wait for the
/// disk: a commit is queued and the request goes out at once, and the next commit follows the
/// previous one. `flush()` waits until everything queued so far is done (before reporting a
/// turn idle, so quitting or a test sees every write).
final class RecorderQueue: Sendable {
    private let jobs: AsyncStream<@Sendable () async -> Void>.Continuation
    private let worker: Task<Void, Never>

    init() {
        let (stream, continuation) = AsyncStream<@Sendable () async -> Void>.makeStream()
        jobs = continuation
        worker = Task { for await job in stream { await job() } }
    }

    deinit {
        jobs.finish()
    }

    /// Queues `job` behind what is already queued.
    func enqueue(_ job: @escaping @Sendable () async -> Void) {
        jobs.yield(job)
    }

    /// Returns once every job queued before this call has run.
    func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            jobs.yield { continuation.resume() }
        }
    }
}
