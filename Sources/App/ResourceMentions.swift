import AgentCore

/// A resource offered while `@SERVER:` is typed: the whole mention and what it is.
public struct MentionCompletion: Sendable, Hashable {
    /// `@server:uri`.
    public var token: String
    /// The resource's name and description.
    public var help: String
}

extension Reducer {
    /// Candidates listed in the completion popup at most.
    static let maxMentionCompletions = 50

    /// Sends a typed (or queued) message. `@SERVER:URI` mentions of a ready server's resources
    /// are read first by the runtime (`.attachResources`); the message, with them attached,
    /// comes back as `.externalCommandExpanded`. Messages typed meanwhile are queued.
    static func send(_ state: inout AppState, message: String) -> [Effect] {
        let servers = state.mcpServers.filter { $0.state == .ready && !$0.resources.isEmpty }
        let mentions = MCPResourceMentions.find(in: message, servers: servers.map(\.name)) { server, uri in
            servers.first { $0.name == server }?.resources.contains { $0.uri == uri } == true
        }
        guard !mentions.isEmpty else { return submit(&state, prompt: message) }
        state.attaching = true
        state.scrollOffset = 0
        state.append(.notice, "Reading " + mentions.map(\.token).joined(separator: ", ") + "…")
        state.touch()
        return [.attachResources(message: message, mentions: mentions)]
    }

    /// A mention could not be read: nothing was sent; the message goes back into an empty
    /// input line (it is in the history either way).
    static func attachmentFailed(_ state: inout AppState, message: String, reason: String) {
        state.attaching = false
        let restored = state.input.text.isEmpty
        if restored { state.input = InputLine(text: message) }
        state.append(.error, "The message was not sent: \(reason). "
            + (restored ? "It is back in the input line." : "Press ↑ to find it in the history."))
    }

    /// The completions of the `@` word being typed at the end of a message: the resources of
    /// ready servers whose `@server:uri` starts with it (case-insensitively).
    static func mentionCompletions(_ state: AppState) -> [MentionCompletion] {
        let text = state.input.text
        guard !state.mcpServers.isEmpty, text.contains("@"), !text.hasPrefix("/"),
              let last = text.last, !last.isWhitespace else { return [] }
        let word = text.split(whereSeparator: \.isWhitespace).last.map(String.init) ?? ""
        guard word.hasPrefix("@") else { return [] }
        let typed = word.lowercased()
        var found: [MentionCompletion] = []
        for server in state.mcpServers where server.state == .ready {
            for resource in server.resources {
                let token = "@\(server.name):\(resource.uri)"
                guard token.lowercased().hasPrefix(typed) else { continue }
                let name = resource.name == resource.uri ? "" : resource.name
                let help = [name, resource.description].filter { !$0.isEmpty }.joined(separator: " · ")
                found.append(MentionCompletion(token: token, help: help))
                if found.count == maxMentionCompletions { return found }
            }
        }
        return found
    }

    /// What Tab could complete the input to (whole input lines): a mention being typed, else
    /// a slash command or its argument.
    static func completions(_ state: AppState) -> [String] {
        let mentions = mentionCompletions(state)
        guard !mentions.isEmpty else { return slashCompletions(state) }
        let text = state.input.text
        let start = text.lastIndex(where: \.isWhitespace).map(text.index(after:)) ?? text.startIndex
        let head = String(text[..<start])
        return mentions.map { head + $0.token }
    }
}
