import AgentCore
import FoundationEssentials
import Testing
import TerminalUI
@testable import App

/// Slash commands, the model picker, queued messages, history and pastes, as a person types.
@Suite(.timeLimit(.minutes(2))) struct PanelTests {
    static let models = [ModelInfo(id: "qwen2.5-coder:7b", contextWindow: 32768, supportsTools: true),
                         ModelInfo(id: "llama3.2:3b", contextWindow: 131072, supportsTools: true)]

    func state() -> AppState {
        var state = AppState(size: TerminalSize(columns: 120, rows: 30), provider: ReducerTests.provider)
        _ = Reducer.reduce(&state, .providersListed([
            ProviderListing(name: "local", kind: "ollama", baseURL: "http://127.0.0.1:11434", defaultModel: "qwen"),
            ProviderListing(name: "cloud", kind: "openrouter", baseURL: "https://openrouter.ai/api/v1"),
        ]))
        _ = Reducer.reduce(&state, .providerModels(name: "local", .loaded(Self.models)))
        _ = Reducer.reduce(&state, .providerModels(name: "cloud", .failed("bad or missing API key")))
        return state
    }

    @discardableResult
    func type(_ text: String, _ state: inout AppState) -> [Effect] {
        text.flatMap { Reducer.reduce(&state, .key(.character($0))) }
    }

    @Test func ctrlPFilterAndEnterSwitchesTheModel() {
        var state = state()
        state.sidebarShown = false
        // Opening the picker lists again the providers that failed.
        #expect(Reducer.reduce(&state, .key(.control("p"))) == [.refreshModels(providers: ["cloud"])])
        _ = Reducer.reduce(&state, .providerModels(name: "cloud", .failed("bad or missing API key")))
        type("llama", &state)
        var renderer = FrameRenderer()
        let lines = renderer.render(state).frame.textLines
        #expect(lines.contains { $0.contains("▸   llama3.2:3b") && $0.contains("128k ctx · tools") })
        #expect(!lines.contains { $0.contains("qwen2.5-coder:7b") })
        #expect(lines.contains { $0.contains("cannot list: bad or missing API key") })
        let effects = Reducer.reduce(&state, .key(.enter))
        #expect(effects == [.switchModel(provider: "local", model: "llama3.2:3b")])
        #expect(state.provider?.model == "llama3.2:3b")
        #expect(state.activeModel?.contextWindow == 131072)
        #expect(state.overlay == nil)
    }

    @Test func slashModelOpensThePickerAndTabCompletes() {
        var state = state()
        type("/mo", &state)
        var renderer = FrameRenderer()
        let popup = renderer.render(state).frame.textLines
        #expect(popup.contains { $0.contains("/model") && $0.contains("pick a model") })
        #expect(popup.contains { $0.contains("/mode") && $0.contains("what runs without asking") })
        _ = Reducer.reduce(&state, .key(.tab))
        #expect(state.input.text == "/mode")
        type("l", &state)
        _ = Reducer.reduce(&state, .key(.tab))
        #expect(state.input.text == "/model ")
        type("ll", &state)
        _ = Reducer.reduce(&state, .key(.tab))
        #expect(state.input.text == "/model llama3.2:3b ")
        #expect(Reducer.reduce(&state, .key(.enter)).contains(.switchModel(provider: "local", model: "llama3.2:3b")))
    }

    @Test func unknownCommandsListTheKnownOnes() {
        var state = state()
        type("/frobnicate", &state)
        #expect(Reducer.reduce(&state, .key(.enter)).isEmpty)
        #expect(state.entries.last?.kind == .error)
        #expect(state.entries.last?.text.contains("/help /model /provider") == true)
    }

    @Test func modeThemeUsageExportAndExitProduceTheirEffects() {
        var state = state()
        type("/mode plan", &state)
        #expect(Reducer.reduce(&state, .key(.enter)) == [.recordHistory("/mode plan"), .setApprovalMode(.plan)])
        #expect(state.approvalMode == .plan)
        type("/usage", &state)
        #expect(Reducer.reduce(&state, .key(.enter)).last == .loadUsage)
        type("/export notes.md", &state)
        #expect(Reducer.reduce(&state, .key(.enter)).last == .export(path: "notes.md"))
        type("/budget session 2.50", &state)
        #expect(Reducer.reduce(&state, .key(.enter)).last == .budget(.setSession(Decimal(string: "2.50")!)))
        type("/exit", &state)
        #expect(Reducer.reduce(&state, .key(.enter)).last == .quit)
    }

    @Test func helpIsGeneratedFromTheKeymap() {
        var state = state()
        _ = Reducer.reduce(&state, .key(.character("?")))
        #expect(state.overlay == .help(scroll: 0))
        let text = OverlayView.helpLines(theme: .standard).map { $0.segments.map(\.text).joined() }
        for binding in Keymap.bindings { #expect(text.contains { $0.contains(binding.label) && $0.contains(binding.help) }) }
        for command in SlashCommand.all { #expect(text.contains { $0.contains("/" + command.name) }) }
        _ = Reducer.reduce(&state, .key(.escape))
        #expect(state.overlay == nil)
    }

    @Test func messagesTypedDuringATurnAreQueuedAndSentWhenItEnds() {
        var state = state()
        type("first", &state)
        _ = Reducer.reduce(&state, .key(.enter))
        type("second", &state)
        #expect(Reducer.reduce(&state, .key(.enter)) == [.recordHistory("second")])
        #expect(state.queued == ["second"])
        let effects = Reducer.reduce(&state, .turn(.finished(turn: 1, .stop, elapsedSeconds: 1)))
        #expect(effects == [.submit(turn: 2, prompt: "second", model: "qwen")])
        #expect(state.queued.isEmpty)
    }

    @Test func aCancelPutsQueuedMessagesBackInTheInput() {
        var state = state()
        type("first", &state)
        _ = Reducer.reduce(&state, .key(.enter))
        type("second", &state)
        _ = Reducer.reduce(&state, .key(.enter))
        _ = Reducer.reduce(&state, .key(.escape))
        #expect(state.input.text == "second")
        #expect(state.queued.isEmpty)
    }

    /// Two queued messages come back separate, not merged into one (issue 14, bug 20).
    @Test func aCancelKeepsSeveralQueuedMessagesSeparate() {
        var state = state()
        type("first", &state)
        _ = Reducer.reduce(&state, .key(.enter))
        for message in ["second", "third"] {
            type(message, &state)
            _ = Reducer.reduce(&state, .key(.enter))
        }
        _ = Reducer.reduce(&state, .key(.escape))
        #expect(state.input.text == "second")
        #expect(state.queued == ["third"])
        let effects = Reducer.reduce(&state, .key(.enter))
        #expect(effects.contains(.submit(turn: 2, prompt: "second", model: "qwen")))
        let next = Reducer.reduce(&state, .turn(.finished(turn: 2, .stop, elapsedSeconds: 1)))
        #expect(next == [.submit(turn: 3, prompt: "third", model: "qwen")])
    }

    /// `/mode a` + Tab completes to the first candidate instead of doing nothing (bug 20).
    @Test func tabOnAnAmbiguousArgumentTakesTheFirstCandidate() {
        var state = state()
        type("/mode a", &state)
        _ = Reducer.reduce(&state, .key(.tab))
        #expect(state.input.text == "/mode ask ")
        state.input = InputLine()
        type("/mode au", &state)
        _ = Reducer.reduce(&state, .key(.tab))
        #expect(state.input.text == "/mode auto-edit ")
    }

    @Test func historyBrowsesSentMessagesAndKeepsTheDraft() {
        var state = state()
        _ = Reducer.reduce(&state, .historyLoaded(["old one", "old two"]))
        type("draft", &state)
        _ = Reducer.reduce(&state, .key(.up))
        #expect(state.input.text == "old two")
        _ = Reducer.reduce(&state, .key(.up))
        #expect(state.input.text == "old one")
        _ = Reducer.reduce(&state, .key(.down))
        _ = Reducer.reduce(&state, .key(.down))
        #expect(state.input.text == "draft")
    }

    @Test func aLongPasteBecomesAChipAndExpandsWhenSent() {
        var state = state()
        let pasted = (1...20).map { "line \($0)" }.joined(separator: "\n")
        type("fix this: ", &state)
        _ = Reducer.reduce(&state, .key(.paste(pasted)))
        #expect(state.input.text == "fix this: [pasted 20 lines #1]")
        let effects = Reducer.reduce(&state, .key(.enter))
        #expect(effects.last == .submit(turn: 1, prompt: "fix this: " + pasted, model: "qwen"))
    }

    @Test func aPasteEndingInANewlineCountsItsLinesNotTheNewline() {
        // Copying 20 whole lines from an editor ends with the 20th line's newline.
        var state = state()
        let pasted = (1...20).map { "line \($0)\n" }.joined()
        _ = Reducer.reduce(&state, .key(.paste(pasted)))
        #expect(state.input.text == "[pasted 20 lines #1]")
        let effects = Reducer.reduce(&state, .key(.enter))
        #expect(effects.last == .submit(turn: 1, prompt: pasted, model: "qwen"))
    }

    @Test func multiLineInputGrowsTheEditorAndMovesByLine() {
        var state = state()
        type("one", &state)
        _ = Reducer.reduce(&state, .key(.altEnter))
        type("two", &state)
        _ = Reducer.reduce(&state, .key(.control("j")))
        type("three", &state)
        var renderer = FrameRenderer()
        let lines = renderer.render(state).frame.textLines
        #expect(lines[27] == "› one")
        #expect(lines[28] == "  two")
        #expect(lines[29] == "  three")
        _ = Reducer.reduce(&state, .key(.up))
        _ = Reducer.reduce(&state, .key(.control("a")))
        _ = Reducer.reduce(&state, .key(.control("k")))
        #expect(state.input.text == "one\n\nthree")
    }

    @Test func emacsWordMotions() {
        var state = state()
        type("alpha beta gamma", &state)
        _ = Reducer.reduce(&state, .key(.alt("b")))
        _ = Reducer.reduce(&state, .key(.control("w")))
        #expect(state.input.text == "alpha gamma")
        _ = Reducer.reduce(&state, .key(.control("a")))
        _ = Reducer.reduce(&state, .key(.alt("d")))
        #expect(state.input.text == " gamma")
    }

    @Test func theSidebarListsProvidersAndModelsAndFoldsWithF2() {
        var state = state()
        var renderer = FrameRenderer()
        var lines = renderer.render(state).frame.textLines
        #expect(lines.contains { $0.contains("│ Providers") })
        #expect(lines.contains { $0.contains("○ cloud") })
        #expect(lines.contains { $0.contains("qwen2.5-coder:7b") })
        #expect(lines.contains { $0.contains("32k ctx · tools · $ n/a") })
        _ = Reducer.reduce(&state, .key(.function(2)))
        lines = renderer.render(state).frame.textLines
        #expect(!lines.contains { $0.contains("│ Providers") })
    }

    @Test func theMeterShowsAnEstimateThenTheReportedCost() {
        var state = state()
        type("hi", &state)
        _ = Reducer.reduce(&state, .key(.enter))
        _ = Reducer.reduce(&state, .turn(.text(turn: 1, String(repeating: "word ", count: 40), streamedTokens: 50)))
        var renderer = FrameRenderer()
        #expect(renderer.render(state).frame.textLines[28].hasPrefix(" turn out ~50 · session"))
        let usage = TokenUsage(inputTokens: 1200, outputTokens: 48)
        _ = Reducer.reduce(&state, .turn(.usage(turn: 1, usage)))
        _ = Reducer.reduce(&state, .turn(.request(turn: 1, UsageRecord(provider: "local", model: "qwen", usage: usage,
                                                                      cost: Decimal(string: "0.0123"), costSource: "builtin"))))
        let meter = renderer.render(state).frame.textLines[28]
        #expect(meter.hasPrefix(" turn in 1.2k out 48 $0.0123 · session in 1.2k out 48 $0.0123"))
    }

    @Test func anUnknownPriceShowsNotAvailableNeverZero() {
        var state = state()
        type("hi", &state)
        _ = Reducer.reduce(&state, .key(.enter))
        let usage = TokenUsage(inputTokens: 10, outputTokens: 5)
        _ = Reducer.reduce(&state, .turn(.request(turn: 1, UsageRecord(provider: "x", model: "y", usage: usage))))
        var renderer = FrameRenderer()
        let meter = renderer.render(state).frame.textLines[28]
        #expect(meter.contains("n/a"))
        #expect(!meter.contains("$0.00"))
    }

    @Test func aBudgetWarningColoursTheMeterAndSaysWhy() {
        var state = state()
        _ = Reducer.reduce(&state, .budget(.warning("Session budget 85% used.")))
        #expect(state.entries.last?.text == "Session budget 85% used.")
        var renderer = FrameRenderer()
        let frame = renderer.render(state).frame
        #expect(frame[1, 28].style == renderer.theme.meterWarn)
    }
}

@Suite(.timeLimit(.minutes(2))) struct ResumeTests {
    @Test func aResumedSessionShowsItsMessagesToolsAndTheInterruptedReply() {
        var state = AppState(size: TerminalSize(columns: 100, rows: 20), provider: ReducerTests.provider)
        var cost = CostTotal()
        cost.add(UsageRecord(provider: "p", model: "m", usage: TokenUsage(inputTokens: 900, outputTokens: 100),
                             cost: Decimal(string: "0.25")))
        let messages = [
            ChatMessage(role: .user, content: "list files"),
            ChatMessage(role: .assistant, content: "", toolCalls: [ToolCall(id: "c", name: "list_directory", arguments: "{}")]),
            ChatMessage(role: .tool, content: "a.txt\nb.txt", toolCallID: "c"),
            ChatMessage(role: .assistant, content: "Two files, and then"),
        ]
        _ = Reducer.reduce(&state, .conversationLoaded(ResumedSession(
            messages: messages, interrupted: [3], priorUsage: TokenUsage(inputTokens: 900, outputTokens: 100),
            priorCost: cost)))
        #expect(state.entries.map(\.kind) == [.user, .tool, .assistant])
        #expect(state.entries[1].tool?.output?.content == "a.txt\nb.txt")
        #expect(state.entries[2].status == .interrupted)
        var renderer = FrameRenderer()
        let lines = renderer.render(state).frame.textLines
        #expect(lines.contains { $0.contains("[interrupted: this reply did not finish]") })
        #expect(lines[18].contains("session in 900 out 100 $0.25"))
    }
}

@Suite(.timeLimit(.minutes(2))) struct ReasoningTests {
    @Test func reasoningIsDimmedFoldedToOneLineAndExpandsWithCtrlT() {
        var state = AppState(size: TerminalSize(columns: 80, rows: 20), provider: ReducerTests.provider)
        "why".forEach { _ = Reducer.reduce(&state, .key(.character($0))) }
        _ = Reducer.reduce(&state, .key(.enter))
        _ = Reducer.reduce(&state, .turn(.reasoning(turn: 1, "First I look.\nThen I answer.")))
        var renderer = FrameRenderer()
        #expect(renderer.render(state).frame.textLines.contains { $0.contains("▸ thinking: Then I answer.") })
        _ = Reducer.reduce(&state, .turn(.text(turn: 1, "Because.")))
        _ = Reducer.reduce(&state, .turn(.finished(turn: 1, .stop, elapsedSeconds: 1)))
        var lines = renderer.render(state).frame.textLines
        #expect(lines.contains { $0.contains("▸ reasoning · 2 lines · Ctrl-T shows it") })
        #expect(!lines.contains { $0.contains("First I look.") })
        _ = Reducer.reduce(&state, .key(.control("t")))
        let frame = renderer.render(state).frame
        lines = frame.textLines
        let row = lines.firstIndex { $0.contains("│ First I look.") }
        #expect(row != nil)
        #expect(lines.contains { $0.contains("│ Then I answer.") })
        #expect(lines.contains { $0.contains("Because.") })
        if let row, let x = lines[row].firstIndex(of: "F").map({ lines[row].distance(from: lines[row].startIndex, to: $0) }) {
            #expect(frame[x, row].style.attributes.contains(.italic))
        }
    }
}

@Suite(.timeLimit(.minutes(2))) struct ResumeOrderTests {
    @Test func aMessageSentWhileASessionLoadsWaitsForIt() {
        var state = AppState(size: TerminalSize(columns: 100, rows: 20), provider: ReducerTests.provider)
        state.resuming = true
        "next step".forEach { _ = Reducer.reduce(&state, .key(.character($0))) }
        #expect(Reducer.reduce(&state, .key(.enter)) == [.recordHistory("next step")])
        #expect(state.queued == ["next step"])
        let effects = Reducer.reduce(&state, .conversationLoaded(ResumedSession(
            messages: [ChatMessage(role: .user, content: "earlier"), ChatMessage(role: .assistant, content: "reply")])))
        #expect(effects == [.submit(turn: 1, prompt: "next step", model: "qwen")])
        #expect(state.entries.map(\.text).prefix(3) == ["earlier", "reply", "next step"])
    }

    @Test func aFailedResumeSaysWhyAndSendsWhatWasQueued() {
        var state = AppState(size: TerminalSize(columns: 100, rows: 20), provider: ReducerTests.provider)
        state.resuming = true
        state.queued = ["go"]
        let effects = Reducer.reduce(&state, .resumeFailed("No earlier session in this directory; starting a new one."))
        #expect(effects == [.submit(turn: 1, prompt: "go", model: "qwen")])
        #expect(state.entries.first?.text.hasPrefix("No earlier session") == true)
    }
}

@Suite(.timeLimit(.minutes(2))) struct LongModelListTests {
    @Test func aLongModelListSaysHowManyMoreAndKeepsTheHints() {
        var state = AppState(size: TerminalSize(columns: 120, rows: 24), provider: ReducerTests.provider)
        _ = Reducer.reduce(&state, .providersListed([ProviderListing(name: "local", kind: "ollama", baseURL: "u")]))
        let models = (1...40).map { ModelInfo(id: "model-\($0)", contextWindow: 8192) }
        _ = Reducer.reduce(&state, .providerModels(name: "local", .loaded(models)))
        var renderer = FrameRenderer()
        let lines = renderer.render(state).frame.textLines
        #expect(lines.contains { $0.contains("more · Ctrl-P lists all") })
        #expect(lines.contains { $0.contains("F2 hides this panel") })
    }
}
