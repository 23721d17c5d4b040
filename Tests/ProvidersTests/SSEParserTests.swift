import Testing
@testable import Providers

@Suite("SSEParser", .timeLimit(.minutes(2)))
struct SSEParserTests {
    /// Covers comments, multi-line data, CRLF and bare CR endings, the optional space,
    /// `event:`/`id:`/`error:` fields, multi-byte UTF-8 and a final event without a blank line.
    static let sample = ": OPENROUTER PROCESSING\n: second comment\n\n"
        + "data: {\"a\":1}\n\n"
        + "event: error\r\ndata: line one\r\ndata:line two\r\n\r\n"
        + "id: 7\rdata:  two spaces keep one\r\r"
        + "data: 你好，世界 🙂👍🏽 café\n\n"
        + "error: {\"code\":400,\"message\":\"ctx\"}\n\n"
        + "retry: 100\nunknown: x\ndata\n\n"
        + "data: [DONE]"

    static let expected: [SSEEvent] = [
        SSEEvent(data: "{\"a\":1}"),
        SSEEvent(event: "error", data: "line one\nline two"),
        SSEEvent(data: " two spaces keep one", id: "7"),
        SSEEvent(data: "你好，世界 🙂👍🏽 café", id: "7"),
        SSEEvent(data: "", id: "7", error: "{\"code\":400,\"message\":\"ctx\"}"),
        SSEEvent(data: "", id: "7"),
        SSEEvent(data: "[DONE]", id: "7"),
    ]

    @Test func wholeFeedYieldsTheExpectedEvents() {
        #expect(parseSSE([Array(Self.sample.utf8)]) == Self.expected)
    }

    @Test func oneByteAtATimeYieldsTheSameEvents() {
        #expect(parseSSE(Self.sample.utf8.map { [$0] }) == Self.expected)
    }

    @Test(arguments: 0..<200)
    func randomSplitsYieldTheSameEvents(seed: Int) {
        let bytes = Array(Self.sample.utf8)
        #expect(parseSSE(randomSplits(bytes, seed: UInt64(seed))) == Self.expected)
    }

    @Test func emojiSplitInsideItsBytesComesOutIntact() {
        let bytes = Array("data: 🙂\n\n".utf8)  // the emoji is bytes 6..<10
        for cut in 7..<10 {
            let events = parseSSE([Array(bytes[..<cut]), Array(bytes[cut...])])
            #expect(events == [SSEEvent(data: "🙂")])
        }
    }

    @Test func crlfSplitBetweenCRAndLFIsOneLineBreak() {
        // If the LF after a feed-final CR counted as a blank line, "a" and "b" would split.
        let events = parseSSE([Array("data: a\r".utf8), Array("\ndata: b\r\n\r\n".utf8)])
        #expect(events == [SSEEvent(data: "a\nb")])
    }

    @Test func lastEventWithoutBlankLineIsFlushedByFinish() {
        var parser = SSEParser()
        #expect(parser.feed(Array("data: tail".utf8)).isEmpty)
        #expect(parser.finish() == [SSEEvent(data: "tail")])
        #expect(parser.finish().isEmpty)
    }

    @Test func commentOnlyStreamYieldsNothing() {
        #expect(parseSSE([Array(": ping\n\n: ping\n\n".utf8)]).isEmpty)
    }

    @Test func leadingByteOrderMarkIsIgnored() {
        #expect(parseSSE([[0xEF, 0xBB, 0xBF] + Array("data: x\n\n".utf8)]) == [SSEEvent(data: "x")])
    }

    @Test func rawBufferFeedMatchesSequenceFeed() {
        var parser = SSEParser()
        let bytes = Array(Self.sample.utf8)
        let events = bytes.withUnsafeBytes { parser.feed($0) } + parser.finish()
        #expect(events == Self.expected)
    }
}
