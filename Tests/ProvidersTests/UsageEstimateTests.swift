import AgentCore
import FoundationEssentials
import Testing
@testable import Providers

/// The provider path reports the server's usage only; a missing usage is estimated once, by
/// the engine from the reply (`ChatReply.outputEstimate`, D180).
@Suite("Usage estimate", .timeLimit(.minutes(2)))
struct UsageEstimateTests {
    @Test func theReaderSendsNoUsageWhenTheServerSentNone() {
        let stream = sse([chunk(#""content":"Hello, world!!""#), chunk("", finish: #""stop""#), "[DONE]"])
        #expect(feedEveryWay(Array(stream.utf8)) == [.textDelta("Hello, world!!"), .finish(.stop)])
    }

    @Test func theServersUsageIsPassedOn() {
        let stream = sse([chunk(#""content":"Hi""#, finish: #""stop""#),
                          #"{"id":"c","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1}}"#, "[DONE]"])
        #expect(feedEveryWay(Array(stream.utf8)) == [.textDelta("Hi"), .usage(TokenUsage(inputTokens: 3, outputTokens: 1)),
                                                     .finish(.stop)])
    }

    @Test func theReplyKeepsOneRunningEstimateOfEverythingGenerated() {
        let call = #""tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"read","arguments":"{\"path\":\"a\"}"}}]"#
        let stream = sse([chunk(#""reasoning_content":"think""#), chunk(#""content":"你好 abcd""#),
                          chunk(call, finish: #""tool_calls""#), "[DONE]"])
        let reply = reply(from: feedEveryWay(Array(stream.utf8))).reply
        #expect(reply.usage == nil)
        let expected = UsageEstimator.tokens(in: "think") + 2 + UsageEstimator.tokens(in: " abcd")
            + UsageEstimator.tokens(in: "read") + UsageEstimator.tokens(in: #"{"path":"a"}"#)
        // Piece by piece, the tally may round differently from whole strings by a token per piece.
        #expect(abs(reply.outputEstimate.tokens - expected) <= 3)
        var tally = UsageEstimator.Tally()
        for piece in ["think", "你好 abcd", "read", #"{"path":"a"}"#] { tally.add(piece) }
        #expect(reply.outputEstimate == tally)
    }

    @Test func aProviderReplyWithoutUsageHasNone() async throws {
        let transport = CannedTransport(body: sse([chunk(#""content":"ok""#, finish: #""stop""#), "[DONE]"]))
        let config = ProviderConfig(name: "local", kind: .llamaCpp, apiBase: "http://h:1/v1")
        let provider = ProviderFactory.make(config: config, transport: transport)
        let reply = try await provider.chat(ChatRequest(model: "m", messages: [ChatMessage(role: .user, content: "x")]))
        #expect(reply.usage == nil)
        #expect(reply.outputEstimate.tokens == 1)
    }

    @Test func heuristic() {
        #expect(UsageEstimator.tokens(in: "") == 0)
        #expect(UsageEstimator.tokens(in: "hello world!") == 3)
        #expect(UsageEstimator.tokens(in: "hello") == 2)
        // CJK: one token per character, however many UTF-8 bytes it takes.
        #expect(UsageEstimator.tokens(in: "你好世界") == 4)
        #expect(UsageEstimator.tokens(in: "こんにちは") == 5)
        #expect(UsageEstimator.tokens(in: "안녕하세요") == 5)
        #expect(UsageEstimator.tokens(in: "abcd你好") == 3)
        var tally = UsageEstimator.Tally()
        for piece in ["ab", "cd", "你", "好"] { tally.add(piece) }
        #expect(tally.tokens == UsageEstimator.tokens(in: "abcd你好"))
    }

    @Test func inputEstimateFromRequest() {
        let request = ChatRequest(model: "m", messages: [
            ChatMessage(role: .system, content: "abcdabcd"),
            ChatMessage(role: .assistant, content: "", toolCalls: [ToolCall(id: "c", name: "ls", arguments: "{}")]),
        ])
        #expect(UsageEstimator.inputTokens(for: request) == 2 + 1 + 8)
    }
}
