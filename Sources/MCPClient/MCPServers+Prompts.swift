import AgentCore

/// Prompts as `/SERVER:PROMPT` commands and resources as `@SERVER:URI` attachments
/// (issue 13, item 6), shared by the app and `run`.
extension MCPServers {
    /// The ready server and prompt behind the command `name` (`server:prompt`, any case).
    public func prompt(command name: String) -> (server: String, prompt: MCPPromptInfo)? {
        let wanted = name.lowercased()
        for entry in entries where entry.status == .ready {
            if let prompt = entry.prompts.first(where: { MCPPromptCommand.name(server: entry.config.name, prompt: $0.name) == wanted }) {
                return (entry.config.name, prompt)
            }
        }
        return nil
    }

    /// `/command arguments` filled in by its server: the arguments matched to the prompt's
    /// (a missing required one is refused with the usage), then `prompts/get`.
    public func expandPrompt(command name: String, arguments: String) async -> Result<String, MCPError> {
        guard let (server, prompt) = prompt(command: name) else {
            return .failure(MCPError("/\(name) is no longer offered by its MCP server"))
        }
        let values: [String: String]
        switch MCPPromptCommand.arguments(arguments, for: prompt, command: name) {
        case .success(let matched): values = matched
        case .failure(let error): return .failure(error)
        }
        do {
            let text = try await self.prompt(server: server, name: prompt.name, arguments: values)
            guard !text.allSatisfy(\.isWhitespace) else {
                return .failure(MCPError("/\(name): the \(server) MCP server gave no text"))
            }
            return .success(text)
        } catch {
            return .failure(MCPError("/\(name) failed on the \(server) MCP server: \(Self.reason(error))"))
        }
    }

    /// The names of ready servers that offer resources, and whether one lists a URI.
    public var resourceServers: (names: [String], lists: @Sendable (String, String) -> Bool) {
        let ready = entries.filter { $0.status == .ready && !$0.resources.isEmpty }
        let listed = Dictionary(ready.map { ($0.config.name, Set($0.resources.map(\.uri))) }) { first, _ in first }
        return (ready.map(\.config.name), { server, uri in listed[server]?.contains(uri) == true })
    }

    /// `message` with the resources `mentions` name read and attached below it; the first
    /// that cannot be read fails the whole (nothing half-attached is sent).
    public func attach(_ mentions: [MCPResourceMention], to message: String) async -> Result<String, MCPError> {
        var contents: [(mention: MCPResourceMention, text: String)] = []
        for mention in mentions {
            do {
                contents.append((mention, try await readResource(server: mention.server, uri: mention.uri)))
            } catch {
                return .failure(MCPError("\(mention.token) could not be read: \(Self.reason(error))"))
            }
        }
        return .success(MCPResourceMentions.attach(contents, to: message))
    }

    private static func reason(_ error: any Error) -> String {
        (error as? MCPError)?.message ?? (error is CancellationError ? "cancelled" : "\(error)")
    }
}
