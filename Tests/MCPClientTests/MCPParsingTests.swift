import AgentCore
import Testing
@testable import MCPClient

@Suite(.timeLimit(.minutes(1))) struct LineFramerTests {
    @Test func splitsLinesAcrossChunksAndDropsCarriageReturns() throws {
        var framer = LineFramer(limit: 100)
        #expect(try framer.append(Array("{\"a\":".utf8)).isEmpty)
        let lines = try framer.append(Array("1}\r\n\n{\"b\":2}\n{\"c\"".utf8))
        #expect(lines.map { String(decoding: $0, as: UTF8.self) } == ["{\"a\":1}", "{\"b\":2}"])
        #expect(framer.pendingByteCount == 4)
    }

    @Test func aLineOverTheLimitEndsTheConnection() {
        var framer = LineFramer(limit: 8)
        #expect(throws: MCPError.self) { _ = try framer.append(Array("123456789".utf8)) }
        var exact = LineFramer(limit: 8)
        #expect((try? exact.append(Array("12345678\n".utf8)))?.count == 1)
    }
}

@Suite(.timeLimit(.minutes(1))) struct JSONRPCMessageTests {
    @Test func requestsAreOneEscapedLine() throws {
        let text = JSONRPCMessage.request(id: 3, method: "tools/call", params: MCPJSONWriter.object([("name", JSONText.quoted("a\"b\nc"))]))
        #expect(!text.contains("\n"))
        let parsed = try JSONReader.parse(text)
        #expect(parsed["id"]?.number?.int == 3)
        #expect(parsed["params"]?["name"]?.string == "a\"b\nc")
        #expect(parsed["jsonrpc"]?.string == "2.0")
    }

    @Test func writerKeepsNestedSchemasAndNumbers() throws {
        let source = #"{"type":"object","properties":{"n":{"type":"number","enum":[1.50,2e3]},"l":{"type":"array","items":{}}},"required":["n"]}"#
        #expect(MCPJSONWriter.text(of: try JSONReader.parse(source)) == source)
        let spaced = "{\n  \"a\" : [ 1 , true , null ]\n}"
        #expect(MCPJSONWriter.text(of: try JSONReader.parse(spaced)) == #"{"a":[1,true,null]}"#)
    }

    @Test func classifiesResponsesRequestsAndNotifications() throws {
        func classify(_ text: String) throws -> JSONRPCIncoming {
            JSONRPCIncoming.classify(try JSONReader.parse(text)) { _ in "tools/call" }
        }
        guard case .response(1, .success) = try classify(#"{"jsonrpc":"2.0","id":1,"result":{}}"#) else { Issue.record(); return }
        guard case .response(2, .failure(let error)) = try classify(#"{"id":2,"error":{"code":-32602,"message":"bad"}}"#)
        else { Issue.record(); return }
        #expect(error.message == "tools/call error -32602: bad")
        guard case .request(_, "ping") = try classify(#"{"id":"x","method":"ping"}"#) else { Issue.record(); return }
        guard case .notification("notifications/tools/list_changed", _) = try classify(#"{"method":"notifications/tools/list_changed"}"#)
        else { Issue.record(); return }
        guard case .strayResponse = try classify(#"{"id":"zz","result":1}"#) else { Issue.record(); return }
        guard case .invalid = try classify("[1]") else { Issue.record(); return }
    }
}

@Suite(.timeLimit(.minutes(1))) struct MCPResultsTests {
    @Test func negotiatesKnownVersionsOnly() throws {
        let ok = try JSONReader.parse(#"{"protocolVersion":"2024-11-05","capabilities":{"tools":{}},"serverInfo":{"name":"s","version":"1"}}"#)
        let summary = try MCPResults.serverSummary(ok)
        #expect(summary.protocolVersion == "2024-11-05" && summary.hasTools && !summary.hasPrompts)
        let bad = try JSONReader.parse(#"{"protocolVersion":"2030-01-01","capabilities":{}}"#)
        #expect(throws: MCPError.self) { try MCPResults.serverSummary(bad) }
        #expect(MCPResults.initializeParams(clientVersion: "1").contains(#""protocolVersion":"2025-06-18""#))
    }

    @Test func toolsKeepRawSchemasAndReadOnlyHints() throws {
        let page = try JSONReader.parse(#"{"tools":[{"name":"a","inputSchema":{"type":"object","properties":{"x":{"enum":["p","q"]}}},"annotations":{"readOnlyHint":true}},{"description":"no name"},{"name":"b"}],"nextCursor":"c2"}"#)
        let tools = MCPResults.tools(page)
        #expect(tools.map(\.name) == ["a", "b"])
        #expect(tools[0].inputSchema == #"{"type":"object","properties":{"x":{"enum":["p","q"]}}}"#)
        #expect(tools[0].readOnlyHint && !tools[1].readOnlyHint)
        #expect(MCPResults.nextCursor(page) == "c2")
        #expect(MCPResults.listParams(cursor: "c2") == #"{"cursor":"c2"}"#)
    }

    @Test func mapsEveryContentKind() throws {
        // A PNG's first 28 bytes: signature, IHDR length and type, width 640, height 480, depth, colour.
        let png = "iVBORw0KGgoAAAANSUhEUgAAAoAAAAHgCAYAAA=="
        let result = try JSONReader.parse("""
        {"content":[{"type":"text","text":"hi"},{"type":"image","mimeType":"image/png","data":"\(png)"},
        {"type":"audio","mimeType":"audio/wav","data":"AAAA"},{"type":"resource","resource":{"uri":"f://x","text":"t"}},
        {"type":"resource_link","uri":"f://y","name":"y"},{"type":"hologram"}],"isError":true}
        """)
        let mapped = MCPResults.toolResult(result)
        #expect(mapped.isError)
        #expect(mapped.content == [
            .text("hi"), .image(mimeType: "image/png", byteCount: 28, width: 640, height: 480),
            .audio(mimeType: "audio/wav", byteCount: 3), .resource(uri: "f://x", mimeType: nil, text: "t"),
            .resourceLink(uri: "f://y", name: "y"), .other(type: "hologram"),
        ])
    }

    @Test func base64SizesWithAndWithoutPadding() {
        #expect(MCPResults.decodedByteCount(base64: "") == 0)
        #expect(MCPResults.decodedByteCount(base64: "QQ==") == 1)
        #expect(MCPResults.decodedByteCount(base64: "QUI=") == 2)
        #expect(MCPResults.decodedByteCount(base64: "QUJD") == 3)
        #expect(MCPResults.decodedByteCount(base64: "QUJDRA") == 4)
        #expect(MCPResults.pngSize(base64: "bm90IGEgcG5n") == nil)
    }

    @Test func promptsAndResourcesFlattenToText() throws {
        let prompt = try JSONReader.parse(#"{"messages":[{"role":"user","content":{"type":"text","text":"one"}},{"role":"user","content":{"type":"image","mimeType":"image/gif","data":"QUJD"}}]}"#)
        #expect(MCPResults.promptText(prompt) == "one\n\n[image image/gif, 3 bytes]")
        let resource = try JSONReader.parse(#"{"contents":[{"uri":"a","text":"body"},{"uri":"b","blob":"QUJD","mimeType":"application/zip"}]}"#)
        #expect(MCPResults.resourceText(resource) == "body\n[binary application/zip, 3 bytes]")
    }

    @Test func exitReasonsNameStatusSignalAndStderr() {
        #expect(StdioTransport.exitReason(1 << 8, lastLine: "fatal: x").message == "exited with status 1: fatal: x")
        #expect(StdioTransport.exitReason(9, lastLine: nil).message == "killed by signal 9")
        let tail = StderrTail()
        tail.append(Array("a\n  b  \r\nunfinished".utf8))
        #expect(tail.lines == ["a", "b", "unfinished"])
        tail.append(Array(String(repeating: "z\n", count: 50).utf8))
        #expect(tail.lines.count == StderrTail.maxLines)
    }
}

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
            for _ in 0..<6 where failure == nil {
                failure = reader.handle(.bytes(contentType == "text/event-stream" ? Array("data: ".utf8) + chunk : chunk)).failure
            }
            #expect(failure?.message == "the server sent a message longer than 4 MiB")
            #expect(reader.isFinished)
        }
    }
}
