import AgentCore

/// Where a turn is. A turn starts at `.requesting(step: 1)` and moves only through
/// `TurnMachine.next`, so every path it can take is written down in one place.
enum TurnPhase: Sendable, Hashable {
    /// Check the budget, send request `step`, stream and accumulate its reply.
    case requesting(step: Int)
    /// The model cannot take tools on the wire: describe them in the system prompt and
    /// send request `step` again.
    case switchingToPromptTools(step: Int)
    /// Prepare, approve and run the reply's tool calls, then send their results.
    case runningTools([ToolCall], step: Int)
    /// The turn is over; the engine publishes its one ending event.
    case ended(TurnEnding)
}

/// How a turn ended; each maps to exactly one ending event.
enum TurnEnding: Sendable, Hashable {
    case finished(FinishReason)
    case failed(ProviderError)
    /// The request was not sent (a budget is reached).
    case refused(String)
    case cancelled
    /// `maxSteps` requests were made and the model still asked for tools.
    case stepLimit
}

/// What happened in the current phase, as the engine saw it.
enum TurnInput: Sendable {
    /// The budget gate refused the next request.
    case refused(String)
    /// A request ended. `calls` are the tool calls to run (empty when none or when the reply
    /// did not finish); `toolsUnsupported` says the server refused native tools before any
    /// output, and the prompt form has not been tried yet.
    case replied(StepOutcome, calls: [ToolCall], toolsUnsupported: Bool)
    /// The prompt-form switch is made.
    case switchedToPromptTools
    /// The tool calls ran (or were cancelled part way).
    case toolsRan(cancelled: Bool)
}

/// The turn's transitions: request → stream → accumulate → tool calls → approvals → tool
/// results → next request, until the model stops, a request fails, a budget refuses, the
/// user cancels or `maxSteps` requests were made. Pure, so every transition is testable.
struct TurnMachine: Sendable {
    let maxSteps: Int

    /// The phase that follows `phase` after `input`. An input that does not belong to the
    /// phase leaves it unchanged.
    func next(_ phase: TurnPhase, _ input: TurnInput) -> TurnPhase {
        switch (phase, input) {
        case (.requesting, .refused(let message)):
            return .ended(.refused(message))
        case (.requesting(let step), .replied(let outcome, let calls, let toolsUnsupported)):
            return afterReply(step: step, outcome: outcome, calls: calls, toolsUnsupported: toolsUnsupported)
        case (.switchingToPromptTools(let step), .switchedToPromptTools):
            return .requesting(step: step)
        case (.runningTools(_, let step), .toolsRan(let cancelled)):
            if cancelled { return .ended(.cancelled) }
            return step < maxSteps ? .requesting(step: step + 1) : .ended(.stepLimit)
        default:
            return phase
        }
    }

    private func afterReply(step: Int, outcome: StepOutcome, calls: [ToolCall], toolsUnsupported: Bool) -> TurnPhase {
        switch outcome {
        case .cancelled:
            return .ended(.cancelled)
        case .failed(let error):
            return toolsUnsupported ? .switchingToPromptTools(step: step) : .ended(.failed(error))
        case .finished(let reason):
            return calls.isEmpty ? .ended(.finished(reason)) : .runningTools(calls, step: step)
        }
    }
}
