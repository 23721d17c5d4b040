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
}
