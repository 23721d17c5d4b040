import AgentCore
import App
import Testing
@testable import AppRuntime

/// The runtime times the request being streamed for the meter's live rate (D117): from the
/// first text of a request to now, reset when the request ends.
@Suite(.timeLimit(.minutes(2))) struct StreamClockTests {
    let start = Duration.seconds(100)

    func seconds(_ action: Action?) -> Double? {
        if case .streamProgress(_, let seconds)? = action { seconds } else { nil }
    }

    @Test func progressCountsFromTheRequestsFirstText() {
        var clock = StreamClock()
        #expect(clock.observe([.firstToken(turn: 1, seconds: 0.2)], now: start) == nil)
        #expect(seconds(clock.observe([.text(turn: 1, "a")], now: start)) == 0)
        #expect(seconds(clock.observe([.text(turn: 1, "b")], now: start + .milliseconds(1500))) == 1.5)
        // The request ends: no progress until the next one streams, which starts from 0.
        #expect(clock.observe([.usage(turn: 1, TokenUsage(inputTokens: 1, outputTokens: 2))],
                              now: start + .seconds(2)) == nil)
        #expect(seconds(clock.observe([.text(turn: 1, "c")], now: start + .seconds(5))) == 0)
        #expect(seconds(clock.observe([.reasoning(turn: 1, "d")], now: start + .seconds(6))) == 1)
    }

    @Test func emptyTextAndOtherTurnsDoNotMixUp() {
        var clock = StreamClock()
        #expect(clock.observe([.text(turn: 1, "")], now: start) == nil)
        _ = clock.observe([.text(turn: 1, "a")], now: start)
        let next = clock.observe([.cancelled(turn: 1), .text(turn: 2, "x")], now: start + .seconds(3))
        #expect(next == .streamProgress(turn: 2, seconds: 0))
    }

    /// Quiet for `stallAfter` or more while a request streams: stalled, in whole seconds since
    /// the last text; never between requests.
    @Test func aQuietStreamIsStalledAfterTwoSeconds() {
        var clock = StreamClock()
        #expect(!clock.isStreaming)
        _ = clock.observe([.text(turn: 3, "a")], now: start)
        _ = clock.observe([.text(turn: 3, "b")], now: start + .seconds(1))
        #expect(clock.isStreaming)
        #expect(clock.stalled(now: start + .milliseconds(2900)) == nil)
        #expect(clock.stalled(now: start + .milliseconds(3000)) == .streamStalled(turn: 3, seconds: 2))
        #expect(clock.stalled(now: start + .milliseconds(5700)) == .streamStalled(turn: 3, seconds: 4))
        // A tool call's arguments streaming is the reply arriving too.
        _ = clock.observe([.toolCallStreaming(turn: 3, streamedTokens: 40)], now: start + .seconds(5))
        #expect(clock.stalled(now: start + .milliseconds(6500)) == nil)
        _ = clock.observe([.usage(turn: 3, TokenUsage(inputTokens: 1, outputTokens: 2))], now: start + .seconds(7))
        #expect(!clock.isStreaming)
        #expect(clock.stalled(now: start + .seconds(60)) == nil)
    }
}
