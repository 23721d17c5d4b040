import AgentCore
import FoundationEssentials
import Pricing
import Testing
import TerminalUI
@testable import App

/// The meter through the reducer, as the engine reports a turn: context in use, speed, the
/// live estimate and its reconciliation, estimated costs and the budget colours.
@Suite(.timeLimit(.minutes(2))) struct MeterTests {
    let theme = ExpectedCells.theme
    static let window = 32768

    /// A local provider with a listed model of a 32k context, priced when `pricing` is given.
    func state(pricing: ModelPricing? = nil) -> AppState {
        var state = AppState(size: TerminalSize(columns: 120, rows: 30), provider: ReducerTests.provider)
        _ = Reducer.reduce(&state, .modelsListed([ModelInfo(id: "qwen", contextWindow: Self.window, pricing: pricing)]))
        return state
    }

    func send(_ prompt: String, _ state: inout AppState) {
        for character in prompt { _ = Reducer.reduce(&state, .key(.character(character))) }
        _ = Reducer.reduce(&state, .key(.enter))
    }

    func apply(_ updates: [EngineEvent], _ state: inout AppState) {
        for update in Self.asTheEngineSends(updates) { _ = Reducer.reduce(&state, .turn(update)) }
    }

    /// `events` as the engine publishes them: text and reasoning without a figure get the
    /// request's running estimate (D180), which starts again after each usage or request.
    static func asTheEngineSends(_ events: [EngineEvent]) -> [EngineEvent] {
        var tally = UsageEstimator.Tally()
        return events.map { event in
            switch event {
            case .text(let turn, let text, 0):
                tally.add(text)
                return .text(turn: turn, text, streamedTokens: tally.tokens)
            case .reasoning(let turn, let text, 0):
                tally.add(text)
                return .reasoning(turn: turn, text, streamedTokens: tally.tokens)
            case .usage, .request:
                tally = UsageEstimator.Tally()
                return event
            default:
                return event
            }
        }
    }

    static func record(_ input: Int, _ output: Int, seconds: Double? = nil, cost: Decimal? = nil,
                       estimate: Bool = false) -> EngineEvent {
        .request(turn: 1, UsageRecord(provider: "local", model: "qwen",
                                      usage: TokenUsage(inputTokens: input, outputTokens: output, isEstimate: estimate),
                                      cost: cost, costSource: cost == nil ? nil : "config", streamingSeconds: seconds))
    }

    /// The meter row drawn alone, 120 columns wide.
    func meter(_ state: AppState) -> String {
        drawn(width: 120, height: 1) {
            MeterView.draw(state, in: Rect(x: 0, y: 0, width: 120, height: 1), buffer: &$0, theme: theme, showsModel: false)
        }.textLines[0]
    }

    /// Two requests in one turn (a tool round trip): the second resends the first's context.
    func toolTurn(_ state: inout AppState) {
        send("read it", &state)
        apply([
            .text(turn: 1, "Reading."),
            .usage(turn: 1, TokenUsage(inputTokens: 20_000, outputTokens: 40)),
            Self.record(20_000, 40, seconds: 0.5),
            .toolCall(turn: 1, call: ToolCall(id: "c", name: "read_file", arguments: "{}"), preview: nil),
            .toolResult(turn: 1, callID: "c", output: ToolOutput(content: String(repeating: "line of code\n", count: 40),
                                                                     summary: "40 lines")),
        ], &state)
    }

    /// The second request of `toolTurn` ends the turn: 30 s in all, 1.5 s of it streaming.
    func finishToolTurn(_ state: inout AppState) {
        apply([
            .text(turn: 1, "Done."),
            .usage(turn: 1, TokenUsage(inputTokens: 40_200, outputTokens: 100)),
            Self.record(20_200, 60, seconds: 1.5),
            .finished(turn: 1, .stop, elapsedSeconds: 30),
        ], &state)
    }

    @Test func theContextBarShowsTheLastRequestNotTheTurnsSum() {
        var state = state()
        toolTurn(&state)
        finishToolTurn(&state)
        let line = meter(state)
        #expect(line.contains("turn in 40.2k out 100"), "\(line)")
        // 20,260 of 32,768: five of eight cells, never the turn's 40.3k (more than the window).
        #expect(line.contains("▓▓▓▓▓░░░ 20.3k/32k"), "\(line)")
    }

    @Test func whileTheNextRequestStreamsTheBarEstimatesFromThePreviousContext() {
        var state = state()
        toolTurn(&state)
        let streamed = String(repeating: "word ", count: 8)
        apply([.text(turn: 1, streamed)], &state)
        let toolTokens = UsageEstimator.tokens(in: String(repeating: "line of code\n", count: 40))
        let expected = 20_040 + toolTokens + UsageEstimator.tokens(in: streamed)
        #expect(MeterFigures.contextUsed(state)! == (expected, true))
        #expect(meter(state).contains("~\(MeterView.compact(expected))/32k"), "\(meter(state))")
        #expect(meter(state).contains("turn in ~\(MeterView.compact(20_000 + 20_040 + toolTokens)) out ~"))
    }

    @Test func aReplyThatArrivedInOneBurstShowsNoRate() {
        var state = state()
        send("hi", &state)
        apply([.text(turn: 1, "many words"), Self.record(10, 2_000, seconds: 0.05),
               .finished(turn: 1, .stop, elapsedSeconds: 0.3)], &state)
        #expect(state.meter.tokensPerSecond == nil)
        #expect(!meter(state).contains("tok/s"), "\(meter(state))")
    }

    @Test func tokensPerSecondCountOnlyGenerationTime() {
        var state = state()
        toolTurn(&state)
        // The tool and an approval took most of the turn's 30 seconds.
        finishToolTurn(&state)
        #expect(state.meter.tokensPerSecond == 50)
        #expect(meter(state).contains("· 50.0 tok/s"))
    }

    @Test func theLiveEstimateIsTheEnginesSoTheFigureDoesNotJump() {
        var state = state()
        send("hi", &state)
        let text = "你好世界, hello world! こんにちは"
        apply([.text(turn: 1, text)], &state)
        let estimate = UsageEstimator.tokens(in: text)
        #expect(estimate != (text.count + 3) / 4, "the old characters/4 figure would differ")
        #expect(meter(state).hasPrefix(" turn out ~\(estimate) · session out ~\(estimate)"), "\(meter(state))")
        // A server without usage: the engine records the same running estimate.
        let final = TokenUsage(inputTokens: 12, outputTokens: UsageEstimator.tokens(in: text), isEstimate: true)
        apply([.usage(turn: 1, final), .request(turn: 1, UsageRecord(provider: "local", model: "qwen", usage: final))],
              &state)
        #expect(meter(state).hasPrefix(" turn in ~12 out ~\(estimate) n/a"), "\(meter(state))")
    }

    @Test func anEstimatedCostKeepsItsTildeAndAnUnknownPriceStaysNotAvailable() {
        var state = state()
        send("hi", &state)
        let usage = TokenUsage(inputTokens: 1000, outputTokens: 50, isEstimate: true)
        apply([.usage(turn: 1, usage), Self.record(1000, 50, cost: Decimal(string: "0.0012"), estimate: true)], &state)
        #expect(meter(state).hasPrefix(" turn in ~1k out ~50 ~$0.0012 · session in ~1k out ~50 ~$0.0012"), "\(meter(state))")
        var unknown = self.state()
        send("hi", &unknown)
        apply([.usage(turn: 1, usage), Self.record(1000, 50, estimate: true)], &unknown)
        #expect(meter(unknown).hasPrefix(" turn in ~1k out ~50 n/a · session"), "\(meter(unknown))")
        #expect(!meter(unknown).contains("$0.00"))
    }

    @Test func aPricedModelShowsAnEstimatedCostWhileStreamingThenTheExactOne() {
        // $1,000 per million input tokens and $2,000 per million output: a tenth and a fifth of a cent.
        var state = state(pricing: ModelPricing(inputPerMillion: 1000, outputPerMillion: 2000))
        send("hi", &state)
        apply([.text(turn: 1, "one two three four")], &state)
        let estimate = UsageEstimator.tokens(in: "one two three four")
        let estimatedCost = MoneyFormat.usd(Decimal(estimate) * 2000 / 1_000_000, estimate: true)
        #expect(meter(state).hasPrefix(" turn out ~\(estimate) \(estimatedCost) · session"), "\(meter(state))")
        let usage = TokenUsage(inputTokens: 10, outputTokens: 4)
        apply([.usage(turn: 1, usage), Self.record(10, 4, cost: Decimal(string: "0.018"))], &state)
        #expect(meter(state).hasPrefix(" turn in 10 out 4 $0.018 · session in 10 out 4 $0.018"), "\(meter(state))")
    }

    @Test func theMeterColourFollowsTheBudget() {
        var state = state()
        let levels: [(BudgetLevel, ThemeRole)] = [
            (.ok, .meter), (.within, .meterOk), (.warning("Session budget 85% used."), .meterWarn),
            (.exceeded("session budget $1.00 reached"), .meterOver), (.overridden("session budget $1.00 reached"), .meterOver),
        ]
        for (level, role) in levels {
            _ = Reducer.reduce(&state, .budget(level))
            let buffer = drawn(width: 120, height: 1) {
                MeterView.draw(state, in: Rect(x: 0, y: 0, width: 120, height: 1), buffer: &$0, theme: theme,
                               showsModel: false)
            }
            // The usage on the left takes the budget's colour; the state on the right stays the meter's.
            #expect(buffer[1, 0].style == theme.style(role), "\(level)")
            #expect(buffer[118, 0].style == theme.meter, "\(level)")
        }
        #expect(meter(state).hasSuffix("budget override · ready · ask"), "\(meter(state))")
    }
}
