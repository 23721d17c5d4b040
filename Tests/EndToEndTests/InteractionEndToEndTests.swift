import Foundation
import MockLLMServer
import Testing

/// What a person does in the full-screen app, in a real terminal (tmux) against the mock
/// server: pick a model, read help, change the theme, resize, queue a message, run a shell
/// command, scroll with the wheel. Each test has its own sandbox and mock server.
@Suite(.timeLimit(.minutes(5)), .serialized, .enabled(if: Harness.canRunTmux, "needs the swiftcoder binary and tmux (scripts/test)"))
struct InteractionEndToEndTests {
    @Test func ctrlPPicksAModelByFilterAndTheNextRequestUsesIt() throws {
        let fixture = try AppFixture(MockLLMConfiguration(
            replyText: "Answer from the mock.", models: ["mock-model", "mock-large", "other-small"]))
        defer { fixture.stop() }
        // Below 100 columns the sidebar is folded and the meter names the model.
        let session = try fixture.start(columns: 90, rows: 30)
        defer { session.kill() }
        try session.waitFor("mock-model @ mock", "Type a prompt")

        try session.send("C-p")
        try session.waitFor("Pick a model", "mock-large", "other-small")
        try session.type("large")
        try session.waitFor("Filter: large")
        try session.waitForAbsence("other-small")
        let selected = try #require(try session.screen().first { $0.contains("▸") })
        #expect(selected.contains("mock-large"), "selected row: \(selected)")

        try session.send("Enter")
        try session.waitFor("Using mock-large on mock from the next message.", "mock-large @ mock")
        try session.waitForAbsence("Pick a model")

        try session.type("which model answers?")
        try session.send("Enter")
        try session.waitFor("Answer from the mock.", "ready")
        let request = try ChatRequestBody(try #require(fixture.chatRequests.last))
        #expect(request.model == "mock-large")
        #expect(request.lastUserText == "which model answers?")
        #expect(fixture.server.requests.contains { $0.method == "GET" && $0.path.hasSuffix("/models") })
        try fixture.quit(session)
    }

    @Test func helpOpensFromSlashHelpAndQuestionMarkAndEscapeCloses() throws {
        let fixture = try AppFixture(MockLLMConfiguration())
        defer { fixture.stop() }
        let session = try fixture.start()
        defer { session.kill() }
        try session.waitFor("● online")

        try session.type("/help")
        try session.send("Enter")
        try session.waitFor("Help · Esc closes", "pick a model from every provider", "Scrolling")
        try session.send("Escape")
        try session.waitForAbsence("Help · Esc closes")

        // `?` on an empty input opens help instead of being typed.
        try session.type("?")
        try session.waitFor("Help · Esc closes")
        try session.send("Escape")
        try session.waitForAbsence("Help · Esc closes")
        try session.waitFor("Type a prompt")
        #expect(fixture.chatRequests.isEmpty)
        try fixture.quit(session)
    }

    /// The theme switch repaints incrementally; a full repaint (forced by a resize there and
    /// back) must then show exactly the same cells and colours: nothing stale is left.
    @Test func themeSwitchChangesTheColoursWithoutLeavingStaleCells() throws {
        let fixture = try AppFixture(MockLLMConfiguration(replyText: "Some `code` and **bold** text."))
        defer { fixture.stop() }
        let session = try fixture.start()
        defer { session.kill() }
        try session.waitFor("● online")
        try session.type("hello")
        try session.send("Enter")
        try session.waitFor("Some code and bold text.", "ready")
        let before = try session.styledScreen()

        try session.type("/theme solarized-light")
        try session.send("Enter")
        try session.waitFor("Theme: solarized-light.")
        try session.waitForAbsence("/theme solarized-light")
        let switched = StyledGrid(capture: try session.styledScreen())
        #expect(Self.colours(switched) != Self.colours(StyledGrid(capture: before)), "the colours did not change")

        try session.resize(columns: 119, rows: 40)
        #expect(Harness.poll { StyledGrid(capture: (try? session.styledScreen()) ?? "") != switched })
        try session.resize(columns: 120, rows: 40)
        let repainted = Harness.poll { StyledGrid(capture: (try? session.styledScreen()) ?? "") == switched }
        let differences = StyledGrid(capture: try session.styledScreen()).differences(from: switched)
        #expect(repainted, "a full repaint differs from the incremental one:\n\(differences.joined(separator: "\n"))")
        try fixture.quit(session)
    }

    /// The colours used anywhere on the screen.
    static func colours(_ grid: StyledGrid) -> Set<String> {
        Set(grid.rows.flatMap { $0.flatMap { [$0.style.foreground, $0.style.background] } })
    }

    @Test func resizingRelayoutsAtOnceAndFoldsTheSidebarBelowOneHundredColumns() throws {
        let reply = (1...60).map { "word\($0)" }.joined(separator: " ") + " THE-END"
        let fixture = try AppFixture(MockLLMConfiguration(replyText: reply))
        defer { fixture.stop() }
        let session = try fixture.start()
        defer { session.kill() }
        try session.waitFor("│ Provider", "● online")
        try session.type("wrap this")
        try session.send("Enter")
        try session.waitFor("THE-END", "ready")

        try session.resize(columns: 80, rows: 24)
        try session.waitForAbsence("│ Provider")
        // The meter keeps the session totals and the state; the model is the first part it
        // leaves out when narrow (D117).
        try session.waitFor("session in", "THE-END", "ready")
        #expect(try session.screen().count == 24)
        // The reply was wrapped again for the wider chat pane: all of it still shows.
        let text = try session.screenText()
        #expect((1...60).allSatisfy { text.contains("word\($0) ") || text.contains("word\($0)\n") })

        try session.resize(columns: 99, rows: 30)
        try session.waitFor("session in", "ready")
        #expect(try !session.screenText().contains("│ Provider"))
        try session.resize(columns: 100, rows: 30)
        try session.waitFor("│ Provider")
        try fixture.quit(session)
    }

    @Test func aMessageTypedWhileAReplyStreamsIsQueuedAndSentAfter() throws {
        let fixture = try AppFixture(MockLLMConfiguration(
            replyText: String(repeating: "streaming words ", count: 30), slowDelayMilliseconds: 300))
        defer { fixture.stop() }
        let session = try fixture.start()
        defer { session.kill() }
        try session.waitFor("● online")
        try session.type("first [[slow]]")
        try session.send("Enter")
        try session.waitFor("streaming…")

        try session.type("queued one [[echo]]")
        try session.send("Enter")
        try session.waitFor("1 message queued · sent when the reply ends")
        #expect(fixture.chatRequests.count == 1)
        #expect(fixture.server.exchanges.last?.outcome == .inProgress, "the first reply ended before the check")

        try session.waitFor("› queued one [[echo]]", "ready")
        try session.waitForAbsence("queued · sent")
        #expect(Harness.poll { fixture.chatRequests.count == 2 })
        let second = try ChatRequestBody(try #require(fixture.chatRequests.last))
        #expect(second.lastUserText == "queued one [[echo]]")
        #expect(second.messages.contains { $0.role == "assistant" && $0.content.hasPrefix("streaming words") })
        let firstOutcome = fixture.server.exchanges.first { $0.request.path.hasSuffix("/chat/completions") }?.outcome
        #expect(firstOutcome == .completed, "the first reply was cut short: \(String(describing: firstOutcome))")
        try fixture.quit(session)
    }

    @Test func aBangCommandShowsItsOutput() throws {
        let fixture = try AppFixture(MockLLMConfiguration())
        defer { fixture.stop() }
        let session = try fixture.start()
        defer { session.kill() }
        try session.waitFor("● online")
        // The output (shell-42) differs from the command text, so seeing it proves the shell ran.
        try session.type("!echo shell-$((6*7))")
        try session.send("Enter")
        try session.waitFor("shell-42")
        #expect(fixture.chatRequests.isEmpty, "a shell command must not reach the model")
        try fixture.quit(session)
    }

    /// The wheel scrolls (3 lines a step) and End follows the conversation again. Under
    /// tmux's TERM curses expects X10 reports, so the backend's SGR reports reach
    /// `KeyDecoder`; under xterm-256color curses decodes them itself (KEY_MOUSE).
    @Test(arguments: [nil, "xterm-256color"] as [String?])
    func theMouseWheelScrollsBackAndEndFollowsAgain(term: String?) throws {
        let fixture = try AppFixture(MockLLMConfiguration())
        defer { fixture.stop() }
        let session = try fixture.start(term: term)
        defer { session.kill() }
        try session.waitFor("● online")
        let reporting = Harness.poll { (try? session.format("#{mouse_standard_flag}#{mouse_sgr_flag}")) == "11" }
        #expect(reporting, "the app did not ask for button reports in SGR encoding")
        #expect(try session.format("#{mouse_button_flag}#{mouse_all_flag}") == "00",
                "drag and motion reports would take over text selection")

        try session.type("the oldest line [[long 600]]")
        try session.send("Enter")
        try session.waitFor("tok599", "ready")
        try session.waitForAbsence("› the oldest line")

        try session.sendBytes(WheelReport.bytes(up: true))
        try session.waitFor("End follows the conversation again")
        try session.waitForAbsence("tok599")
        try session.sendBytes(WheelReport.bytes(up: false))
        try session.waitFor("tok599")
        try session.waitForAbsence("End follows the conversation again")

        try session.sendBytes(Array(repeating: WheelReport.bytes(up: true), count: 30).flatMap { $0 })
        try session.waitFor("› the oldest line", "End follows the conversation again")
        #expect(try session.screen().allSatisfy { !$0.contains("[<64") }, "a wheel report was typed as text")
        // Turned far past the top, one step down still moves the view (3 lines).
        try session.sendBytes(WheelReport.bytes(up: false))
        try session.waitForAbsence("› the oldest line", "tok0 tok1 tok2 ")
        #expect(try session.screenText().contains("End follows the conversation again"))
        try session.sendBytes(WheelReport.bytes(up: true))
        try session.waitFor("› the oldest line")
        // tmux sends End as its own terminal's key (ESC [4~); under another TERM a terminal
        // of that kind would send that TERM's End (xterm: ESC O F).
        if term == nil { try session.send("End") } else { try session.sendBytes([0x1B, 0x4F, 0x46]) }
        try session.waitFor("tok599")
        try session.waitForAbsence("› the oldest line", "End follows the conversation again")
        try fixture.quit(session)
    }
}
