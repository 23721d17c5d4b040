import AgentCore
import Testing
@testable import AgentEngine

/// Every transition of the turn's state machine, without an engine.
@Suite(.timeLimit(.minutes(2))) struct TurnMachineTests {
    let machine = TurnMachine(maxSteps: 3)
    let call = ToolCall(id: "c", name: "read", arguments: "{}")
    let error = ProviderError(kind: .serverError, provider: "p", url: "http://x", detail: "boom")

    @Test func aReplyWithoutToolCallsEndsTheTurnWithItsReason() {
        let next = machine.next(.requesting(step: 1), .replied(.finished(.stop), calls: [], toolsUnsupported: false))
        #expect(next == .ended(.finished(.stop)))
    }

    @Test func toolCallsRunThenTheNextRequestFollows() {
        let tools = machine.next(.requesting(step: 1), .replied(.finished(.toolCalls), calls: [call], toolsUnsupported: false))
        #expect(tools == .runningTools([call], step: 1))
        #expect(machine.next(tools, .toolsRan(cancelled: false)) == .requesting(step: 2))
    }

    @Test func theStepLimitEndsTheTurnAfterTheLastRequestsTools() {
        #expect(machine.next(.runningTools([call], step: 2), .toolsRan(cancelled: false)) == .requesting(step: 3))
        #expect(machine.next(.runningTools([call], step: 3), .toolsRan(cancelled: false)) == .ended(.stepLimit))
    }

    @Test func cancellingDuringAStreamOrDuringToolsEndsTheTurnCancelled() {
        #expect(machine.next(.requesting(step: 1), .replied(.cancelled, calls: [], toolsUnsupported: false))
            == .ended(.cancelled))
        #expect(machine.next(.runningTools([call], step: 1), .toolsRan(cancelled: true)) == .ended(.cancelled))
    }

    @Test func aFailedRequestEndsTheTurnUnlessToolsCanMoveToThePrompt() {
        #expect(machine.next(.requesting(step: 2), .replied(.failed(error), calls: [], toolsUnsupported: false))
            == .ended(.failed(error)))
        let switching = machine.next(.requesting(step: 2), .replied(.failed(error), calls: [], toolsUnsupported: true))
        #expect(switching == .switchingToPromptTools(step: 2))
        // The same step is sent again: the refused request does not count.
        #expect(machine.next(switching, .switchedToPromptTools) == .requesting(step: 2))
    }

    @Test func aBudgetRefusalEndsTheTurnBeforeTheRequest() {
        #expect(machine.next(.requesting(step: 1), .refused("budget")) == .ended(.refused("budget")))
    }

    @Test func anInputThatDoesNotBelongToThePhaseChangesNothing() {
        #expect(machine.next(.requesting(step: 1), .toolsRan(cancelled: false)) == .requesting(step: 1))
        #expect(machine.next(.ended(.cancelled), .refused("x")) == .ended(.cancelled))
    }
}
