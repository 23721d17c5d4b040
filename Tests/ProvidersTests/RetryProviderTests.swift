import AgentCore
import FoundationEssentials
import MockLLMServer
import Synchronization
import Testing
@testable import Providers

/// Answers the n-th request with `scripts[n]` (the last script repeats), synchronously from
/// inside `start`, and records every request.
final class ScriptedTransport: HTTPTransport {
    let scripts: [[TransportEvent]]
    let sent = Mutex<[HTTPRequest]>([])

    init(_ scripts: [[TransportEvent]]) { self.scripts = scripts }

    var requestCount: Int { sent.withLock { $0.count } }

    func start(_ request: HTTPRequest, onEvent: @escaping @Sendable (TransportEvent) -> Bool) -> TransferHandle {
        let index = sent.withLock { sent in
            sent.append(request)
            return sent.count - 1
        }
        for event in scripts[min(index, scripts.count - 1)] where !onEvent(event) { break }
        return TransferHandle {}
    }

    static func http(_ status: Int, _ body: String, headers: [String: String] = [:]) -> [TransportEvent] {
        [.response(status: status, headers: headers), .bytes(Array(body.utf8)), .end]
    }

    static let okStream = http(200, sse([chunk(#""content":"ok""#, finish: #""stop""#), "[DONE]"]))
}

@Suite("Retries", .timeLimit(.minutes(2)))
struct RetryProviderTests {
    /// Short waits so tests run fast; no jitter so they are exact.
    static let fast = RetryPolicy(maxRetries: 3, baseDelay: 0.01, maxDelay: 0.05, jitter: .none)

    static func provider(_ base: String, transport: any HTTPTransport = CurlTransport(),
                         policy: RetryPolicy = fast) -> OpenAICompatibleProvider {
        var provider = OpenAICompatibleProvider(config: ProviderConfig(name: "mock", kind: .openAICompatible,
                                                                       apiBase: base, apiKey: Secret("sk-retry-test-key")),
                                                transport: transport)
        provider.retryPolicy = policy
        return provider
    }

    static func collect(_ provider: OpenAICompatibleProvider, _ prompt: String) async -> [ProviderEvent] {
        var events: [ProviderEvent] = []
        for await event in provider.chatStream(ProviderIntegrationTests.request(prompt)) { events.append(event) }
        return events
    }

    static func notices(_ events: [ProviderEvent]) -> [String] {
        events.compactMap { if case .notice(let text) = $0 { text } else { nil } }
    }

    @Test func aRateLimitIsRetriedVisiblyThenTheReplyArrives() async throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let events = await Self.collect(Self.provider(server.baseURL), "[[ratelimit-once]]")
        let (result, error) = reply(from: events)
        #expect(error == nil)
        #expect(result.text == MockLLMConfiguration().replyText)
        #expect(result.finishReason == .stop)
        // The mock sends `Retry-After: 1`: honoured exactly (maxDelay caps only computed backoff).
        #expect(Self.notices(events) == ["rate limited, retrying in 1s (2/4)"])
        #expect(events.first.map { if case .notice = $0 { true } else { false } } == true)
        #expect(server.requests.count == 2)
    }

    @Test func aPersistentServerErrorGivesUpAfterEveryAttempt() async throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let events = await Self.collect(Self.provider(server.baseURL), "[[error500]]")
        #expect(Self.notices(events).count == 3)
        #expect(Self.notices(events).last == "server error (HTTP 500), retrying in 0.04s (4/4)")
        // Each retried attempt is reported, so the engine counts the four requests sent (D112).
        #expect(events.filter { if case .attemptFailed(let error) = $0 { error.httpStatus == 500 } else { false } }.count == 3)
        guard case .error(let error)? = events.last else { Issue.record("\(events)"); return }
        #expect(error.kind == .serverError)
        #expect(error.httpStatus == 500)
        #expect(error.description.contains("HTTP 500"))
        #expect(error.detail?.contains("gave up after 4 attempts") == true)
        #expect(server.requests.count == 4)
    }

    @Test func unauthorizedIsNotRetried() async throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let events = await Self.collect(Self.provider(server.baseURL), "[[error401]]")
        guard case .error(let error)? = events.last, events.count == 1 else { Issue.record("\(events)"); return }
        #expect(error.kind == .unauthorized)
        #expect(server.requests.count == 1)
    }

    @Test func aStreamCutAfterOutputIsNotRetried() async throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let events = await Self.collect(Self.provider(server.baseURL), "[[truncate]]")
        #expect(Self.notices(events).isEmpty)
        guard case .error(let error)? = events.last else { Issue.record("\(events)"); return }
        #expect(error.kind == .streamInterrupted)
        #expect(!reply(from: events).reply.text.isEmpty)
        #expect(server.requests.count == 1)
    }

    @Test func aTimeoutBeforeTheFirstByteIsRetried() async {
        let timeout = TransportFailure(kind: .timedOut, code: 28, message: "Operation timed out")
        let transport = ScriptedTransport([[.failure(timeout)], [.response(status: 200, headers: [:]), .failure(timeout)],
                                           ScriptedTransport.okStream])
        let events = await Self.collect(Self.provider("http://h/v1", transport: transport), "hi")
        #expect(Self.notices(events) == ["timed out, retrying in 0.01s (2/4)", "timed out, retrying in 0.02s (3/4)"])
        #expect(reply(from: events).reply.text == "ok")
        #expect(transport.requestCount == 3)
    }

    @Test func bytesThenAConnectionLossAreNotRetried() async {
        let lost = TransportFailure(kind: .connectionLost, code: 56, message: "Connection reset")
        let transport = ScriptedTransport([[.response(status: 200, headers: [:]), .bytes(Array(": keep-alive\n\n".utf8)),
                                            .failure(lost)], ScriptedTransport.okStream])
        let events = await Self.collect(Self.provider("http://h/v1", transport: transport), "hi")
        guard case .error(let error)? = events.last, events.count == 1 else { Issue.record("\(events)"); return }
        #expect(error.kind == .streamInterrupted)
        #expect(transport.requestCount == 1)
    }

    @Test func aConnectionLostAfterHeadersButBeforeAnyByteIsRetried() async {
        // Nothing of the reply was streamed, so repeating the request cannot show text twice.
        let lost = TransportFailure(kind: .connectionLost, code: 56, message: "Recv failure: Connection reset by peer")
        let transport = ScriptedTransport([[.response(status: 200, headers: [:]), .failure(lost)],
                                           ScriptedTransport.okStream])
        let events = await Self.collect(Self.provider("http://h/v1", transport: transport), "hi")
        #expect(Self.notices(events) == ["server unreachable, retrying in 0.01s (2/4)"])
        let (result, error) = reply(from: events)
        #expect(error == nil)
        #expect(result.text == "ok")
        #expect(transport.requestCount == 2)
    }

    @Test func aServerWaitLongerThanTheBudgetFailsAtOnceSayingSo() async {
        let transport = ScriptedTransport([ScriptedTransport.http(429, #"{"error":{"message":"Rate limit reached"}}"#,
                                                                  headers: ["retry-after": "120"]),
                                           ScriptedTransport.okStream])
        let events = await Self.collect(Self.provider("http://h/v1", transport: transport), "hi")
        guard case .error(let error)? = events.last, events.count == 1 else { Issue.record("\(events)"); return }
        #expect(error.kind == .rateLimited)
        #expect(error.retryAfterSeconds == 120)
        #expect(error.description.contains("the server asked to wait 120 s"), "\(error)")
        #expect(transport.requestCount == 1)
    }

    @Test func listModelsFailsAtOnceOnAWaitLongerThanTheBudget() async {
        let transport = ScriptedTransport([ScriptedTransport.http(503, "busy", headers: ["retry-after": "3600"]),
                                           ScriptedTransport.http(200, #"{"data":[{"id":"m1"}]}"#)])
        do {
            _ = try await Self.provider("http://h/v1", transport: transport).listModels()
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .serverError)
            #expect(error.detail?.contains("the server asked to wait 3600 s") == true, "\(error)")
        }
        #expect(transport.requestCount == 1)
    }

    @Test func retryAfterFromTheServerSetsTheWait() async {
        let transport = ScriptedTransport([ScriptedTransport.http(429, "{}", headers: ["retry-after-ms": "20"]),
                                           ScriptedTransport.okStream])
        let policy = RetryPolicy(maxRetries: 1, baseDelay: 5, maxDelay: 5, jitter: .none)
        let events = await Self.collect(Self.provider("http://h/v1", transport: transport, policy: policy), "hi")
        #expect(Self.notices(events) == ["rate limited, retrying in 0.02s (2/2)"])
        #expect(reply(from: events).reply.text == "ok")
    }

    @Test func cancellingDuringTheWaitEndsPromptlyWithoutAnotherRequest() async {
        let transport = ScriptedTransport([ScriptedTransport.http(503, "busy")])
        let policy = RetryPolicy(maxRetries: 3, baseDelay: 3600, maxDelay: 3600, totalBudget: 10_000, jitter: .none)
        let provider = Self.provider("http://h/v1", transport: transport, policy: policy)
        let noticed = AsyncStream.makeStream(of: String.self)
        let finished = Atomic<Bool>(false)
        let consumer = Task {
            for await event in provider.chatStream(ProviderIntegrationTests.request("hi")) {
                if case .notice(let text) = event { noticed.continuation.yield(text) }
            }
            finished.store(true, ordering: .releasing)
        }
        var notices = noticed.stream.makeAsyncIterator()
        #expect(await notices.next() == "server error (HTTP 503), retrying in 3600s (2/4)")
        consumer.cancel()
        // The wait is an hour: the consumer ending at all shows the wait was cut short.
        #expect(await Self.poll(timeoutSeconds: 10) { finished.load(ordering: .acquiring) })
        #expect(transport.requestCount == 1)
    }

    @Test func listModelsRetriesTransientFailures() async throws {
        let transport = ScriptedTransport([ScriptedTransport.http(502, "Bad Gateway"),
                                           ScriptedTransport.http(200, #"{"data":[{"id":"m1"}]}"#)])
        let models = try await Self.provider("http://h/v1", transport: transport).listModels()
        #expect(models.map(\.id) == ["m1"])
        #expect(transport.requestCount == 2)
    }

    @Test func listModelsDoesNotRetryABadKey() async {
        let transport = ScriptedTransport([ScriptedTransport.http(401, #"{"error":{"message":"bad key"}}"#)])
        await #expect(throws: ProviderError.self) {
            _ = try await Self.provider("http://h/v1", transport: transport).listModels()
        }
        #expect(transport.requestCount == 1)
    }

    /// Polls `condition` every 10 ms until it holds or the deadline passes.
    static func poll(timeoutSeconds: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(timeoutSeconds)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}
