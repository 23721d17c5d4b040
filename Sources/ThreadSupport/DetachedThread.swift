import Glibc

/// Starts work on a plain detached pthread, outside Swift's cooperative pool.
///
/// A pthread rather than Foundation's `Thread` keeps this module on `FoundationEssentials`
/// (full Foundation costs about 8 ms of launch time and 7 MB RSS). Blocking calls such as
/// `curl_multi_poll` must never run on the cooperative pool (it has one thread per core).
public enum DetachedThread {
    /// Holds the closure while it crosses into C as a `void*`.
    private final class Box: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Runs `body` on a new detached thread. Returns false when the thread could not be
    /// created; `body` then never runs. (Naming it would need `pthread_setname_np`, which
    /// Glibc's Swift module hides without `_GNU_SOURCE`.)
    @discardableResult
    public static func spawn(_ body: @escaping @Sendable () -> Void) -> Bool {
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            box.body()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            return false
        }
        return true
    }
}
