import AgentCore
import AgentTools
import App
import ArgumentParser
import FoundationEssentials
import MCPClient

extension RunCommand {
    /// `run "/name args"`: a custom command's expansion (D145), nil when the prompt names
    /// none (it is then sent as typed). `!` commands run only in a trusted folder and with
    /// `--yes`; otherwise this exits (1 untrusted, 2 not approved) saying why.
    func expandCustomCommand(setup: Setup) async throws -> ExpandedCommand? {
        guard prompt.hasPrefix("/") else { return nil }
        let words = prompt.dropFirst().split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        let name = words.first.map(String.init) ?? ""
        guard !name.isEmpty, !name.contains("/") else { return nil }
        let catalog = CustomCommandCatalog.load(project: setup.currentDirectory, environment: setup.environment,
                                                trust: setup.trust)
        for problem in catalog.problems { StandardError.write("swiftcoder: \(problem)\n") }
        guard let command = catalog.commands[name.lowercased()] else { return nil }
        if SlashCommand.all.contains(where: { $0.name == name.lowercased() }) {
            StandardError.write("swiftcoder: /\(name) from \(command.folder.rawValue) has the name of a built-in "
                + "command: the built-in is used (in run, the text is sent as typed)\n")
            return nil
        }
        let arguments = words.count > 1 ? String(words[1]) : ""
        let approveAll = yes
        let settings = setup.config.settings
        let expander = CommandExpander(tools: EngineFactory.tools(setup: setup), shellRefusal: catalog.shellRefusal,
                                       policy: ApprovalPolicy(mode: settings.approvalMode, rules: settings.permissions))
        switch await expander.expand(command, arguments: arguments, approve: { preview in
            if approveAll { StandardError.write("swiftcoder: running !`\(preview.keyArgument)` for /\(command.name)\n") }
            return approveAll
        }) {
        case .success(let text):
            return CustomCommandCatalog.expanded(command, prompt: text)
        case .failure(let refusal):
            let hint = refusal.notApproved ? " (pass --yes to run it)" : ""
            throw CleanExit.message(refusal.description + hint, code: refusal.notApproved ? 2 : 1)
        }
    }

    /// The prompt as sent when MCP servers run: `/SERVER:PROMPT args` filled in by its server,
    /// or a plain message with its `@SERVER:URI` resources attached (issue 13, item 6). A
    /// custom command's expansion is sent as it is. A failure stops the servers and exits 1.
    func withMCP(_ text: String, isCustomCommand: Bool, mcp: MCPServers?) async throws -> String {
        guard let mcp, !isCustomCommand else { return text }
        let result: Result<String, MCPError>
        if text.hasPrefix("/") {
            let words = text.dropFirst().split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            let name = words.first.map(String.init) ?? ""
            guard mcp.prompt(command: name) != nil else { return text }
            result = await mcp.expandPrompt(command: name, arguments: words.count > 1 ? String(words[1]) : "")
        } else {
            let (servers, lists) = mcp.resourceServers
            let mentions = MCPResourceMentions.find(in: text, servers: servers, known: lists)
            guard !mentions.isEmpty else { return text }
            result = await mcp.attach(mentions, to: text)
        }
        switch result {
        case .success(let expanded): return expanded
        case .failure(let error):
            await mcp.stopAll()
            throw CleanExit.message(error.message, code: 1)
        }
    }
}
