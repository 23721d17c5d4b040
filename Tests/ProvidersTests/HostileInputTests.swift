import AgentCore
import FoundationEssentials
import MockLLMServer
import Testing
@testable import Providers

/// What a hostile or broken server can send, at the parser level: absurd numbers never trap,
/// and every buffer stops at its cap with an error naming it (D50-D53).
@Suite("Hostile input: numbers", .timeLimit(.minutes(2)))
struct HostileNumberTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    @Test(arguments: [
        "Thu, 01 Jan 300000000000 00:00:00 GMT", "Thu, 01 Jan 9223372036854775807 00:00:00 GMT",
        "Thu, 01 Jan 99999 00:00:00 GMT", "Thu, 01 Jan -1 00:00:00 GMT", "Thu, 01 Jan 0300 00:00:00 GMT",
    ])
    func anAbsurdRetryAfterDateIsNoWait(_ date: String) {
        #expect(RetryAfter.seconds(headers: ["retry-after": date], now: Self.now) == nil)
        let error = ErrorClassifier.httpError(status: 429, headers: ["retry-after": date], body: [], provider: "p",
                                              url: "http://x/v1/chat/completions", now: Self.now)
        #expect(error.kind == .rateLimited && error.retryAfterSeconds == nil)
    }

    @Test func theLastFourDigitYearStillParses() {
        let date = RetryAfter.httpDate("Fri, 31 Dec 9999 23:59:59 GMT")
        #expect(date?.timeIntervalSince1970 == 253_402_300_799)
        #expect(RetryAfter.seconds(headers: ["retry-after": "Fri, 31 Dec 9999 23:59:59 GMT"], now: Self.now)
            == RetryAfter.longestWait)
    }

    @Test func aWaitAtTheCapIsDescribedAsADayOrMore() {
        let error = ErrorClassifier.httpError(status: 429, headers: ["retry-after": "99999999999999999999999999"],
                                              body: [], provider: "p", url: "http://x", now: Self.now)
        #expect(error.detail == "retry after a day or more")
        #expect(error.refusingWait(seconds: RetryAfter.longestWait).detail
            == "the server asked to wait a day or more, longer than the retry budget allows: not retried")
        #expect(RetryAfter.describe(12) == "12 s")
    }

    /// Usage fields near Int.max, negative, or beyond Int (`1e300`): clamped, and the
    /// reasoning check (`total == prompt + completion + reasoning`) cannot overflow.
    @Test(arguments: [
        #"{"prompt_tokens":-1,"completion_tokens":9223372036854775807,"total_tokens":9223372036854775807,"#
            + #""prompt_tokens_details":{"cached_tokens":-5},"completion_tokens_details":{"reasoning_tokens":9223372036854775807}}"#,
        #"{"prompt_tokens":9223372036854775807,"completion_tokens":9223372036854775807,"total_tokens":-9223372036854775808,"#
            + #""completion_tokens_details":{"reasoning_tokens":1}}"#,
        #"{"prompt_tokens":1e300,"completion_tokens":-1e300,"total_tokens":99999999999999999999999,"cached_tokens":1e999}"#,
    ])
    func absurdUsageIsClamped(_ usage: String) throws {
        let events = decodeStream(sse([chunk(#""content":"hi""#, finish: #""stop""#), #"{"choices":[],"usage":\#(usage)}"#,
                                       "[DONE]"]))
        let reported = try #require(events.compactMap { if case .usage(let usage) = $0 { usage } else { nil } }.first)
        for count in [reported.inputTokens, reported.outputTokens, reported.cachedInputTokens, reported.reasoningTokens] {
            #expect((0...InputLimits.maxTokenCount).contains(count))
        }
        #expect(events.last == .finish(.stop))
    }

    @Test func theXAIReasoningSumWorksWithClampedFigures() throws {
        let usage = #"{"prompt_tokens":291,"completion_tokens":26,"total_tokens":513,"#
            + #""completion_tokens_details":{"reasoning_tokens":196}}"#
        let events = decodeStream(sse([#"{"choices":[],"usage":\#(usage)}"#, "[DONE]"]))
        #expect(events.contains(.usage(TokenUsage(inputTokens: 291, outputTokens: 222, reasoningTokens: 196))))
    }

    @Test(arguments: ["-1", "1e400", "NaN", "1000001", "-0.5"])
    func anAbsurdReportedCostIsIgnored(_ cost: String) {
        let data = #"{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"cost":\#(cost)}}"#
        #expect(OpenAIChunkDecoder.reportedCost(inChunk: data) == nil)
    }

    @Test func usageSumsSaturate() {
        let most = TokenUsage(inputTokens: .max, outputTokens: .max, cachedInputTokens: .min, reasoningTokens: .max)
        #expect(most.inputTokens == InputLimits.maxTokenCount && most.cachedInputTokens == 0)
        var total = TokenUsage()
        for _ in 0..<10 { total = total + most }
        #expect(total.inputTokens == InputLimits.maxTokenCount && total.outputTokens == InputLimits.maxTokenCount)
    }

    /// Context sizes and prices in a model list beyond any real model are unknown, not trusted.
    @Test func absurdModelListNumbersAreUnknown() throws {
        let models = try #require(ModelMetadata.parseModelList(Array(MockHostility.absurdModelList.utf8)))
        #expect(models.map(\.id) == ["huge", "negative", "intmax"])
        for model in models {
            #expect(model.contextWindow == nil && model.maxOutputTokens == nil)
            for rate in [model.pricing?.inputPerMillion, model.pricing?.outputPerMillion,
                         model.pricing?.cachedInputPerMillion, model.pricing?.reasoningPerMillion] {
                if let rate { #expect(!rate.isNaN && rate <= InputLimits.maxPricePerMillion && rate >= 0) }
            }
        }
    }

    @Test(arguments: [9_223_372_036_854_775_807, -5, 0, 1_000_000_001])
    func anAbsurdOllamaContextIsUnknown(_ length: Int) throws {
        let body = #"{"model_info":{"general.architecture":"m","m.context_length":\#(length)},"capabilities":["completion"]}"#
        let show = try JSONDecoder().decode(OllamaShowResponse.self, from: Data(body.utf8))
        #expect(show.modelInfo(id: "m").contextWindow == nil)
        #expect(ModelMetadata.parseLlamaCppContext(Array(#"{"n_ctx":\#(length)}"#.utf8)) == nil)
    }

    @Test func absurdToolCallIndexesDoNotTrap() {
        let events = decodeStream(sse([
            chunk(#""tool_calls":[{"index":9223372036854775807,"id":"a","function":{"name":"f","arguments":"{}"}}]"#),
            chunk(#""tool_calls":[{"index":-1,"id":"b","function":{"name":"g","arguments":"{}"}}]"#,
                  finish: #""tool_calls""#), "[DONE]",
        ]))
        #expect(events.contains(.toolCallStart(index: .max, id: "a", name: "f")))
        #expect(events.contains(.toolCallStart(index: -1, id: "b", name: "g")))
        #expect(events.last == .finish(.toolCalls))
    }

    @Test func aConfiguredRetryCountIsBounded() {
        #expect(RetryPolicy(maxRetries: .max).maxAttempts == InputLimits.maxRetries + 1)
    }

    @Test func aLoneSurrogateInTheTextFailsTheTurnInsteadOfDroppingText() {
        let events = decodeStream(sse([chunk(#""content":"before ""#), chunk(#""content":"lone \ud800 text""#), "[DONE]"]))
        guard case .error(let error)? = events.last else { Issue.record("no error: \(events)"); return }
        #expect(error.kind == .badResponse && (error.detail ?? "").contains("unreadable stream chunk"))
        #expect(events.first == .textDelta("before "))
    }
}
