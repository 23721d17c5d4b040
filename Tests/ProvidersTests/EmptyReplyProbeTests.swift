import AgentCore
import FoundationEssentials
import Testing
@testable import Providers

/// A streamed request answered with HTTP 200 and no body (how llama-cpp-python answers a
/// streamed context overflow) is asked again once without streaming, which says why (D157).
@Suite("Empty streamed replies", .timeLimit(.minutes(1)))
struct EmptyReplyProbeTests {
    /// llama-cpp-python's non-streamed answer to a prompt larger than its `n_ctx`.
    static let overflowBody = #"{"error":{"message":"Requested tokens (1200) exceed context window of 512","#
        + #""type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#
    static let empty: [TransportEvent] = [.response(status: 200, headers: [:]), .end]

    static func body(_ request: HTTPRequest) -> String { String(decoding: request.body ?? [], as: UTF8.self) }

    @Test func theProbeAsksWithoutStreamingAndTheOverflowIsNamed() async throws {
        let transport = ScriptedTransport([Self.empty, ScriptedTransport.http(400, Self.overflowBody)])
        let events = await RetryProviderTests.collect(RetryProviderTests.provider("http://127.0.0.1:9/v1", transport: transport), "hi")
        let sent = transport.sent.withLock { $0 }
        #expect(sent.count == 2)
        #expect(Self.body(sent[0]).contains(#""stream":true"#))
        #expect(Self.body(sent[1]).contains(#""stream":false"#))
        #expect(!Self.body(sent[1]).contains("stream_options"))
        #expect(sent[1].headers.contains { $0.name == "Accept" && $0.value == "application/json" })
        #expect(RetryProviderTests.notices(events).contains { $0.contains("empty streamed reply") })
        // The empty attempt reached the server: it is reported so it is counted (D112).
        #expect(events.contains { if case .attemptFailed(let error) = $0 { error.kind == .streamInterrupted } else { false } })
        guard case .error(let error)? = events.last else { Issue.record("\(events)"); return }
        #expect(error.kind == .contextTooLong)
    }

    @Test func aWholeReplyToTheProbeIsTheAnswer() async throws {
        let whole = #"{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","#
            + #""content":"hello there"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2}}"#
        let transport = ScriptedTransport([Self.empty, ScriptedTransport.http(200, whole)])
        let events = await RetryProviderTests.collect(RetryProviderTests.provider("http://127.0.0.1:9/v1", transport: transport), "hi")
        let (result, error) = reply(from: events)
        #expect(error == nil)
        #expect(result.text == "hello there")
    }

    @Test func theProbeIsSentOnceAndASecondEmptyReplyIsTheError() async throws {
        let transport = ScriptedTransport([Self.empty])
        let events = await RetryProviderTests.collect(RetryProviderTests.provider("http://127.0.0.1:9/v1", transport: transport), "hi")
        #expect(transport.requestCount == 2)
        guard case .error(let error)? = events.last else { Issue.record("\(events)"); return }
        #expect(error.kind == .streamInterrupted)
        #expect(error.detail?.contains("empty response body") == true)
    }
}
