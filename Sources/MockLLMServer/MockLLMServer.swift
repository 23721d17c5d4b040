import Glibc
import Synchronization

/// A small OpenAI-compatible HTTP/1.1 server on 127.0.0.1 for tests, end-to-end runs
/// and benchmarks. Serves `GET /v1/models` and streaming `POST /v1/chat/completions`
/// (scripted by markers in the prompt: see `MockPlan`), records every request and how
/// its response ended (e.g. the client disconnecting mid-stream).
///
/// One accept thread plus one thread per connection; every response closes its
/// connection. Call `stop()` when done: it joins every thread it started.
public final class MockLLMServer: Sendable {
    public let configuration: MockLLMConfiguration
    /// The port actually bound (useful with `port: 0`).
    public let port: UInt16
    private let listenFD: Int32
    private let stopping = Atomic<Bool>(false)
    private let state = Mutex(State())
    private let gates = MockGates()

    private struct State {
        var exchanges: [MockExchange] = []
        var openSockets: Set<Int32> = []
        var threads: Set<pthread_t> = []
        var finishedThreads: [pthread_t] = []
        var acceptThread: pthread_t?
    }

    /// `http://127.0.0.1:PORT/v1`, the base URL for an OpenAI-compatible client.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// Binds, listens and starts accepting at once.
    public init(configuration: MockLLMConfiguration = MockLLMConfiguration()) throws(MockServerError) {
        signal(SIGPIPE, SIG_IGN)
        let (fd, port) = try MockSocket.listen(port: configuration.port)
        self.configuration = configuration
        self.listenFD = fd
        self.port = port
        let started = state.withLock { state in
            state.acceptThread = MockThread.spawn { [self] in acceptLoop() }
            return state.acceptThread != nil
        }
        guard started else {
            close(fd)
            throw MockServerError(operation: "pthread_create", errno: errno)
        }
    }

    /// Every exchange so far, in arrival order.
    public var exchanges: [MockExchange] { state.withLock { $0.exchanges } }
    /// Every request so far, in arrival order.
    public var requests: [RecordedRequest] { exchanges.map(\.request) }
    /// How many responses the client abandoned before they were complete.
    public var clientDisconnectCount: Int {
        exchanges.count { $0.outcome == .clientDisconnected }
    }

    /// Lets replies waiting at `[[gate NAME]]` (and later ones) go on.
    public func openGate(_ name: String = "gate") { gates.open(name) }

    /// Whether a reply is waiting at gate `name` now (its first half sent).
    public func isWaiting(atGate name: String = "gate") -> Bool { gates.waiting(at: name) > 0 }

    /// Polls `condition` every 10 ms until it holds or `timeoutSeconds` pass; returns
    /// whether it held. For tests: waits for an event without guessing a duration.
    public func waitUntil(timeoutSeconds: Double = 5, _ condition: (MockLLMServer) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeoutSeconds * 1000))
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(self)
    }

    /// Stops accepting, cuts open connections, and joins every thread. Idempotent.
    public func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        shutdown(listenFD, Int32(SHUT_RDWR))
        if let acceptThread = state.withLock({ $0.acceptThread }) { pthread_join(acceptThread, nil) }
        let threads = state.withLock { state in
            for fd in state.openSockets { shutdown(fd, Int32(SHUT_RDWR)) }
            return state.threads
        }
        for thread in threads { pthread_join(thread, nil) }
        state.withLock { state in
            state.threads = []
            state.finishedThreads = []
        }
        close(listenFD)
    }

    private func acceptLoop() {
        while !stopping.load(ordering: .acquiring) {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                break // shut down by stop(), or a fatal error
            }
            if stopping.load(ordering: .acquiring) {
                close(fd)
                break
            }
            reapFinishedThreads()
            MockSocket.configureConnection(fd)
            // Under the lock, so the thread cannot finish before it is registered.
            let started = state.withLock { state in
                guard let thread = MockThread.spawn({ [self] in serve(fd) }) else { return false }
                state.threads.insert(thread)
                state.openSockets.insert(fd)
                return true
            }
            if !started { close(fd) }
        }
    }

    private func reapFinishedThreads() {
        let finished = state.withLock { state in
            defer { state.finishedThreads = [] }
            state.threads.subtract(state.finishedThreads)
            return state.finishedThreads
        }
        for thread in finished { pthread_join(thread, nil) }
    }

    /// Answers one request on `fd`, then closes it (runs on the connection's thread).
    private func serve(_ fd: Int32) {
        defer {
            state.withLock { state in
                state.openSockets.remove(fd)
                state.finishedThreads.append(pthread_self())
            }
            close(fd)
        }
        guard let request = MockSocket.readRequest(fd) else { return }
        let number = state.withLock { state in
            state.exchanges.append(MockExchange(request: request, outcome: .inProgress))
            return state.exchanges.count
        }
        let responder = MockResponder(fd: fd, configuration: configuration, exchangeNumber: number,
                                      isStopping: { [self] in stopping.load(ordering: .acquiring) },
                                      eventWriteStarting: { [self] in
                                          let now = ContinuousClock.now
                                          state.withLock { $0.exchanges[number - 1].lastEventWriteStarted = now }
                                      }, gates: gates)
        let outcome = responder.respond(to: request)
        state.withLock { $0.exchanges[number - 1].outcome = outcome }
    }
}

/// Joinable pthreads for the server (outside Swift's cooperative pool).
enum MockThread {
    private final class Box: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Starts `body` on a new joinable thread; `nil` when the thread could not start.
    static func spawn(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            Unmanaged<Box>.fromOpaque(raw).takeRetainedValue().body()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            return nil
        }
        return thread
    }
}
