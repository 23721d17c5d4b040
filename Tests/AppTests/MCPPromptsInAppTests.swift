import AgentCore
import Testing
import TerminalUI
@testable import App

/// MCP prompts as `/SERVER:PROMPT` commands and resources as `@SERVER:URI` in the app
/// (issue 13, item 6): listed with the custom commands, completed, dispatched to the runtime;
/// a message naming a resource waits for it to be read, and one that cannot be read comes back.
@Suite(.timeLimit(.minutes(2))) struct MCPPromptsInAppTests {
    static let docs = MCPServerLine(
        name: "docs", state: .ready, status: "ready · 1 tool · 1 prompt · 2 resources",
        prompts: [ExternalCommand(name: "docs:review", argument: "<file> [focus]", help: "Reviews a file.", origin: "MCP server docs")],
        resources: [MCPResourceInfo(uri: "notes://todo", name: "Todo list", description: "What is left"),
                    MCPResourceInfo(uri: "notes://done", name: "notes://done")])
    static let starting = MCPServerLine(name: "slow", state: .starting, status: "starting…",
                                        resources: [MCPResourceInfo(uri: "x://y", name: "y")])

    func ready() -> AppState {
        var state = PanelTests().state()
        _ = Reducer.reduce(&state, .mcpServers([Self.docs, Self.starting]))
        return state
    }

    @Test func promptsAreCommandsBesideTheCustomOnesWhichWinAClash() {
        var state = ready()
        #expect(state.externalCommands.map(\.name) == ["docs:review"])
        state.input = InputLine(text: "/docs:")
        #expect(Reducer.slashCompletions(state) == ["/docs:review"])
        #expect(Reducer.commandHelp(state, name: "docs:review") == "<file> [focus] · Reviews a file.")
        #expect(Reducer.runSlashCommand(&state, "/docs:review a.swift speed").last
            == .runExternalCommand(name: "docs:review", arguments: "a.swift speed"))
        _ = Reducer.reduce(&state, .externalCommandsLoaded([ExternalCommand(name: "docs:review", origin: "user")], problems: []))
        #expect(state.externalCommands.map(\.origin) == ["user"])
        let help = OverlayView.helpLines(theme: .standard, externalCommands: ready().externalCommands)
            .map { $0.segments.map(\.text).joined() }
        #expect(help.contains { $0.contains("/docs:review <file> [focus]") && $0.contains("(MCP server docs)") })
    }

    @Test func aMessageNamingAResourceWaitsForItAndLaterMessagesQueue() {
        var state = ready()
        state.input = InputLine(text: "plan from @docs:notes://todo, and @slow:x://y")
        let effects = Reducer.submitInput(&state)
        // Only ready servers' resources are read; the comma closes the sentence.
        #expect(effects.last == .attachResources(message: "plan from @docs:notes://todo, and @slow:x://y",
                                                 mentions: [MCPResourceMention(server: "docs", uri: "notes://todo")]))
        #expect(state.attaching && state.turn == nil)
        #expect(state.entries.last?.text == "Reading @docs:notes://todo…")
        state.input = InputLine(text: "next")
        #expect(Reducer.submitInput(&state) == [.recordHistory("next")])
        #expect(state.queued == ["next"])
        let sent = Reducer.reduce(&state, .externalCommandExpanded(ExpandedCommand(prompt: "plan\n\n<resource …>")))
        #expect(!state.attaching)
        guard case .submit(_, let prompt, _) = sent.last else { Issue.record("not sent: \(sent)"); return }
        #expect(prompt == "plan\n\n<resource …>")
        // A message without mentions is sent at once.
        var plain = ready()
        plain.input = InputLine(text: "mail me@docs.example")
        #expect(Reducer.submitInput(&plain).contains { if case .submit = $0 { true } else { false } })
    }

    @Test func aResourceThatCannotBeReadSendsNothingAndTheMessageComesBack() {
        var state = ready()
        state.input = InputLine(text: "see @docs:notes://done")
        _ = Reducer.submitInput(&state)
        _ = Reducer.reduce(&state, .attachmentFailed(message: "see @docs:notes://done",
                                                     reason: "@docs:notes://done could not be read: resource not found"))
        #expect(!state.attaching && state.turn == nil)
        #expect(state.input.text == "see @docs:notes://done")
        #expect(state.entries.last?.kind == .error)
        #expect(state.entries.last?.text == "The message was not sent: @docs:notes://done could not be read: "
            + "resource not found. It is back in the input line.")
    }

    @Test func tabCompletesAMentionAndThePopupNamesTheResource() {
        var state = ready()
        state.input = InputLine(text: "look at @do")
        #expect(Reducer.mentionCompletions(state).map(\.token) == ["@docs:notes://todo", "@docs:notes://done"])
        #expect(Reducer.mentionCompletions(state).first?.help == "Todo list · What is left")
        let popup = drawn(width: 70, height: 3) {
            CompletionView.draw(state, above: Rect(x: 0, y: 2, width: 70, height: 1), buffer: &$0, theme: .standard)
        }
        #expect(popup.line(0).contains("@docs:notes://todo") && popup.line(0).contains("Todo list · What is left"))
        #expect(popup.line(1).contains("@docs:notes://done"))
        // Tab extends to what the candidates share, then takes the first, as the popup lists it.
        Reducer.completeSlashCommand(&state)
        #expect(state.input.text == "look at @docs:notes://")
        Reducer.completeSlashCommand(&state)
        #expect(state.input.text == "look at @docs:notes://todo ")
        state.input = InputLine(text: "look at @docs:notes://do")
        Reducer.completeSlashCommand(&state)
        #expect(state.input.text == "look at @docs:notes://done ")
        // A starting server's resources are not offered; a word that is not a mention completes nothing.
        state.input = InputLine(text: "@sl")
        #expect(Reducer.mentionCompletions(state).isEmpty)
        state.input = InputLine(text: "plain words")
        Reducer.completeSlashCommand(&state)
        #expect(state.input.text == "plain words")
    }
}
