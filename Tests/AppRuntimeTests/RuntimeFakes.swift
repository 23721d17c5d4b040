import AgentCore
import AgentEngine
import App
import AppRuntime
import Synchronization
import TerminalUI

/// An in-memory terminal: keys and resizes are pushed in by the test, frames land in a
/// `TestBackend`, and `restore()` is recorded.
@MainActor
final class FakeTerminal: RuntimeTerminal {
    private(set) var backend: TestBackend
    private var pendingKeys: [KeyEvent] = []
    private var resized = false
    private var wake: (@Sendable (InputWake) -> Void)?
    private(set) var restored = false
    private(set) var inputStopped = false
    var pendingSignal: Int32 = 0
    /// Called on every frame written (the frame-rate tests record the clock's time).
    var onDraw: (() -> Void)?

    init(columns: Int, rows: Int) {
        backend = TestBackend(columns: columns, rows: rows)
    }

    var size: TerminalSize { backend.size }
    var lines: [String] { backend.screen.textLines }
    var screenText: String { lines.joined(separator: "\n") }

    func startInput(onWake: @escaping @Sendable (InputWake) -> Void) {
        wake = onWake
        // Keys typed before the loop started wake it at once, as a real tty's buffer would.
        if !pendingKeys.isEmpty || resized || pendingSignal != 0 { onWake(.ready) }
    }
    func readKeys() -> (keys: [KeyEvent], resized: Bool) {
        defer { pendingKeys = []; resized = false }
        return (pendingKeys, resized)
    }
    func acknowledgeInput() {}
    func takePendingSignal() -> Int32 {
        defer { pendingSignal = 0 }
        return pendingSignal
    }
    func draw(_ runs: [CellRun], cursor: (x: Int, y: Int)?) {
        backend.draw(runs, cursor: cursor)
        onDraw?()
    }
    /// Whether `scroll` moves cells (as curses does) or refuses (a terminal that cannot).
    var movesRegions = true
    func scroll(_ scroll: RegionScroll) -> Bool { movesRegions && backend.scroll(scroll) }
    func restore() {
        restored = true
        inputStopped = true
    }

    /// Types `keys` as one read.
    func press(_ keys: [KeyEvent]) {
        pendingKeys += keys
        wake?(.ready)
    }

    func type(_ text: String) { press(text.map(KeyEvent.character)) }

    /// The window changed size (SIGWINCH woke the input thread).
    func resize(columns: Int, rows: Int) {
        backend.size = TerminalSize(columns: columns, rows: rows)
        resized = true
        wake?(.ready)
    }

    /// A signal asked the app to quit.
    func signal(_ number: Int32) {
        pendingSignal = number
        wake?(.ready)
    }
}

/// An engine that answers each submitted prompt with scripted events, and records what the
/// runtime asked of it.
final class ScriptedEngine: RuntimeEngine {
    struct Calls: Sendable {
        var submitted: [(turn: Int, prompt: String, model: String?)] = []
        var cancelled: [Int] = []
        var answers: [(String, ApprovalAnswer)] = []
        var stoppedForQuit = false
    }

    let channel = EventChannel<EngineEvent>(merge: EngineEvent.merge)
    let calls = Mutex(Calls())
    /// The events for each submitted turn, given its id.
    let script: @Sendable (Int) -> [EngineEvent]
    /// Events sent after an answer to `callID` (the tool's result and the turn's end).
    let afterAnswer: @Sendable (Int, String, ApprovalAnswer) -> [EngineEvent]

    init(script: @escaping @Sendable (Int) -> [EngineEvent],
         afterAnswer: @escaping @Sendable (Int, String, ApprovalAnswer) -> [EngineEvent] = { _, _, _ in [] }) {
        self.script = script
        self.afterAnswer = afterAnswer
    }

    func subscribeEvents() async -> any EngineEventSource { channel }
    func submit(turn: Int, prompt: String, model: String?) async {
        calls.withLock { $0.submitted.append((turn, prompt, model)) }
        for event in script(turn) { channel.send(event) }
    }
    func cancel(turn: Int) async {
        calls.withLock { $0.cancelled.append(turn) }
        channel.send(.cancelled(turn: turn))
    }
    func answer(callID: String, _ answer: ApprovalAnswer) async {
        calls.withLock { $0.answers.append((callID, answer)) }
        let turn = calls.withLock { $0.submitted.last?.turn ?? 0 }
        for event in afterAnswer(turn, callID, answer) { channel.send(event) }
    }
    func setApprovalMode(_ mode: ApprovalMode) async {}
    func stopForQuit() async { calls.withLock { $0.stoppedForQuit = true } }
}

extension EventChannel: EngineEventSource where Event == EngineEvent {}

/// Services that record the effects handed to them and answer model listings at once.
@MainActor
final class RecordingServices: RuntimeServices {
    var effects: [Effect] = []
    var startedCount = 0

    func started(_ runtime: AppRuntime) { startedCount += 1 }
    func perform(_ effect: Effect, _ runtime: AppRuntime) { effects.append(effect) }
    func beforeSubmit(provider: String, model: String) -> (@Sendable () async -> Void)? { nil }
    func actions(after batch: [EngineEvent]) -> [Action] { [] }
    func reduced(_ action: Action, _ runtime: AppRuntime) {}
}

/// Polls `condition` on the main actor until it holds or `seconds` pass (no fixed sleeps).
/// Generous, because the whole suite runs in one process on two cores and other tests can
/// hold the cooperative pool for seconds.
@MainActor
func eventually(_ seconds: Double = 60, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}
