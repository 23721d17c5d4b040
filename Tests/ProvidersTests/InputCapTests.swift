import AgentCore
import FoundationEssentials
import MockLLMServer
import Testing
@testable import Providers

/// Every buffer where input arrives stops at its cap: the request fails with an error naming
/// the cap, and what was held is dropped (D51).
@Suite("Hostile input: buffer caps", .timeLimit(.minutes(2)))
struct InputCapTests {
    static let url = "http://test/v1/chat/completions"

    @Test func anEndlessSSELineOverflowsAtTheCapAndIsDropped() {
        var parser = SSEParser(maxEventBytes: 64)
        #expect(parser.feed(Array("data: ok\n\n".utf8)) == [SSEEvent(data: "ok")])
        #expect(parser.feed(Array(("data: " + String(repeating: "x", count: 50)).utf8)).isEmpty)
        #expect(!parser.overflowed)
        #expect(parser.feed(Array(String(repeating: "x", count: 20).utf8)).isEmpty)
        #expect(parser.overflowed)
        // Nothing more is parsed, not even a later complete event.
        #expect(parser.feed(Array("\n\ndata: later\n\n".utf8)).isEmpty)
        #expect(parser.finish().isEmpty)
    }

    @Test func aLongCompleteLineInOneFeedOverflows() {
        var parser = SSEParser(maxEventBytes: 64)
        #expect(parser.feed(Array(("data: " + String(repeating: "y", count: 100) + "\n\n").utf8)).isEmpty)
        #expect(parser.overflowed)
    }

    @Test func manyDataLinesOfOneEventOverflowTogether() {
        var parser = SSEParser(maxEventBytes: 64)
        var fed = 0
        while !parser.overflowed, fed < 100 {
            #expect(parser.feed(Array("data: 0123456789\n".utf8)).isEmpty)
            fed += 1
        }
        #expect(parser.overflowed && fed == 6)
    }

    @Test func manyErrorLinesOfOneEventOverflowTogether() {
        var parser = SSEParser(maxEventBytes: 64)
        for _ in 0..<10 { _ = parser.feed(Array("error: 0123456789\n".utf8)) }
        #expect(parser.overflowed)
    }

    @Test func eventsBeforeTheOverflowInTheSameFeedAreKept() {
        var parser = SSEParser(maxEventBytes: 32)
        let events = parser.feed(Array(("data: a\n\ndata: b\n\n" + String(repeating: "z", count: 40)).utf8))
        #expect(events == [SSEEvent(data: "a"), SSEEvent(data: "b")] && parser.overflowed)
    }

    @Test func anEndlessNDJSONLineOverflowsAtTheCap() {
        var splitter = NDJSONLineSplitter(maxLineBytes: 16)
        #expect(splitter.feed(Array("{\"a\":1}\n".utf8)) == [Array("{\"a\":1}".utf8)])
        #expect(splitter.feed(Array("0123456789".utf8)).isEmpty && !splitter.overflowed)
        #expect(splitter.feed(Array("0123456789".utf8)).isEmpty && splitter.overflowed)
        #expect(!splitter.hasPartialLine)
        #expect(splitter.feed(Array("\n{}\n".utf8)).isEmpty && splitter.finish().isEmpty)
    }

    @Test func theSSEReaderFailsNamingTheCapAndKeepsTheTextBefore() throws {
        let body = SSEChatBody(provider: "p", url: Self.url, maxEventBytes: 1000)
        var reader = ChatStreamReader(provider: "p", url: Self.url, body: body)
        var events = reader.handle(.response(status: 200, headers: [:]))
        events += reader.handle(.bytes(Array(sse([chunk(#""content":"kept""#)]).utf8)))
        events += reader.handle(.bytes(Array("data: ".utf8) + Array(repeating: UInt8(ascii: "x"), count: 2000)))
        #expect(reader.isDone)
        #expect(events.first == .textDelta("kept"))
        guard case .error(let error)? = events.last else { Issue.record("no error: \(events)"); return }
        #expect(error.kind == .badResponse && error.url == Self.url)
        #expect(error.description.contains("longer than 1000 bytes, the limit for one event"))
        // Events after the end change nothing.
        #expect(reader.handle(.bytes(Array("\n\ndata: [DONE]\n\n".utf8))).isEmpty)
        #expect(reader.handle(.end).isEmpty)
    }

    @Test func theNDJSONReaderFailsNamingTheCap() {
        let url = "http://test/api/chat"
        var reader = OllamaStreamReader(provider: "o", url: url, body: NDJSONChatBody(provider: "o", url: url,
                                                                                     maxLineBytes: 100))
        var events = reader.handle(.response(status: 200, headers: [:]))
        events += reader.handle(.bytes(Array(repeating: UInt8(ascii: "{"), count: 150)))
        guard case .error(let error)? = events.last else { Issue.record("no error: \(events)"); return }
        #expect(error.description.contains("an NDJSON line longer than 100 bytes") && error.url == url)
        #expect(reader.isDone)
    }

    @Test func anEndlessErrorBodyEndsTheRequestAtTheCap() {
        var reader = ChatStreamReader(provider: "p", url: Self.url)
        #expect(reader.handle(.response(status: 500, headers: [:])).isEmpty)
        let block = [UInt8](repeating: UInt8(ascii: "e"), count: 16 << 10)
        var events: [ProviderEvent] = []
        var blocks = 0
        while !reader.isDone, blocks < 100 {
            events += reader.handle(.bytes(block))
            blocks += 1
        }
        #expect(blocks == InputLimits.maxErrorBodyBytes / block.count)
        guard case .error(let error)? = events.last, events.count == 1 else { Issue.record("\(events)"); return }
        #expect(error.kind == .serverError && error.httpStatus == 500)
        #expect((error.serverMessage ?? "").count <= ErrorClassifier.maxMessageLength + 1)
    }

    @Test func aWholeBodyPastTheCapFailsAsTooLargeNamingTheURL() async {
        let transport = ScriptedTransport([[.response(status: 200, headers: [:]), .bytes(Array(repeating: 0x20, count: 600)),
                                            .bytes(Array(repeating: 0x20, count: 600)), .end]])
        let result = await transport.send(HTTPRequest(method: "GET", url: "http://test/v1/models"), maxBodyBytes: 1000)
        guard case .failure(let failure) = result else { Issue.record("expected a failure"); return }
        #expect(failure.kind == .tooLarge)
        #expect(failure.message.contains("http://test/v1/models") && failure.message.contains("1000 bytes"))
        let error = ErrorClassifier.transportError(failure, streaming: false, provider: "p", url: "http://test/v1/models")
        #expect(error.kind == .badResponse && !RetryPolicy.isRetryable(error.kind))
    }

    @Test func aWholeErrorBodyIsKeptOnlyUpToItsCap() async throws {
        let block = [UInt8](repeating: UInt8(ascii: "e"), count: 48 << 10)
        let transport = ScriptedTransport([[.response(status: 503, headers: [:]), .bytes(block), .bytes(block),
                                            .bytes(block), .end]])
        let response = try await transport.send(HTTPRequest(method: "GET", url: "http://test/v1/models")).get()
        #expect(response.status == 503 && response.body.count == InputLimits.maxErrorBodyBytes)
    }

    /// Against the real transport: 300 KiB of headers fail the request, naming the cap and URL.
    @Test func hugeHeadersFailTheRequest() async throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(hostile: .hugeHeaders))
        defer { server.stop() }
        let url = server.baseURL + "/models"
        let result = await CurlTransport().send(HTTPRequest(method: "GET", url: url))
        guard case .failure(let failure) = result else { Issue.record("expected a failure"); return }
        #expect(failure.kind == .tooLarge)
        #expect(failure.message == "the response headers from \(url) are larger than 256 KiB, the limit for one response")
    }

    /// Against the real transport and the mock: a 64 MiB line without a line break ends the
    /// stream once the cap is reached (the server sees the client leave), naming the cap.
    @Test func anEndlessLineFromTheServerEndsTheStream() async throws {
        let server = try MockLLMServer()
        defer { server.stop() }
        let provider = RetryProviderTests.provider(server.baseURL)
        let events = await RetryProviderTests.collect(provider, "[[hostile endless-line]] hi")
        guard case .error(let error)? = events.last else { Issue.record("no error: \(events)"); return }
        #expect(error.description.contains("longer than 8 MiB, the limit for one event"))
        #expect(error.url.hasSuffix("/chat/completions"))
        #expect(await server.waitUntil { $0.exchanges.first?.outcome == .clientDisconnected })
    }

    @Test func anEndlessErrorBodyIsRetriedThenReported() async throws {
        let server = try MockLLMServer(configuration: MockLLMConfiguration(hostile: .endlessErrorBody))
        defer { server.stop() }
        let provider = RetryProviderTests.provider(server.baseURL)
        let events = await RetryProviderTests.collect(provider, "hi")
        #expect(RetryProviderTests.notices(events).count == 3)
        guard case .error(let error)? = events.last else { Issue.record("no error: \(events)"); return }
        #expect(error.kind == .serverError && error.httpStatus == 500)
        #expect((error.detail ?? "").contains("gave up after 4 attempts"))
    }
}
