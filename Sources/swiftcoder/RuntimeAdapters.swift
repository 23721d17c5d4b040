import AgentCore
import AgentEngine
import AppRuntime
import CShims
import NcursesBackend
import TerminalUI

/// The real terminal for `AppRuntime`: ncurses for the screen and keys, `InputWaiter` (a
/// pthread in `poll`) for wake-ups, the C terminal guard for signals and restore.
@MainActor
final class NcursesRuntimeTerminal: RuntimeTerminal {
    let terminal: NcursesTerminal
    let waiter = InputWaiter()

    init(_ terminal: NcursesTerminal) { self.terminal = terminal }

    var size: TerminalSize { terminal.size }
    func startInput(onWake: @escaping @Sendable (InputWake) -> Void) {
        waiter.start { wake in
            switch wake {
            case .ready: onWake(.ready)
            case .hangUp: onWake(.hangUp)
            }
        }
    }
    func readKeys() -> (keys: [KeyEvent], resized: Bool) { terminal.readKeys() }
    func acknowledgeInput() { waiter.acknowledge() }
    func takePendingSignal() -> Int32 { sc_take_pending_signal() }
    func draw(_ runs: [CellRun], cursor: (x: Int, y: Int)?) { terminal.draw(runs, cursor: cursor) }
    func scroll(_ scroll: RegionScroll) -> Bool { terminal.scroll(scroll) }
    func restore() {
        waiter.stop()
        terminal.shutdown()
        sc_disarm_terminal_guard()
        sc_restore_stderr()
    }
}

extension EventChannel: EngineEventSource where Event == EngineEvent {}

extension AgentEngine: RuntimeEngine {
    public func subscribeEvents() async -> any EngineEventSource { subscribe() }

    /// Cancels a running turn and waits at most 3 s for it to end its commands and save.
    public func stopForQuit() async {
        cancelRunning()
        await TUIRuntime.wait(atMost: .seconds(3)) { [self] in await waitForIdle() }
    }
}
