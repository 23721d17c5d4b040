import AgentCore
import App
import TerminalUI

/// Why the input side woke the loop.
public enum InputWake: Sendable {
    /// Keys (or a resize, or a signal) are ready to be read.
    case ready
    /// The terminal went away (stdin hung up).
    case hangUp
}

/// The screen and keyboard as the runtime uses them: the ncurses terminal in the app, an
/// in-memory one in tests. Called only from the runtime's loop.
@MainActor
public protocol RuntimeTerminal: AnyObject {
    /// The size in cells.
    var size: TerminalSize { get }
    /// Starts waiting for input; `onWake` is called (from any thread) once per wake-up, and
    /// the next wake-up waits for `acknowledgeInput()`.
    func startInput(onWake: @escaping @Sendable (InputWake) -> Void)
    /// Keys typed since the last call, and whether the size changed.
    func readKeys() -> (keys: [KeyEvent], resized: Bool)
    /// The input was read: the waiter may wait for the next wake-up.
    func acknowledgeInput()
    /// A signal (SIGINT, SIGTERM, SIGHUP) that asked the app to quit since the last call, or 0.
    func takePendingSignal() -> Int32
    /// Writes runs of changed cells and places the cursor.
    func draw(_ runs: [CellRun], cursor: (x: Int, y: Int)?)
    /// Moves the cells of a region up before the next `draw` (`TerminalBackend.scroll`);
    /// false when it moved nothing (D194).
    func scroll(_ scroll: RegionScroll) -> Bool
    /// Stops the input and gives the terminal back to the user as it was.
    func restore()
}

/// Hands over the engine's events in batches (coalescable ones merged while they waited).
public protocol EngineEventSource: Sendable {
    /// Calls `onReady` (from any thread) when events become pending, once until `drain()`.
    func deliver(to onReady: @escaping @Sendable () -> Void)
    /// Everything pending, without waiting.
    func drain() -> [EngineEvent]
}

/// The agent engine as the runtime drives it: the real `AgentEngine` in the app, a scripted
/// one in tests.
public protocol RuntimeEngine: Sendable {
    /// A subscription to every event from now on.
    func subscribeEvents() async -> any EngineEventSource
    /// Sends `prompt` as a new user message and streams the reply under `turn`.
    func submit(turn: Int, prompt: String, model: String?) async
    func cancel(turn: Int) async
    func answer(callID: String, _ answer: ApprovalAnswer) async
    func setApprovalMode(_ mode: ApprovalMode) async
    /// At quit, with the terminal already restored: stops a running turn and waits a bounded
    /// time for it to save what it streamed and end its commands.
    func stopForQuit() async
}

/// Everything else an effect reaches (providers, sessions, files, history, prices, themes).
/// The executable implements it with the real parts; its results come back only as
/// actions (`AppRuntime.send` or `dispatch`), never by writing the state.
@MainActor
public protocol RuntimeServices: AnyObject {
    /// The first frame is on screen: start the work that must not delay it.
    func started(_ runtime: AppRuntime)
    /// Runs an effect the runtime does not run itself (all but the engine's: submit,
    /// cancel, answer, approval mode, quit). Must not block: slow work goes to a task.
    func perform(_ effect: Effect, _ runtime: AppRuntime)
    /// Work to queue on the engine queue before a message is sent (opening the session).
    func beforeSubmit(provider: String, model: String) -> (@Sendable () async -> Void)?
    /// Actions that follow a batch of engine events (the budget's state after a request).
    func actions(after batch: [EngineEvent]) -> [Action]
    /// An action from the loop (a key, an engine event, a background result) was reduced.
    func reduced(_ action: Action, _ runtime: AppRuntime)
}
