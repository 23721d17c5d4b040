import AgentCore
import App
import AppRuntime
import Synchronization
import Testing
import TerminalUI

/// A clock the test moves by hand: wake-ups run when it passes their deadline.
final class ManualClock: FrameClock {
    private struct State {
        var now = Duration.zero
        var sleepers: [(deadline: Duration, body: @Sendable () -> Void)] = []
    }
    private let state = Mutex(State())

    var now: Duration { state.withLock { $0.now } }

    func wake(after duration: Duration, _ body: @escaping @Sendable () -> Void) {
        let due = state.withLock { state -> Bool in
            guard duration > .zero else { return true }
            state.sleepers.append((state.now + duration, body))
            return false
        }
        if due { body() }
    }

    /// Moves the time on and runs every wake-up now due.
    func advance(by duration: Duration) {
        let due = state.withLock { state -> [@Sendable () -> Void] in
            state.now += duration
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.map(\.body)
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for body in due { body() }
    }

    /// Sleepers waiting for the clock to move.
    var sleeping: Int { state.withLock { $0.sleepers.count } }

    /// Wakes every sleeper (at the end of a test).
    func releaseAll() { advance(by: .seconds(3600)) }
}

/// Work proportional to change (issue 16): frames are counted with a manual clock and a
/// scripted engine, so the figures do not depend on the machine's speed.
@MainActor
@Suite(.timeLimit(.minutes(3))) struct FrameRateTests {
    struct Running {
        let runtime: AppRuntime
        let terminal: FakeTerminal
        let services: RecordingServices
        let engine: ScriptedEngine
        let clock: ManualClock
        let loop: Task<Int32, Never>
    }

    func start() async -> Running {
        var state = AppState(size: TerminalSize(columns: 80, rows: 24),
                             provider: ActiveProvider(name: "local", kind: "ollama", baseURL: "http://127.0.0.1:11434",
                                                      model: "qwen2.5-coder:7b", connection: .online(modelCount: 1)))
        _ = Reducer.reduce(&state, .providersListed([
            ProviderListing(name: "local", kind: "ollama", baseURL: "http://127.0.0.1:11434", defaultModel: nil),
        ]))
        let clock = ManualClock()
        let engine = ScriptedEngine { _ in [] } // the test sends the turn's events itself
        let runtime = AppRuntime(state: state, engine: engine, clock: clock)
        runtime.approvalArmDelay = .zero
        let services = RecordingServices()
        runtime.services = services
        let terminal = FakeTerminal(columns: 100, rows: 30)
        let loop = Task { await runtime.run(terminal: terminal) }
        let app = Running(runtime: runtime, terminal: terminal, services: services, engine: engine, clock: clock, loop: loop)
        #expect(await eventually { services.startedCount == 1 && terminal.screenText.contains("qwen2.5-coder") })
        await settle(app)
        return app
    }

    /// Lets the loop run what is queued: the clock moves a frame on and the loop gets turns.
    func settle(_ app: Running) async {
        for _ in 0..<3 {
            app.clock.advance(by: .milliseconds(20))
            for _ in 0..<20 { await Task.yield() }
        }
    }

    /// Sends a message and returns the turn the engine was asked to stream.
    func submit(_ app: Running) async -> Int {
        app.terminal.type("go")
        app.terminal.press([.enter])
        #expect(await eventually { app.engine.calls.withLock { !$0.submitted.isEmpty } && app.runtime.state.turn != nil })
        return app.engine.calls.withLock { $0.submitted.last?.turn ?? 0 }
    }

    func finish(_ app: Running) async {
        app.clock.releaseAll()
        app.runtime.send(.quitRequested)
        _ = await app.loop.value
        app.clock.releaseAll()
    }

    /// `eventually`, trying a few turns of the loop before polling on a timer.
    func soon(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<200 {
            if condition() { return true }
            await Task.yield()
        }
        return await eventually(60, condition)
    }

    func streamedText(_ app: Running) -> String { app.runtime.state.entries.last?.text ?? "" }

    @Test func noFrameIsDrawnWhileIdle() async {
        let app = await start()
        let rendered = app.runtime.framesRendered
        for _ in 0..<100 {
            app.clock.advance(by: .milliseconds(100)) // 10 s of idling
            for _ in 0..<5 { await Task.yield() }
        }
        #expect(app.runtime.framesRendered == rendered)
        await finish(app)
    }

    @Test func aTenSecondStreamAt200TokensPerSecondDrawsAtMost600Frames() async {
        let app = await start()
        let turn = await submit(app)
        await settle(app)
        let before = app.runtime.framesRendered
        var drawnAt: [Duration] = []
        let clock = app.clock
        app.terminal.onDraw = { drawnAt.append(clock.now) }
        var sent = 0
        for millisecond in 0..<10_000 {
            if millisecond % 5 == 0 {
                app.engine.channel.send(.text(turn: turn, "t\(sent) "))
                sent += 1
                let expected = sent
                // The loop has reduced the token before the clock moves on.
                #expect(await soon { streamedText(app).hasSuffix("t\(expected - 1) ") })
            }
            app.clock.advance(by: .milliseconds(1))
            await Task.yield()
        }
        await settle(app)
        let frames = app.runtime.framesRendered - before
        // Streamed text is painted at 30 frames/s (D183), well under the 60 allowed.
        #expect(frames <= 10 * 30 + 1, "\(frames) frames for 10 s of streaming")
        let gaps = zip(drawnAt.dropFirst(), drawnAt).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 >= .nanoseconds(33_333_333) }, "shortest gap \(gaps.min() ?? .zero)")
        #expect(frames >= 10, "the reply was painted as it streamed, not once at the end")
        #expect(app.terminal.screenText.contains("t\(sent - 1)"))
        await finish(app)
    }

    @Test func theEndOfAStreamIsPaintedAtOnce() async {
        let app = await start()
        let turn = await submit(app)
        await settle(app)
        app.clock.advance(by: .seconds(1))
        app.engine.channel.send(.text(turn: turn, "almost done"))
        #expect(await eventually { app.terminal.screenText.contains("almost done") })
        let before = app.runtime.framesRendered
        // The last words and the end arrive within the interval of that frame: the clock
        // does not move, yet they are painted (they used to wait up to 1/60 s, D150).
        app.engine.channel.send(.text(turn: turn, " and the end"))
        app.engine.channel.send(.finished(turn: turn, .stop, elapsedSeconds: 1))
        #expect(await eventually { app.terminal.screenText.contains("and the end") && app.terminal.screenText.contains("ready") })
        let painted = app.runtime.framesRendered
        #expect(painted <= before + 2)
        // The frame that was waiting for the interval finds nothing new: no extra frame.
        await settle(app)
        #expect(app.runtime.framesRendered == painted)
        await finish(app)
    }

    @Test func theFirstTokenOfABurstIsPaintedAtOnce() async {
        let app = await start()
        let turn = await submit(app)
        await settle(app)
        app.clock.advance(by: .seconds(1)) // idle for a while
        let before = app.runtime.framesRendered
        app.engine.channel.send(.text(turn: turn, "first words"))
        // The clock does not move: the frame is not waiting for an interval to pass.
        #expect(await eventually { app.terminal.screenText.contains("first words") })
        #expect(app.runtime.framesRendered == before + 1)
        await finish(app)
    }

    /// A key typed while a streaming frame waits its 1/30 s is painted after 1/60 s: the
    /// key's frame overtakes the streaming one (D183), and the late wake-up draws nothing.
    @Test func aKeyTypedWhileStreamingIsPaintedWithinASixtieth() async {
        let app = await start()
        let turn = await submit(app)
        await settle(app)
        app.clock.advance(by: .seconds(1))
        app.engine.channel.send(.text(turn: turn, "streaming"))
        #expect(await eventually { app.terminal.screenText.contains("streaming") })  // at once: the first paint
        app.engine.channel.send(.text(turn: turn, " more"))
        #expect(await soon { streamedText(app).hasSuffix(" more") })
        app.terminal.type("x")
        #expect(await soon { app.runtime.state.input.text == "x" })
        // Both wake-ups (the streaming frame's and the key's) are waiting on the clock before it moves.
        #expect(await soon { app.clock.sleeping >= 2 })
        let before = app.runtime.framesRendered
        app.clock.advance(by: .milliseconds(17))
        #expect(await eventually { app.runtime.framesRendered == before + 1 })
        #expect(app.terminal.screenText.contains("streaming more") && app.terminal.screenText.contains("› x"))
        app.clock.advance(by: .milliseconds(20))  // the streaming frame's wake-up comes and goes
        for _ in 0..<50 { await Task.yield() }
        #expect(app.runtime.framesRendered == before + 1)
        // The stream goes on at 30 frames/s: the late wake-up asked for no 60 frames/s frame,
        // whose own late wake-up would have asked again (D203).
        var drawnAt: [Duration] = []
        let clock = app.clock
        app.terminal.onDraw = { drawnAt.append(clock.now) }
        for index in 0..<200 {
            app.engine.channel.send(.text(turn: turn, " w\(index)"))
            #expect(await soon { streamedText(app).hasSuffix(" w\(index)") })
            app.clock.advance(by: .milliseconds(5))
            await Task.yield()
        }
        app.terminal.onDraw = nil
        let gaps = zip(drawnAt.dropFirst(), drawnAt).map { $0 - $1 }
        #expect(drawnAt.count >= 20 && drawnAt.count <= 31, "\(drawnAt.count) frames in one second of streaming")
        #expect(gaps.allSatisfy { $0 >= .nanoseconds(33_333_333) }, "shortest gap \(gaps.min() ?? .zero)")
        await finish(app)
    }
}

/// D194: while a reply streams, the chat's rows move up on the terminal instead of being
/// written again. Every frame the terminal shows must still be exactly the frame rendered.
extension FrameRateTests {
    /// Streams prose that wraps onto new rows, one word per 5 ms for 3 s; after every frame
    /// compares the terminal's cells with a fresh drawing of the state. Returns the cells the
    /// terminal was sent and how many frames differed.
    func streamProse(movingRegions: Bool) async -> (cellsWritten: Int, scrolls: Int, mismatches: Int) {
        let app = await start()
        app.terminal.movesRegions = movingRegions
        let turn = await submit(app)
        await settle(app)
        let written = app.terminal.backend.cellsWritten
        var mismatches = 0
        let runtime = app.runtime, terminal = app.terminal
        terminal.onDraw = {
            var fresh = FrameRenderer()
            if terminal.backend.screen != fresh.render(runtime.state).frame { mismatches += 1 }
        }
        let words = ["streaming", "a", "reply", "moves", "the", "chat", "up", "by", "one", "row", "whenever",
                     "its", "last", "line", "wraps;", "these", "words", "have", "different", "lengths"]
        for index in 0..<600 {
            app.engine.channel.send(.text(turn: turn, words[(index * 7) % words.count] + "\(index % 13) "))
            let expected = "\(index % 13) "
            #expect(await soon { streamedText(app).hasSuffix(expected) })
            app.clock.advance(by: .milliseconds(5))
            await Task.yield()
        }
        await settle(app)
        app.terminal.onDraw = nil
        let result = (app.terminal.backend.cellsWritten - written, app.terminal.backend.scrolls, mismatches)
        await finish(app)
        return result
    }

    @Test func aStreamingReplyMovesTheChatsRowsAndEveryFrameStaysExact() async {
        let moved = await streamProse(movingRegions: true)
        let rewritten = await streamProse(movingRegions: false)
        #expect(moved.mismatches == 0 && rewritten.mismatches == 0)
        #expect(moved.scrolls >= 20, "the reply wrapped onto new rows \(moved.scrolls) times")
        #expect(rewritten.scrolls == 0)
        // Rows moved on the terminal are not sent again: a fraction of the cells.
        #expect(moved.cellsWritten * 3 < rewritten.cellsWritten, "\(moved.cellsWritten) against \(rewritten.cellsWritten)")
    }

    /// A server that stops sending mid-reply: after two quiet seconds the meter says `stalled`
    /// instead of the last rate, counts on once a second, and the rate comes back with the text.
    /// Once the turn ends no check is left waiting.
    @Test func aStreamThatStopsSendingShowsAsStalled() async {
        let app = await start()
        let turn = await submit(app)
        await settle(app)
        for index in 0..<40 {
            app.engine.channel.send(.text(turn: turn, "word\(index) ", streamedTokens: index + 1))
            #expect(await soon { streamedText(app).hasSuffix("word\(index) ") })
            app.clock.advance(by: .milliseconds(25))
        }
        #expect(await soon { app.terminal.screenText.contains("tok/s") })
        #expect(!app.terminal.screenText.contains("stalled"))
        app.clock.advance(by: .milliseconds(1500))
        await settle(app)
        #expect(!app.terminal.screenText.contains("stalled"), "quiet for under two seconds")
        app.clock.advance(by: .seconds(1))
        #expect(await soon { app.terminal.screenText.contains("stalled 2s") }, "\(app.terminal.screenText)")
        #expect(!app.terminal.screenText.contains("tok/s"))
        app.clock.advance(by: .seconds(1))
        #expect(await soon { app.terminal.screenText.contains("stalled 3s") })
        app.engine.channel.send(.text(turn: turn, "again ", streamedTokens: 41))
        #expect(await soon { streamedText(app).hasSuffix("again ") })
        app.clock.advance(by: .milliseconds(40)) // the streaming frame's 1/30 s
        #expect(await soon { app.terminal.screenText.contains("tok/s") && !app.terminal.screenText.contains("stalled") })
        app.engine.channel.send(.finished(turn: turn, .stop, elapsedSeconds: 5))
        #expect(await soon { app.terminal.screenText.contains("ready") })
        app.clock.advance(by: .seconds(1))
        await settle(app)
        #expect(app.clock.sleeping == 0, "a stream check still armed after the turn")
        await finish(app)
    }
}
