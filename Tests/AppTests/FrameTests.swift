import AgentCore
import Testing
import TerminalUI
@testable import App

/// Whole frames rendered into an in-memory buffer.
@Suite(.timeLimit(.minutes(2))) struct FrameTests {
    func conversation(columns: Int, rows: Int) -> AppState {
        var state = AppState(size: TerminalSize(columns: columns, rows: rows),
                             provider: ActiveProvider(name: "local", kind: "openai-compatible",
                                                      baseURL: "http://127.0.0.1:8080/v1", model: "qwen2.5-coder",
                                                      connection: .online(modelCount: 3)))
        for character in "Say hi in Chinese" { _ = Reducer.reduce(&state, .key(.character(character))) }
        _ = Reducer.reduce(&state, .key(.enter))
        _ = Reducer.reduce(&state, .turn(.text(turn: 1, "你好！Hello 🙂 — that is 'hello' in Chinese.")))
        let usage = TokenUsage(inputTokens: 1234, outputTokens: 56)
        _ = Reducer.reduce(&state, .turn(.usage(turn: 1, usage)))
        _ = Reducer.reduce(&state, .turn(.request(turn: 1, UsageRecord(provider: "local", model: "qwen2.5-coder", usage: usage,
                                                                      cost: 0, costSource: "local", streamingSeconds: 0.5))))
        _ = Reducer.reduce(&state, .turn(.finished(turn: 1, .stop, elapsedSeconds: 0.5)))
        return state
    }

    @Test func frameAt120x40ShowsChatSidebarMeterAndInput() {
        var renderer = FrameRenderer()
        let (frame, cursor) = renderer.render(conversation(columns: 120, rows: 40))
        let lines = frame.textLines
        #expect(lines.count == 40)
        #expect(lines[0].hasPrefix(" › Say hi in Chinese"))
        #expect(lines[0].hasSuffix("│ Provider"))
        #expect(lines[2].hasPrefix("   你好！Hello 🙂 — that is 'hello' in Chinese."))
        #expect(lines.contains { $0.hasSuffix("│  ● online · 3 models") })
        #expect(lines.contains { $0.hasSuffix("│  qwen2.5-coder") })
        #expect(lines[38].hasPrefix(" turn in 1.2k out 56 $0.00 · session in 1.2k out 56 $0.00 · 112.0 tok/s   "))
        #expect(lines[38].hasSuffix("▓░░░░░░░ 1.3k/32k · ready · ask"))
        #expect(DisplayWidth.of(lines[38]) == 119)  // the meter's trailing space is trimmed
        #expect(lines[39].hasPrefix("› Type a prompt"))
        #expect(cursor.x == 2 && cursor.y == 39)
        for line in lines { #expect(DisplayWidth.of(line) <= 120) }
    }

    /// Between 40 and 100 columns the meter leaves out parts by priority (D117): the model
    /// and the bar's blocks go before the session totals; the turn state stays.
    @Test func aNarrowMeterKeepsTheModelAndStateByShorteningTheUsage() {
        var renderer = FrameRenderer()
        let (frame, _) = renderer.render(conversation(columns: 90, rows: 20))
        let meter = frame.textLines[18]
        #expect(meter.hasPrefix(" turn in 1.2k out 56 $0.00 · session in 1.2k out 56 $0.00 "), "meter: \(meter)")
        #expect(!meter.contains("qwen2.5-coder @ local"))
        #expect(meter.hasSuffix(" 1.3k/32k · ready · ask"), "meter: \(meter)")
        let line = MeterView.Line(turn: "a", session: "bb", speed: "ccc", status: "s")
        #expect(MeterView.fitted(line, width: 12).left == " a · bb")
        #expect(MeterView.fitted(line, width: 3).right == nil)
    }

    @Test func frameAt40x10FoldsTheSidebarAndWrapsByDisplayWidth() {
        var renderer = FrameRenderer()
        let (frame, _) = renderer.render(conversation(columns: 40, rows: 10))
        let expected = [
            " › Say hi in Chinese",
            "",
            "   你好！Hello 🙂 — that is 'hello' in",
            "   Chinese.",
            "",
            "",
            "",
            "",
            " turn in 1.2k out 56 $0.00  ready · ask",
            "› Type a prompt · Enter sends · / comman",
        ]
        #expect(frame.textLines == expected)
        #expect(!frame.textLines.contains { $0.contains("Provider") })
    }

    @Test func firstRunWithoutAProviderExplainsTheSetup() {
        var state = AppState(size: TerminalSize(columns: 100, rows: 20),
                             setupHelp: ["Create agents.config.json in one of these places:", "  ./agents.config.json"])
        var renderer = FrameRenderer()
        let lines = renderer.render(state).frame.textLines
        #expect(lines[0].hasPrefix("   No provider is configured yet."))
        #expect(lines[1].hasPrefix("   Create agents.config.json"))
        #expect(lines.contains { $0.contains("none configured") })
        state.size = TerminalSize(columns: 60, rows: 20)
        #expect(renderer.render(state).frame.textLines[0].hasPrefix("   No provider is configured yet."))
    }

    @Test func streamingReplyShowsACursorAndOnlyChangedCellsAreRedrawn() {
        var state = AppState(size: TerminalSize(columns: 80, rows: 12),
                             provider: ActiveProvider(name: "p", kind: "openai-compatible", baseURL: "u", model: "m"))
        for character in "go" { _ = Reducer.reduce(&state, .key(.character(character))) }
        _ = Reducer.reduce(&state, .key(.enter))
        _ = Reducer.reduce(&state, .turn(.text(turn: 1, "one two")))
        var renderer = FrameRenderer()
        var backend = TestBackend(columns: 80, rows: 12)
        var differ = FrameDiffer()
        let first = renderer.render(state)
        backend.draw(differ.changes(to: first.frame), cursor: first.cursor)
        #expect(first.frame.textLines[2] == "   one two▍")
        let before = backend.cellsWritten
        _ = Reducer.reduce(&state, .turn(.text(turn: 1, " three")))
        let second = renderer.render(state)
        backend.draw(differ.changes(to: second.frame), cursor: second.cursor)
        #expect(backend.screen.textLines[2] == "   one two three▍")
        // Only the new text (and the moved cursor), plus the meter's status, were written.
        #expect(backend.cellsWritten - before <= 20)
    }

    @Test func scrolledUpViewShowsOlderLines() throws {
        var state = AppState(size: TerminalSize(columns: 60, rows: 8),
                             provider: ActiveProvider(name: "p", kind: "k", baseURL: "u", model: "m"))
        for index in 1...20 { state.append(.notice, "message \(index)") }
        var renderer = FrameRenderer()
        #expect(renderer.render(state).frame.textLines[5] == " · message 20")
        state.scrollOffset = 6
        #expect(renderer.render(state).frame.textLines[3] == " · message 16")
        #expect(renderer.render(state).frame.textLines[5] == " ↓ End follows the conversation again")
        // New text while scrolled up grows below the view instead of moving it.
        state.append(.notice, "message 21")
        #expect(renderer.render(state).frame.textLines[3] == " · message 16")
        #expect(renderer.render(state).frame.textLines[5] == " ↓ 2 new lines · End follows the conversation again")
        state.scrollOffset = 10_000
        #expect(renderer.render(state).frame.textLines[0] == " · message 1")
        // That frame reached the top: it knows the largest offset that still moves the view.
        let limit = try #require(renderer.scrollLimit)
        state.scrollOffset = limit
        #expect(renderer.render(state).frame.textLines[0] == " · message 1")
        state.scrollOffset = limit - 1
        #expect(renderer.render(state).frame.textLines[1] == " · message 2")
        // Following the tail, the top is out of view: no limit is known.
        state.scrollOffset = 0
        _ = renderer.render(state)
        #expect(renderer.scrollLimit == nil)
    }

    /// The sidebar is drawn again only when what it shows changed (D186), and then at once:
    /// a frame after the connection, the MCP servers, the theme or the size changed shows it.
    @Test func theSidebarsReusedDrawingFollowsEveryChange() {
        var renderer = FrameRenderer()
        var state = conversation(columns: 120, rows: 40)
        let first = renderer.render(state).frame
        #expect(renderer.render(state).frame == first)
        state.provider?.connection = .offline(reason: "refused")
        #expect(renderer.render(state).frame.textLines.contains { $0.hasSuffix("│  ○ offline: refused") })
        state.mcpServers = [MCPServerLine(name: "git", state: .ready, status: "ready · 4 tools")]
        #expect(renderer.render(state).frame.textLines.contains { $0.hasSuffix("│  ● git: ready · 4 tools") })
        renderer.theme.accent = Style(foreground: .indexed(200))
        let themed = renderer.render(state).frame
        let header = themed.textLines.firstIndex { $0.hasSuffix("│ Provider") } ?? 0
        // The sidebar is 32 columns from column 88; its text starts at 90.
        #expect(themed[90, header].character == "P" && themed[90, header].style.foreground == .indexed(200))
        state.size = TerminalSize(columns: 110, rows: 30)
        let resized = renderer.render(state).frame
        #expect(resized.width == 110 && resized.textLines[0].hasSuffix("│ Provider"))
    }

    /// The meter's figures are computed again only when their inputs change (D189), and a
    /// change of any of them shows in the next frame: tokens streamed, the mode, a budget.
    @Test func theMetersReusedDrawingFollowsEveryChange() {
        var renderer = FrameRenderer()
        var state = conversation(columns: 120, rows: 40)
        let first = renderer.render(state).frame
        #expect(renderer.render(state).frame == first)
        state.approvalMode = .autoEdit
        #expect(renderer.render(state).frame.textLines[38].hasSuffix("· ready · auto-edit"))
        _ = Reducer.reduce(&state, .key(.character("x")))
        _ = Reducer.reduce(&state, .key(.enter))
        _ = Reducer.reduce(&state, .turn(.text(turn: 2, "Some words", streamedTokens: 40)))
        let streaming = renderer.render(state).frame.textLines[38]
        #expect(streaming.contains("out ~40") && streaming.hasSuffix("streaming…"))
        _ = Reducer.reduce(&state, .turn(.text(turn: 2, " and more", streamedTokens: 80)))
        #expect(renderer.render(state).frame.textLines[38].contains("out ~80"))
        state.meter.budget = .overridden("daily $1.00")
        #expect(renderer.render(state).frame.textLines[38].hasSuffix("budget override · streaming…"))
    }

    /// Chat rows are pasted back while their lines are unchanged (D191): whatever happens
    /// between frames (a reply streaming in, scrolling, a resize, a theme, an overlay), each
    /// frame equals the one a fresh renderer draws for the same state.
    @Test func theChatsReusedRowsEqualAFreshDrawingEveryFrame() {
        var renderer = FrameRenderer()
        var state = conversation(columns: 60, rows: 16)
        var frames = 0
        func expectFresh(_ note: String) {
            var fresh = FrameRenderer()
            fresh.theme = renderer.theme
            // The fresh renderer scrolls the way the kept one does (its pin is per renderer).
            #expect(renderer.render(state).frame == fresh.render(state).frame, "\(note)")
            frames += 1
        }
        expectFresh("start")
        for character in "Write more" { _ = Reducer.reduce(&state, .key(.character(character))) }
        _ = Reducer.reduce(&state, .key(.enter))
        let turn = state.turn?.id ?? 2
        for step in 0..<120 {
            let piece = step % 17 == 16 ? "\n\n**bold** 你好 `code` " : "tok\(step) "
            _ = Reducer.reduce(&state, .turn(.text(turn: turn, piece, streamedTokens: step + 1)))
            expectFresh("streaming step \(step)")
        }
        for key in [KeyEvent.pageUp, .pageUp, .pageDown, .mouseWheelUp, .mouseWheelDown] {
            _ = Reducer.reduce(&state, .key(key))
            expectFresh("after \(key)")
        }
        state.size = TerminalSize(columns: 45, rows: 12)
        expectFresh("resized")
        renderer.theme.accent = Style(foreground: .indexed(200))
        expectFresh("themed")
        #expect(frames == 128)
    }
}
