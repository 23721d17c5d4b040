import AgentCore
import FoundationEssentials
import TerminalUI

extension Reducer {
    /// Provider lists, model lists, sessions, reports, shell output, history and themes.
    static func reducePanels(_ state: inout AppState, _ action: Action) {
        switch action {
        case .providersListed(let listings):
            let previous = Dictionary(state.providers.map { ($0.name, $0.models) }, uniquingKeysWith: { a, _ in a })
            state.providers = listings.map { listing in
                var listing = listing
                if case .notLoaded = listing.models, let known = previous[listing.name] { listing.models = known }
                return listing
            }
        case .providerModels(let name, let listing):
            setModels(&state, provider: name, listing)
            guard name == state.provider?.name else { return }
            switch listing {
            case .failed(let reason): state.provider?.connection = .offline(reason: reason)
            case .loaded(let models):
                state.provider?.connection = .online(modelCount: models.count)
                if state.provider?.model == nil, let first = models.first {
                    state.provider?.model = first.id
                    state.activeModel = first
                }
            case .loading, .notLoaded: break
            }
        case .sessionsListed(let rows):
            if rows.isEmpty {
                state.append(.notice, "No earlier sessions in this directory (/sessions --all also lists `swiftcoder run`'s).")
            } else {
                state.overlay = .sessions(rows: rows, selection: 0)
            }
        case .report(let title, let lines):
            state.overlay = .report(title: title, lines: lines, scroll: 0)
        case .info(let text, let isError):
            state.append(isError ? .error : .notice, text)
        case .shellOutput(let entryID, let text):
            guard let index = state.indexOfEntry(entryID), state.entries[index].status == .streaming else { return }
            let shown = state.entries[index].tool?.liveOutput ?? ""
            state.entries[index].tool?.liveOutput = EngineEvent.liveOutputTail(shown + text)
            state.entries[index].revision += 1
        case .shellFinished(let entryID, let output):
            guard let index = state.indexOfEntry(entryID) else { return }
            state.entries[index].tool?.output = output
            state.entries[index].tool?.phase = .done
            state.entries[index].tool?.expanded = true
            state.entries[index].status = output.isError ? .failed : .complete
            state.entries[index].revision += 1
        case .resumeFailed(let message):
            state.append(.notice, message)
        case .approvalArmed(let callID):
            if state.approval?.callID == callID { state.approval?.armed = true }
        case .budget(let level):
            if level != state.meter.budget {
                switch level {
                case .warning(let text): state.append(.notice, text)
                case .exceeded(let text): state.append(.error, text)
                case .ok, .within, .overridden: break
                }
            }
            state.meter.budget = level
        case .budgetReport(let summary, let level):
            reportBudget(&state, summary: summary, level: level)
        case .historyLoaded(let entries):
            state.history = InputHistory(entries: entries + state.history.entries)
        case .themes(let active, let available):
            state.themeName = active
            state.themeNames = available
        case .conversationLoaded(let resumed):
            // The engine's turn, if any, was cancelled by the resume itself.
            state.turn = nil
            state.approval = nil
            state.entries = []
            state.meter = UsageMeter()
            state.meter.sessionCost = resumed.priorCost
            state.meter.session = resumed.priorUsage
            state.olderHistory = resumed.older
            for (index, message) in resumed.messages.enumerated() {
                replay(message, into: &state)
                if resumed.interrupted.contains(index), message.role == .assistant,
                   let last = state.entries.indices.last, state.entries[last].kind == .assistant {
                    state.entries[last].status = .interrupted
                }
            }
        case .olderMessagesLoaded(let page):
            prependOlder(page, into: &state)
        case .rewindPoints, .conversationRewound:
            reduceRewind(&state, action)
        default:
            break
        }
    }

    /// Stores a provider's model list; the active model's details come from it.
    static func setModels(_ state: inout AppState, provider: String, _ listing: ModelListing) {
        if let index = state.providers.firstIndex(where: { $0.name == provider }) {
            state.providers[index].models = listing
        }
        if case .modelPicker(var picker) = state.overlay, picker.followsActive {
            selectActiveRow(&picker, state)
            state.overlay = .modelPicker(picker)
        }
        guard provider == state.provider?.name, case .loaded(let models) = listing else { return }
        if let model = state.provider?.model, let info = models.first(where: { $0.id == model }) {
            state.activeModel = info
        }
    }

    /// A stored message as chat entries (a resumed session).
    static func replay(_ message: ChatMessage, into state: inout AppState) {
        switch message.role {
        case .user: state.append(.user, message.content)
        case .assistant:
            if !message.content.isEmpty { state.append(.assistant, message.content) }
            for call in message.toolCalls {
                state.append(.tool, "", tool: ToolActivity(callID: call.id, name: call.name,
                                                           keyArgument: keyArgument(of: call)))
            }
        case .tool:
            guard let id = message.toolCallID, let index = state.entries.lastIndex(where: { $0.tool?.callID == id }) else { return }
            let isError = message.content.hasPrefix("error:")
            let summary = message.content.split(separator: "\n").first.map(String.init) ?? ""
            state.entries[index].tool?.output = ToolOutput(content: message.content, isError: isError,
                                                           summary: String(summary.prefix(60)))
            state.entries[index].tool?.phase = .done
            state.entries[index].status = isError ? .failed : .complete
        case .system: break
        }
    }

    /// One notice for a `/budget` command: the summary, or the warning (which holds the
    /// summary) or the reached limit when the level just became one.
    static func reportBudget(_ state: inout AppState, summary: String, level: BudgetLevel) {
        let changed = level != state.meter.budget
        state.meter.budget = level
        switch level {
        case .warning(let text) where changed: state.append(.notice, text)
        case .exceeded(let text) where changed: state.append(.error, summary + " " + text)
        default: state.append(.notice, summary)
        }
    }
}
