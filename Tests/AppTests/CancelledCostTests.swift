import AgentCore
import FoundationEssentials
import Testing
@testable import App

/// A request the user cancelled was still billed when it had started: its usage record,
/// arriving after the cancel, still counts, once.
@Suite(.timeLimit(.minutes(2))) struct CancelledCostTests {
    let meterTests = MeterTests()

    @Test func aRequestEndingAfterTheCancelStillCountsItsCostAndTokens() {
        var state = meterTests.state()
        meterTests.send("write a lot", &state)
        meterTests.apply([.text(turn: 1, "Partial")], &state)
        _ = Reducer.reduce(&state, .key(.escape))
        meterTests.apply([MeterTests.record(1_000, 50, cost: Decimal(string: "0.0123"))], &state)
        #expect(state.meter.sessionCost.amount == Decimal(string: "0.0123"))
        #expect(state.meter.turnCost.amount == Decimal(string: "0.0123"))
        #expect(state.meter.session.inputTokens == 1_000 && state.meter.session.outputTokens == 50)
        // A second record of the turn cannot add its tokens again.
        meterTests.apply([.cancelled(turn: 1)], &state)
        #expect(state.meter.session.inputTokens == 1_000)
    }

    @Test func tokensAlreadyShownFromTheUsageChunkAreNotCountedTwice() {
        var state = meterTests.state()
        meterTests.send("write a lot", &state)
        meterTests.apply([.text(turn: 1, "Partial"), .usage(turn: 1, TokenUsage(inputTokens: 1_000, outputTokens: 50))],
                         &state)
        _ = Reducer.reduce(&state, .key(.escape))
        #expect(state.meter.session.inputTokens == 1_000)
        meterTests.apply([MeterTests.record(1_000, 50, cost: Decimal(string: "0.0123"))], &state)
        #expect(state.meter.session.inputTokens == 1_000 && state.meter.session.outputTokens == 50)
        #expect(state.meter.sessionCost.amount == Decimal(string: "0.0123"))
    }

    @Test func aRequestWhoseReportedInputIsZeroIsNotCountedTwice() {
        // Ollama reports no prompt tokens for a fully cached prompt.
        var state = meterTests.state()
        meterTests.send("again", &state)
        meterTests.apply([.text(turn: 1, "Partial"), .usage(turn: 1, TokenUsage(inputTokens: 0, outputTokens: 300))],
                         &state)
        _ = Reducer.reduce(&state, .key(.escape))
        meterTests.apply([MeterTests.record(0, 300, cost: Decimal(string: "0.003"))], &state)
        #expect(state.meter.session.outputTokens == 300)
        #expect(state.meter.sessionCost.amount == Decimal(string: "0.003"))
    }

    @Test func aLateRecordDuringTheNextTurnCountsForTheSessionOnly() {
        var state = meterTests.state()
        meterTests.send("first", &state)
        _ = Reducer.reduce(&state, .key(.escape))
        meterTests.send("second", &state)
        // `record` is of turn 1: it arrives while turn 2 runs.
        meterTests.apply([MeterTests.record(800, 10, cost: Decimal(string: "0.002"))], &state)
        #expect(state.meter.sessionCost.amount == Decimal(string: "0.002"))
        #expect(state.meter.turnCost.amount == 0)
        #expect(state.meter.session.inputTokens == 800)
    }
}
