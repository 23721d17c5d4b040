import AgentCore
import FoundationEssentials
import Testing
@testable import Providers

/// Decodes `text` through the reader with the usage estimate on (as the provider does), fed
/// every way (`feedEveryWay`).
private func decodeEstimating(_ text: String, input: Int = 0,
                              sourceLocation: SourceLocation = #_sourceLocation) -> [ProviderEvent] {
    feedEveryWay(Array(text.utf8), estimatedInputTokens: input, sourceLocation: sourceLocation)
}

@Suite("Usage estimate", .timeLimit(.minutes(2)))
struct UsageEstimateTests {
    @Test func estimateEmittedAndFlaggedWhenNoUsage() {
        let stream = sse([chunk(#""content":"Hello, world!!""#), chunk("", finish: #""stop""#), "[DONE]"])
        let events = decodeEstimating(stream, input: 7)
        #expect(events == [.textDelta("Hello, world!!"),
                           .usage(TokenUsage(inputTokens: 7, outputTokens: 4, isEstimate: true)), .finish(.stop)])
    }

    @Test func estimateAlsoWhenStreamEndsWithoutDone() {
        let stream = sse([chunk(#""content":"abcd""#, finish: #""stop""#)])
        #expect(decodeEstimating(stream).suffix(2)
                    == [.usage(TokenUsage(inputTokens: 0, outputTokens: 1, isEstimate: true)), .finish(.stop)])
    }

    @Test func noEstimateWhenUsageArrived() {
        let stream = sse([chunk(#""content":"Hi""#, finish: #""stop""#),
                          #"{"id":"c","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1}}"#, "[DONE]"])
        #expect(decodeEstimating(stream) == [.textDelta("Hi"), .usage(TokenUsage(inputTokens: 3, outputTokens: 1)),
                                             .finish(.stop)])
    }

    @Test func toolCallArgumentsCount() {
        let call = #""tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"read","arguments":"{\"path\":\"a\"}"}}]"#
        let stream = sse([chunk(call, finish: #""tool_calls""#), "[DONE]"])
        let usage = reply(from: decodeEstimating(stream)).reply.usage
        #expect(usage?.isEstimate == true)
        #expect((usage?.outputTokens ?? 0) >= 3)
    }

    @Test func decoderAloneDoesNotEstimate() {
        let stream = sse([chunk(#""content":"Hi""#, finish: #""stop""#), "[DONE]"])
        var parser = SSEParser()
        var decoder = OpenAIChunkDecoder(provider: "test", url: "u")
        let events = (parser.feed(Array(stream.utf8)) + parser.finish()).flatMap { decoder.consume($0) }
        #expect(events + decoder.finish() == [.textDelta("Hi"), .finish(.stop)])
    }

    @Test func providerStreamCarriesTheEstimate() async throws {
        let transport = CannedTransport(body: sse([chunk(#""content":"ok""#, finish: #""stop""#), "[DONE]"]))
        let config = ProviderConfig(name: "local", kind: .llamaCpp, apiBase: "http://h:1/v1")
        let provider = ProviderFactory.make(config: config, transport: transport)
        let reply = try await provider.chat(ChatRequest(model: "m", messages: [ChatMessage(role: .user, content: "x")]))
        #expect(reply.usage?.isEstimate == true)
        #expect(reply.usage?.outputTokens == 1)
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
