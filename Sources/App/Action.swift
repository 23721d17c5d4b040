import AgentCore
import TerminalUI

/// What the engine reports about a turn, as the app consumes it. Every case carries the
/// turn id so events of a cancelled or finished turn are dropped.
public enum TurnUpdate: Sendable, Hashable {
    case text(turn: Int, String)
    case reasoning(turn: Int, String)
    case usage(turn: Int, TokenUsage)
    /// Shown in the meter while the turn runs (e.g. a retry after a rate limit).
    case notice(turn: Int, String)
    /// The model asked for a tool (`preview` is nil when the call could not be prepared).
    case toolCall(turn: Int, ToolCall, preview: ToolPreview?)
    /// A call waits for the user's yes / no / always.
    case approvalNeeded(turn: Int, callID: String, preview: ToolPreview)
    case toolResult(turn: Int, callID: String, output: ToolOutput)
    /// One request of the turn ended, with its usage and cost.
    case request(turn: Int, UsageRecord)
    case finished(turn: Int, FinishReason, elapsedSeconds: Double?)
    case failed(turn: Int, message: String)
    case cancelled(turn: Int)
}

/// Everything that can change the app's state.
public enum Action: Sendable, Hashable {
    case key(KeyEvent)
    case resize(TerminalSize)
    case turn(TurnUpdate)
    case connection(ConnectionStatus)
    /// The active provider listed its models (the first becomes the model when none is set).
    case modelsListed([ModelInfo])
    /// A provider became active (for example a local server found on its default port).
    case providerChanged(ActiveProvider, notice: String?)
    /// A signal asked the app to quit (SIGINT/SIGTERM/SIGHUP from outside).
    case quitRequested
}

/// Work the reducer asks the outside world to do; results come back as actions.
public enum Effect: Sendable, Hashable {
    /// Send `prompt` as a new user message and stream the reply under `turn`.
    case submit(turn: Int, prompt: String, model: String)
    case cancel(turn: Int)
    /// The user's answer to a tool approval.
    case answer(callID: String, ApprovalAnswer)
    case quit
}
