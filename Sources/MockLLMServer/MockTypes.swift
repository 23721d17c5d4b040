import Synchronization

/// How the mock server answers when no marker in the prompt says otherwise.
public struct MockLLMConfiguration: Sendable, Hashable {
    /// 0 picks a free port (read it back from `MockLLMServer.port`).
    public var port: UInt16
    /// The default reply, streamed in `chunkCount` pieces.
    public var replyText: String
    public var chunkCount: Int
    /// Pause between content chunks (0: as fast as possible).
    public var chunkDelayMilliseconds: Int
    /// Pause between chunks for prompts containing `[[slow]]`.
    public var slowDelayMilliseconds: Int
    /// Model ids served by `GET /v1/models`.
    public var models: [String]
    /// The `<arch>.context_length` Ollama's `/api/show` reports for every served model.
    public var ollamaContextLength: Int
    /// Answer every request (model lists, probes, chat) this hostile way (`nil`: normally).
    public var hostile: MockHostility?
    /// When set, a chat request whose body is estimated (one token per 4 bytes) above this many
    /// tokens is refused with OpenAI's `context_length_exceeded` 400 (`--context-window N`).
    public var contextWindow: Int?

    public init(port: UInt16 = 0, replyText: String = "Hello from the mock LLM server.", chunkCount: Int = 8,
                chunkDelayMilliseconds: Int = 0, slowDelayMilliseconds: Int = 200, models: [String] = ["mock-model"],
                ollamaContextLength: Int = MockOllama.contextLength, hostile: MockHostility? = nil) {
        self.hostile = hostile
        self.port = port
        self.replyText = replyText
        self.chunkCount = chunkCount
        self.chunkDelayMilliseconds = chunkDelayMilliseconds
        self.slowDelayMilliseconds = slowDelayMilliseconds
        self.models = models
        self.ollamaContextLength = ollamaContextLength
    }
}

/// One HTTP request as the mock server received it.
public struct RecordedRequest: Sendable, Hashable {
    public var method: String
    /// The request target without the query string.
    public var path: String
    /// Header names lowercased; a repeated header keeps its last value.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, path: String, headers: [String: String], body: [UInt8]) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// A header's value by case-insensitive name.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// How one exchange ended, from the server's side.
public enum ExchangeOutcome: String, Sendable, Hashable {
    /// Still being answered.
    case inProgress
    /// The whole response was written.
    case completed
    /// The client closed the connection before the response was complete.
    case clientDisconnected
    /// The server was stopped while answering.
    case serverStopped
}

/// A received request and what became of its response.
public struct MockExchange: Sendable, Hashable {
    public var request: RecordedRequest
    public var outcome: ExchangeOutcome
    /// When the write of the last SSE event so far began (for `[DONE]`: the last event of
    /// the reply), on the continuous clock; for latency benchmarks in the same process.
    public var lastEventWriteStarted: ContinuousClock.Instant?

    public init(request: RecordedRequest, outcome: ExchangeOutcome,
                lastEventWriteStarted: ContinuousClock.Instant? = nil) {
        self.request = request
        self.outcome = outcome
        self.lastEventWriteStarted = lastEventWriteStarted
    }
}

/// Failure to start the server.
public struct MockServerError: Error, Sendable, Hashable, CustomStringConvertible {
    public var operation: String
    public var errno: Int32
    public var description: String { "mock-llm-server: \(operation) failed (errno \(errno))" }
}

/// Gates that `[[gate NAME]]` replies wait at mid-stream until the test opens them, so a test
/// can look at the client while a reply is half received without guessing a delay.
final class MockGates: Sendable {
    private struct State {
        var open: Set<String> = []
        var waiting: [String: Int] = [:]
    }

    private let state = Mutex(State())

    func open(_ name: String) { state.withLock { _ = $0.open.insert(name) } }

    func isOpen(_ name: String) -> Bool { state.withLock { $0.open.contains(name) } }

    /// How many replies are waiting at the gate right now.
    func waiting(at name: String) -> Int { state.withLock { $0.waiting[name, default: 0] } }

    /// Blocks the connection's thread until `name` is open (true) or the client leaves or the
    /// server stops (false), checking every 10 ms.
    func wait(at name: String, fd: Int32, isStopping: () -> Bool) -> Bool {
        state.withLock { $0.waiting[name, default: 0] += 1 }
        defer { state.withLock { $0.waiting[name, default: 0] -= 1 } }
        while !isOpen(name) {
            if isStopping() || !MockSocket.waitWhileConnected(fd, milliseconds: 10) { return false }
        }
        return true
    }
}
