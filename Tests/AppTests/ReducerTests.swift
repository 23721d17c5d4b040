import AgentCore
import Testing
import TerminalUI
@testable import App

/// Key-sequence scenarios through the reducer, as a person types them.
@Suite(.timeLimit(.minutes(2))) struct ReducerTests {
    static let provider = ActiveProvider(name: "local", kind: "openai-compatible",
                                         baseURL: "http://127.0.0.1:8080/v1", model: "qwen")

    func makeState() -> AppState {
        AppState(size: TerminalSize(columns: 120, rows: 40), provider: Self.provider)
    }

    @discardableResult
    func type(_ text: String, into state: inout AppState) -> [Effect] {
        text.flatMap { Reducer.reduce(&state, .key(.character($0))) }
    }

    @Test func typingAndEnterSubmitsATurn() {
        var state = makeState()
        type("hello", into: &state)
        #expect(state.input.text == "hello")
        let effects = Reducer.reduce(&state, .key(.enter))
        #expect(effects == [.recordHistory("hello"), .submit(turn: 1, prompt: "hello", model: "qwen")])
        #expect(state.input.text.isEmpty)
        #expect(state.entries.map(\.kind) == [.user, .assistant])
        #expect(state.entries[1].status == .streaming)
        #expect(state.turn?.id == 1)
    }

    @Test func streamedTextAccumulatesAndFinishes() {
        var state = makeState()
        type("hi", into: &state)
        _ = Reducer.reduce(&state, .key(.enter))
        _ = Reducer.reduce(&state, .turn(.text(turn: 1, "Hel")))
        _ = Reducer.reduce(&state, .turn(.text(turn: 1, "lo")))
        let usage = TokenUsage(inputTokens: 10, outputTokens: 4)
        _ = Reducer.reduce(&state, .turn(.usage(turn: 1, usage)))
        _ = Reducer.reduce(&state, .turn(.request(turn: 1, UsageRecord(provider: "local", model: "qwen", usage: usage,
                                                                      streamingSeconds: 2))))
        _ = Reducer.reduce(&state, .turn(.finished(turn: 1, .stop, elapsedSeconds: 3)))
        #expect(state.entries[1].text == "Hello")
        #expect(state.entries[1].status == .complete)
        #expect(state.turn == nil)
        #expect(state.meter.lastTurn == TokenUsage(inputTokens: 10, outputTokens: 4))
        #expect(state.meter.session == TokenUsage(inputTokens: 10, outputTokens: 4))
        #expect(state.meter.tokensPerSecond == 2)
    }

    @Test func escapeCancelsTheStreamAndKeepsThePartialReply() {
        var state = makeState()
        type("write a poem", into: &state)
        _ = Reducer.reduce(&state, .key(.enter))
        _ = Reducer.reduce(&state, .turn(.text(turn: 1, "Roses are")))
        let effects = Reducer.reduce(&state, .key(.escape))
        #expect(effects == [.cancel(turn: 1)])
        #expect(state.entries[1].text == "Roses are")
        #expect(state.entries[1].status == .cancelled)
        #expect(state.turn == nil)
        // Late events of the cancelled turn are dropped.
        _ = Reducer.reduce(&state, .turn(.text(turn: 1, " red")))
        #expect(state.entries[1].text == "Roses are")
    }

    @Test func ctrlCCancelsARunningTurnThenQuitsWhenIdleOnTheSecondPress() {
        var state = makeState()
        type("x", into: &state)
        _ = Reducer.reduce(&state, .key(.enter))
        #expect(Reducer.reduce(&state, .key(.control("c"))) == [.cancel(turn: 1)])
        #expect(!state.shouldQuit)
        #expect(Reducer.reduce(&state, .key(.control("c"))) == [.disarmQuit(arm: 1)])
        #expect(!state.shouldQuit)
        #expect(Reducer.reduce(&state, .key(.control("c"))) == [.quit])
        #expect(state.shouldQuit)
    }

    @Test func ctrlDQuitsOnlyOnAnEmptyInput() {
        var state = makeState()
        type("ab", into: &state)
        _ = Reducer.reduce(&state, .key(.left))
        #expect(Reducer.reduce(&state, .key(.control("d"))).isEmpty)
        #expect(state.input.text == "a")
        _ = Reducer.reduce(&state, .key(.backspace))
        #expect(Reducer.reduce(&state, .key(.control("d"))) == [.quit])
    }

    @Test func failedTurnShowsTheErrorAndKeepsTheConversation() {
        var state = makeState()
        type("hi", into: &state)
        _ = Reducer.reduce(&state, .key(.enter))
        _ = Reducer.reduce(&state, .turn(.failed(turn: 1, ProviderError(kind: .unreachable, provider: "local", url: "http://x"))))
        #expect(state.entries.map(\.kind) == [.user, .error])
        #expect(state.entries[1].text.contains("unreachable"))
        #expect(state.turn == nil)
        type("again", into: &state)
        #expect(Reducer.reduce(&state, .key(.enter)) == [.recordHistory("again"), .submit(turn: 2, prompt: "again", model: "qwen")])
    }

    @Test func withoutAProviderNothingIsSent() {
        var state = AppState(size: TerminalSize(columns: 80, rows: 24))
        type("hello", into: &state)
        #expect(Reducer.reduce(&state, .key(.enter)) == [.recordHistory("hello")])
        #expect(state.entries.last?.kind == .error)
    }

    @Test func emacsEditingKeys() {
        var state = makeState()
        type("hello world", into: &state)
        _ = Reducer.reduce(&state, .key(.control("w")))
        #expect(state.input.text == "hello ")
        _ = Reducer.reduce(&state, .key(.control("a")))
        type(">", into: &state)
        #expect(state.input.text == ">hello ")
        _ = Reducer.reduce(&state, .key(.control("k")))
        #expect(state.input.text == ">")
        _ = Reducer.reduce(&state, .key(.control("j")))
        type("x", into: &state)
        #expect(state.input.text == ">\nx")
    }

    @Test func pasteWithNewlinesDoesNotSend() {
        var state = makeState()
        #expect(Reducer.reduce(&state, .key(.paste("line one\r\nline two"))).isEmpty)
        #expect(state.input.text == "line one\nline two")
        #expect(state.entries.isEmpty)
    }

    @Test func scrollingUpAndBack() {
        var state = makeState()
        _ = Reducer.reduce(&state, .key(.pageUp))
        #expect(state.scrollOffset == 36)
        _ = Reducer.reduce(&state, .key(.pageDown))
        #expect(state.scrollOffset == 0)
        _ = Reducer.reduce(&state, .key(.pageDown))
        #expect(state.scrollOffset == 0)
    }

    @Test func theWheelStopsAtTheTopWhenTheLastFrameKnewIt() {
        var state = makeState()
        for _ in 0..<5 { _ = Reducer.reduce(&state, .key(.mouseWheelUp)) }
        #expect(state.scrollOffset == 15)  // no frame yet: the top is unknown
        state.scrollLimit = 10
        _ = Reducer.reduce(&state, .key(.mouseWheelUp))
        #expect(state.scrollOffset == 10)
        // The first step down moves the view at once, however far up the wheel was turned.
        _ = Reducer.reduce(&state, .key(.mouseWheelDown))
        #expect(state.scrollOffset == 7)
        _ = Reducer.reduce(&state, .key(.end))
        #expect(state.scrollOffset == 0)
    }

    @Test func everyVisibleChangeBumpsTheRevision() {
        var state = makeState()
        let before = state.revision
        type("a", into: &state)
        #expect(state.revision != before)
        let after = state.revision
        _ = Reducer.reduce(&state, .resize(state.size))
        #expect(state.revision == after)
    }
}

@Suite(.timeLimit(.minutes(2))) struct ModelListTests {
    @Test func theFirstListedModelIsUsedWhenNoneIsConfigured() {
        var state = AppState(size: TerminalSize(columns: 80, rows: 24),
                             provider: ActiveProvider(name: "local", kind: "llamacpp", baseURL: "u", model: nil))
        for character in "hi" { _ = Reducer.reduce(&state, .key(.character(character))) }
        #expect(Reducer.reduce(&state, .key(.enter)) == [.recordHistory("hi")])
        #expect(state.entries.last?.text.contains("has no model") == true)
        _ = Reducer.reduce(&state, .modelsListed([ModelInfo(id: "qwen2.5"), ModelInfo(id: "llama")]))
        #expect(state.provider?.model == "qwen2.5")
        #expect(state.provider?.connection == .online(modelCount: 2))
        for character in "hi" { _ = Reducer.reduce(&state, .key(.character(character))) }
        #expect(Reducer.reduce(&state, .key(.enter)) == [.recordHistory("hi"), .submit(turn: 1, prompt: "hi", model: "qwen2.5")])
    }

    @Test func aConfiguredModelIsKept() {
        var state = AppState(size: TerminalSize(columns: 80, rows: 24),
                             provider: ActiveProvider(name: "local", kind: "llamacpp", baseURL: "u", model: "mine"))
        _ = Reducer.reduce(&state, .modelsListed([ModelInfo(id: "other")]))
        #expect(state.provider?.model == "mine")
    }
}

@Suite(.timeLimit(.minutes(2))) struct ProviderChangeTests {
    @Test func aDetectedProviderReplacesTheSetupHelp() {
        var state = AppState(size: TerminalSize(columns: 100, rows: 20), setupHelp: ["Create agents.config.json"])
        let found = ActiveProvider(name: "ollama", kind: "ollama", baseURL: "http://localhost:11434",
                                   model: "qwen", connection: .online(modelCount: 1))
        _ = Reducer.reduce(&state, .providerChanged(found, notice: "Found ollama"))
        #expect(state.provider == found)
        var renderer = FrameRenderer()
        let lines = renderer.render(state).frame.textLines
        #expect(lines[0].contains("type a prompt"))
        #expect(lines.contains { $0.contains("Found ollama") })
        for character in "hi" { _ = Reducer.reduce(&state, .key(.character(character))) }
        #expect(Reducer.reduce(&state, .key(.enter)) == [.recordHistory("hi"), .submit(turn: 1, prompt: "hi", model: "qwen")])
    }
}

@Suite(.timeLimit(.minutes(2))) struct TurnNoticeTests {
    @Test func aRetryNoticeShowsInTheMeterUntilTextArrives() {
        var state = AppState(size: TerminalSize(columns: 120, rows: 10),
                             provider: ActiveProvider(name: "p", kind: "k", baseURL: "u", model: "m"))
        for character in "hi" { _ = Reducer.reduce(&state, .key(.character(character))) }
        _ = Reducer.reduce(&state, .key(.enter))
        _ = Reducer.reduce(&state, .turn(.notice(turn: 1, "rate limited, retrying in 1s (1/3)")))
        var renderer = FrameRenderer()
        #expect(renderer.render(state).frame.textLines[8].hasSuffix("rate limited, retrying in 1s (1/3)"))
        _ = Reducer.reduce(&state, .turn(.text(turn: 1, "ok")))
        #expect(renderer.render(state).frame.textLines[8].hasSuffix("streaming…"))
    }
}
