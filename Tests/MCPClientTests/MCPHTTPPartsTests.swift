import AgentCore
import Providers
import Testing
@testable import MCPClient

@Suite(.timeLimit(.minutes(1))) struct HTTPTransportPartsTests {
    @Test func resolvesEndpointsOnTheSameOriginOnly() {
        let base = "http://127.0.0.1:8000/mcp/sse?x=1"
        #expect(URLOrigin.of(base) == "http://127.0.0.1:8000")
        #expect(URLOrigin.resolve("/messages/?session_id=ab", against: base) == "http://127.0.0.1:8000/messages/?session_id=ab")
        #expect(URLOrigin.resolve("messages?s=1", against: base) == "http://127.0.0.1:8000/mcp/messages?s=1")
        #expect(URLOrigin.resolve("http://127.0.0.1:8000/m", against: base) == "http://127.0.0.1:8000/m")
        #expect(URLOrigin.resolve("//127.0.0.1:8000/m", against: base) == "http://127.0.0.1:8000/m")
        #expect(URLOrigin.resolve("http://evil.example/m", against: base) == nil)
        #expect(URLOrigin.resolve("//evil.example/m", against: base) == nil)
        #expect(URLOrigin.resolve("http://127.0.0.1:8001/m", against: base) == nil)
        #expect(URLOrigin.resolve("/a b", against: base) == nil)
        #expect(URLOrigin.of("ftp://x/y") == nil)
        #expect(URLOrigin.of("http://user@host/") == nil)
    }

    @Test func httpAnswersAreReadAsJSONOrEvents() {
        let reader = ResponseReader(url: "http://h/mcp")
        _ = reader.handle(.response(status: 200, headers: ["content-type": "text/event-stream", "mcp-session-id": "s1"]))
        let first = reader.handle(.bytes(Array("event: message\ndata: {\"id\":1}\n\n: comment\n\n".utf8)))
        #expect(first.messages == [Array(#"{"id":1}"#.utf8)])
        #expect(reader.sessionID == "s1")
        let failing = ResponseReader(url: "http://h/mcp")
        _ = failing.handle(.response(status: 401, headers: [:]))
        _ = failing.handle(.bytes(Array("bad token\nmore".utf8)))
        #expect(failing.handle(.end).failure == MCPError("HTTP 401 from http://h/mcp: bad token more"))
    }

    @Test func oversizedHTTPAnswersEndTheTransfer() {
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        for contentType in ["application/json", "text/event-stream"] {
            let reader = ResponseReader(url: "http://h/mcp")
            _ = reader.handle(.response(status: 200, headers: ["content-type": contentType]))
            var failure: MCPError?
            for _ in 0..<10 where failure == nil {
                failure = reader.handle(.bytes(contentType == "text/event-stream" ? Array("data: ".utf8) + chunk : chunk)).failure
            }
            #expect(failure?.message == "the server sent a message longer than 8 MiB")
            #expect(reader.isFinished)
        }
    }
}
