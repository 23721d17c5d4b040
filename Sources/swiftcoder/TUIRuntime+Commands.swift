import AgentCore
import AgentTools
import App
import FoundationEssentials

extension TUIRuntime {
    /// Reads the custom command folders off the first frame's path; the app learns them as
    /// `.externalCommandsLoaded`.
    func loadCustomCommands() {
        let (project, environment, trust) = (setup.currentDirectory, setup.environment, setup.trust)
        Task.detached { [weak self] in
            let catalog = CustomCommandCatalog.load(project: project, environment: environment, trust: trust)
            await self?.commandsLoaded(catalog)
        }
    }

    private func commandsLoaded(_ catalog: CustomCommandCatalog) {
        commandCatalog = catalog
        dispatch(.externalCommandsLoaded(catalog.external, problems: catalog.problems))
    }

    /// `/name arguments`: expands the command (files read, `!` commands approved and run) off
    /// the loop, then sends it through the reducer like a typed message.
    func runCustomCommand(_ name: String, arguments: String) {
        guard let catalog = commandCatalog, let command = catalog.commands[name.lowercased()] else {
            if mcp?.prompt(command: name) != nil { return runMCPPrompt(name, arguments: arguments) }
            dispatch(.externalCommandNotSent(reason: "/\(name) is no longer available"))
            return
        }
        let tools = EngineFactory.tools(setup: setup)
        let engine = self.engine
        expand(command.name) { [weak self] in
            let expander = CommandExpander(tools: tools, shellRefusal: catalog.shellRefusal, policy: await engine.policy)
            let asker: @Sendable (ToolPreview) async -> Bool = { [weak self] preview in
                await self?.askApproval(preview) ?? false
            }
            return await expander.expand(command, arguments: arguments, approve: asker)
                .map { CustomCommandCatalog.expanded(command, prompt: $0) }
                .mapError { NotSent($0.description) }
        }
    }

    /// Runs an external command's expansion as the one `expansion` task, which Esc cancels
    /// (D192). A cancelled expansion sends nothing, whatever it produced: its running `!`
    /// command was stopped, so its output is not what the command asked for. Otherwise the
    /// prompt is sent, or the reason it was not comes back as `.externalCommandNotSent`.
    func expand(_ name: String, _ work: @escaping @MainActor () async -> Result<ExpandedCommand, NotSent>) {
        expansion = Task { [weak self] in
            let result = await work()
            switch Task.isCancelled ? .failure(NotSent("/\(name) was stopped: nothing was sent")) : result {
            case .success(let expanded): self?.send(.externalCommandExpanded(expanded))
            case .failure(let notSent): self?.send(.externalCommandNotSent(reason: notSent.reason))
            }
            self?.expansion = nil
        }
    }

    /// Shows the approval box for one `!` command line and waits for the answer.
    private func askApproval(_ preview: ToolPreview) async -> Bool {
        commandApprovalCount += 1
        let callID = "command-approval-\(commandApprovalCount)"
        let delay = app.approvalArmDelay
        return await withCheckedContinuation { continuation in
            commandApprovals[callID] = continuation
            dispatch(.commandApprovalNeeded(callID: callID, preview))
            Task { [weak self] in
                try? await Task.sleep(for: delay)
                self?.send(.approvalArmed(callID: callID))
            }
        }
    }
}

/// Why an external command's prompt was not sent, as the chat shows it.
struct NotSent: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
