import AgentCore
import FoundationEssentials
import Testing
@testable import Providers

/// The fast path for plain content chunks: what it reads, what it leaves to `JSONDecoder`,
/// and that both paths give the same events for every recording.
@Suite(.timeLimit(.minutes(2))) struct PlainContentChunkTests {
    @Test(arguments: [
        (#"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"#, "Hi"),
        (#"{"choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}"#, ""),
        (#" { "choices" : [ { "delta" : { "content" : "a\"b\\c\/d\n\t" } } ] } "#, "a\"b\\c/d\n\t"),
        (#"{"choices":[{"delta":{"content":"caf\u00e9 \ud83d\ude00 中文"}}]}"#, "café 😀 中文"),
        (#"{"choices":[{"delta":{"content":null,"reasoning":null,"tool_calls":null}}],"created":-1.5e+3}"#, ""),
        (#"{"choices":[{"delta":{"content":"x"},"native_finish_reason":null}],"provider":"P","obfuscation":"zz"}"#, "x"),
    ])
    func readsPlainChunks(_ data: String, _ content: String) {
        #expect(PlainContentChunk.content(of: data) == content)
    }

    @Test(arguments: [
        #"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,  // a finish reason
        #"{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}}"#,  // usage
        #"{"choices":[{"delta":{"content":"a"}}],"usage":{"prompt_tokens":1}}"#,
        #"{"error":{"message":"boom"}}"#,
        #"{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]}}]}"#,
        #"{"choices":[{"delta":{"reasoning_content":"hmm"}}]}"#,
        #"{"choices":[{"index":1,"delta":{"content":"b"}}]}"#,  // not choice 0
        #"{"choices":[{"delta":{"content":"a"}},{"delta":{"content":"b"}}]}"#,  // n > 1
        #"{"choices":[{"delta":{"content":"a"}}],"x_groq":{"usage":{}}}"#,  // an unknown key
        #"{"choices":[{"delta":{"content":"a","content":"b"}}]}"#,  // a duplicate key
        #"{"choices":[{"delta":{"content":"bad \x escape"}}]}"#,
        #"{"choices":[{"delta":{"content":"lone \ud83d surrogate"}}]}"#,
        "{\"choices\":[{\"delta\":{\"content\":\"raw\ttab\"}}]}",  // a control character
        #"{"choices":[{"delta":{"content":"a"}}],"created":01}"#,  // not a JSON number
        #"{"choices":[{"delta":{"content":"a"}}]} trailing"#,
        #"{"choices":[{"delta":{"content":"a"}}"#,  // cut short
        "",
    ])
    func leavesEverythingElseToTheDecoder(_ data: String) {
        #expect(PlainContentChunk.content(of: data) == nil)
    }

    @Test func deepNestingInASkippedFieldIsLeftToTheDecoder() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(PlainContentChunk.content(of: #"{"provider":"# + deep + #","choices":[{"delta":{"content":"a"}}]}"#) == nil)
        let shallow = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        #expect(PlainContentChunk.content(of: #"{"provider":"# + shallow + #","choices":[{"delta":{"content":"a"}}]}"#) == "a")
    }

    /// Every event of `body` through the SSE parser and a decoder with the fast path on or off.
    static func events(of body: [UInt8], fastPath: Bool) -> [ProviderEvent] {
        var parser = SSEParser()
        var decoder = OpenAIChunkDecoder(provider: "p", url: "http://x")
        decoder.usesFastPath = fastPath
        var events: [ProviderEvent] = []
        for event in parser.feed(body) + parser.finish() { events += decoder.consume(event) }
        return events + decoder.finish()
    }

    @Test(.enabled(if: SharedFixtures.available, "needs ../shared/fixtures next to the package"))
    func bothPathsGiveTheSameEventsForEveryRecordedStream() throws {
        let streams = SharedFixtures.recordings.filter { $0.hasSuffix(".sse") }
        #expect(streams.count >= 40)
        var fastChunks = 0
        for file in streams {
            let body = try #require(FileList.read(SharedFixtures.directory + "/" + file), "\(file)")
            #expect(Self.events(of: body, fastPath: true) == Self.events(of: body, fastPath: false), "\(file)")
            var parser = SSEParser()
            fastChunks += (parser.feed(body) + parser.finish()).filter { PlainContentChunk.content(of: $0.data) != nil }.count
        }
        // The recordings are mostly plain content chunks: the fast path is really taken.
        #expect(fastChunks > 300)
    }
}
