import AgentCore
import App
import AppRuntime
import Testing
import TerminalUI

/// The UI loop as a person drives it, with an in-memory terminal and a scripted engine:
/// keys in, frames out, effects run, the terminal restored at the end.
@MainActor
@Suite(.timeLimit(.minutes(3))) struct AppRuntimeTests {
    static let models = [ModelInfo(id: "qwen2.5-coder:7b", contextWindow: 32768, supportsTools: true),
                         ModelInfo(id: "llama3.2:3b", contextWindow: 131072, supportsTools: true)]

    /// A running app: the runtime, its terminal, the recorded services and the loop's task.
    struct Running {
        let runtime: AppRuntime
        let terminal: FakeTerminal
        let services: RecordingServices
        let loop: Task<Int32, Never>
    }

    func start(_ engine: ScriptedEngine, columns: Int = 100, rows: Int = 30) -> Running {
        var state = AppState(size: TerminalSize(columns: 80, rows: 24),
                             provider: ActiveProvider(name: "local", kind: "ollama", baseURL: "http://127.0.0.1:11434",
                                                      model: "qwen2.5-coder:7b", connection: .online(modelCount: 2)))
        _ = Reducer.reduce(&state, .providersListed([
            ProviderListing(name: "local", kind: "ollama", baseURL: "http://127.0.0.1:11434", defaultModel: nil),
        ]))
        _ = Reducer.reduce(&state, .providerModels(name: "local", .loaded(Self.models)))
        let runtime = AppRuntime(state: state, engine: engine)
        runtime.approvalArmDelay = .zero
        let services = RecordingServices()
        runtime.services = services
        let terminal = FakeTerminal(columns: columns, rows: rows)
        let loop = Task { await runtime.run(terminal: terminal) }
        return Running(runtime: runtime, terminal: terminal, services: services, loop: loop)
    }

    /// Ends the app with Ctrl-D on an empty input and returns its exit status.
    func quit(_ app: Running) async -> Int32 {
        app.terminal.press([.control("d")])
        return await app.loop.value
    }

    @Test func aStreamedReplyReachesTheScreen() async {
        let engine = ScriptedEngine { turn in
            [.text(turn: turn, "Hello"), .text(turn: turn, " from the scripted engine."),
             .usage(turn: turn, TokenUsage(inputTokens: 12, outputTokens: 6)),
             .finished(turn: turn, .stop, elapsedSeconds: 0.5)]
        }
        let app = start(engine)
        #expect(await eventually { app.services.startedCount == 1 && app.terminal.screenText.contains("qwen2.5-coder") })
        app.terminal.type("hi there")
        app.terminal.press([.enter])
        #expect(await eventually { app.terminal.screenText.contains("Hello from the scripted engine.") })
        #expect(await eventually { app.runtime.state.turn == nil })
        #expect(engine.calls.withLock { $0.submitted.map(\.prompt) } == ["hi there"])
        #expect(engine.calls.withLock { $0.submitted.map(\.model) } == ["qwen2.5-coder:7b"])
        #expect(app.services.effects.contains(.recordHistory("hi there")))
        #expect(await quit(app) == 0)
    }

    @Test func anApprovalIsShownAnsweredAndClosed() async {
        let preview = ToolPreview(toolName: "run_command", keyArgument: "make test", detail: "$ make test")
        let call = ToolCall(id: "call-1", name: "run_command", arguments: #"{"command":"make test"}"#)
        let engine = ScriptedEngine(script: { turn in
            [.toolCall(turn: turn, call: call, preview: preview),
             .approvalNeeded(turn: turn, callID: "call-1", preview: preview)]
        }, afterAnswer: { turn, callID, _ in
            [.toolResult(turn: turn, callID: callID, output: ToolOutput(content: "all 12 tests passed", summary: "passed")),
             .text(turn: turn, "The tests pass."), .finished(turn: turn, .stop, elapsedSeconds: 1)]
        })
        let app = start(engine)
        app.terminal.type("run the tests")
        app.terminal.press([.enter])
        #expect(await eventually { app.terminal.screenText.contains("Allow run_command?") })
        #expect(await eventually { app.runtime.state.approval?.armed == true })
        app.terminal.type("y")
        #expect(await eventually { app.terminal.screenText.contains("The tests pass.") })
        #expect(!app.terminal.screenText.contains("Allow run_command?"))
        let answers = engine.calls.withLock { $0.answers }
        #expect(answers.map { $0.0 } == ["call-1"])
        #expect(answers.map { $0.1 } == [ApprovalAnswer.yes])
        #expect(await quit(app) == 0)
    }

    @Test func aResizeRedrawsAtTheNewSize() async {
        let engine = ScriptedEngine { turn in [.text(turn: turn, "short answer"), .finished(turn: turn, .stop, elapsedSeconds: 0.1)] }
        let app = start(engine, columns: 120, rows: 30)
        app.terminal.type("q")
        app.terminal.press([.enter])
        #expect(await eventually { app.terminal.screenText.contains("short answer") })
        app.terminal.resize(columns: 60, rows: 16)
        #expect(await eventually { app.runtime.state.size == TerminalSize(columns: 60, rows: 16) })
        #expect(await eventually { app.terminal.lines.count == 16 && app.terminal.screenText.contains("short answer") })
        // At 60 columns the sidebar folds away, so no line is wider than the new screen.
        #expect(app.terminal.lines.allSatisfy { DisplayWidth.of($0) <= 60 })
        #expect(await quit(app) == 0)
    }

    @Test func thePickerSwitchesTheModel() async {
        let engine = ScriptedEngine { _ in [] }
        let app = start(engine)
        app.terminal.press([.control("p")])
        #expect(await eventually { app.terminal.screenText.contains("Filter:") })
        app.terminal.type("llama")
        #expect(await eventually { app.terminal.screenText.contains("llama3.2:3b") })
        app.terminal.press([.enter])
        #expect(await eventually { app.services.effects.contains(.switchModel(provider: "local", model: "llama3.2:3b")) })
        #expect(app.runtime.state.provider?.model == "llama3.2:3b")
        #expect(app.runtime.state.activeModel?.contextWindow == 131072)
        #expect(await eventually { !app.terminal.screenText.contains("Filter:") })
        #expect(await quit(app) == 0)
    }

    @Test func quitRestoresTheTerminalAndStopsTheEngine() async {
        let engine = ScriptedEngine { _ in [] }
        let app = start(engine)
        #expect(await eventually { app.services.startedCount == 1 })
        #expect(await quit(app) == 0)
        #expect(app.terminal.restored)
        #expect(engine.calls.withLock { $0.stoppedForQuit })
    }

    @Test func aSignalQuitsWithItsStatusAndCancelsTheTurn() async {
        let engine = ScriptedEngine { turn in [.text(turn: turn, "still going")] }
        let app = start(engine)
        app.terminal.type("long job")
        app.terminal.press([.enter])
        #expect(await eventually { app.terminal.screenText.contains("still going") })
        app.terminal.signal(15)
        #expect(await app.loop.value == 128 + 15)
        #expect(app.terminal.restored)
        #expect(engine.calls.withLock { $0.stoppedForQuit })
    }

    @Test func everyEffectReachesTheEngineOrTheServices() async {
        let engine = ScriptedEngine { _ in [] }
        let app = start(engine)
        app.terminal.type("/usage")
        app.terminal.press([.enter])
        app.terminal.type("/sessions")
        app.terminal.press([.enter])
        #expect(await eventually { app.services.effects.contains(.loadUsage) && app.services.effects.contains(.listSessions) })
        #expect(await quit(app) == 0)
    }
}
