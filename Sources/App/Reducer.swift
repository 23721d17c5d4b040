import AgentCore
import TerminalUI

/// The app's only state transition: synchronous, no I/O. Effects run outside and come
/// back as actions.
public enum Reducer {
    /// How long a first Ctrl-C when idle waits for the second one.
    public static let quitArmWindow = Duration.seconds(2)

    /// Applies `action` to `state` and returns the effects to run.
    public static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case .key(let key):
            return reduceKey(&state, key)
        case .resize(let size):
            guard size != state.size else { return [] }
            state.size = size
        case .turn(let update):
            return reduceTurn(&state, update)
        case .connection(let status):
            guard state.provider != nil, state.provider?.connection != status else { return [] }
            state.provider?.connection = status
        case .modelsListed(let models):
            guard let provider = state.provider else { return [] }
            state.provider?.connection = .online(modelCount: models.count)
            if provider.model == nil { state.provider?.model = models.preferredChatModel?.id }
            setModels(&state, provider: provider.name, .loaded(models))
        case .providerChanged(let provider, let notice):
            state.provider = provider
            state.activeModel = nil
            if let notice { state.notices.append(notice) }
        case .quitRequested:
            return quit(&state)
        case .quitDisarmed(let arm):
            guard state.quitArmed == arm else { return [] }
            state.quitArmed = nil
        case .frameDrawn(let scrollLimit, let visibleToolEntryID):
            state.scrollLimit = scrollLimit
            state.visibleToolEntryID = visibleToolEntryID
            return [] // nothing to draw: the frame that reported these is on screen
        case .notices(let notices):
            state.notices += notices
        case .activeModel(let model):
            state.activeModel = model
        case .redraw:
            break
        case .modelPrefsLoaded(let prefs):
            state.modelPrefs = prefs
            state.touch()
        case .mcpServers(let servers):
            state.mcpServers = servers
            state.touch()
        case .streamProgress(let turn, let seconds):
            guard state.turn?.id == turn else { return [] }
            state.turn?.requestStreamingSeconds = seconds
            state.turn?.stalledSeconds = nil
            state.touch()
        case .streamStalled(let turn, let seconds):
            guard state.turn?.id == turn, state.turn?.stalledSeconds != seconds else { return [] }
            state.turn?.stalledSeconds = seconds
            state.touch()
        case .externalCommandsLoaded(let commands, let problems):
            loadExternalCommands(&state, commands, problems: problems)
        case .commandApprovalNeeded(let callID, let preview):
            askCommandApproval(&state, callID: callID, preview: preview)
        case .externalCommandExpanded(let expanded):
            return submitExpanded(&state, expanded)
        case .attachmentFailed(let message, let reason):
            attachmentFailed(&state, message: message, reason: reason)
        case .externalCommandNotSent(let reason):
            return externalCommandNotSent(&state, reason: reason)
        case .conversationLoaded, .resumeFailed:
            reducePanels(&state, action)
            state.resuming = false
            state.touch()
            return sendNextQueued(&state)
        default:
            reducePanels(&state, action)
        }
        state.touch()
        return []
    }

    static func quit(_ state: inout AppState) -> [Effect] {
        state.shouldQuit = true
        state.touch()
        var effects: [Effect] = []
        if let turn = state.turn { effects.append(.cancel(turn: turn.id)) }
        effects.append(.quit)
        return effects
    }

    // MARK: Turns

    /// Starts a turn for `prompt` (already taken from the input).
    static func submit(_ state: inout AppState, prompt: String, model override: String? = nil) -> [Effect] {
        guard state.turn == nil else { return [] }
        state.scrollOffset = 0
        state.append(.user, prompt)
        state.touch()
        guard let provider = state.provider else {
            state.append(.error, "No provider is configured, so nothing was sent. See the setup steps above.")
            return []
        }
        guard let model = override ?? provider.model else {
            state.append(.error, "Provider \"\(provider.name)\" has no model: set \"model\" in its config entry, "
                + "or wait until its model list arrives.")
            return []
        }
        let turnID = state.nextTurnID
        state.nextTurnID += 1
        let entryID = state.append(.assistant, "", status: .streaming)
        state.turn = RunningTurn(id: turnID, entryID: entryID, pendingInputTokens: UsageEstimator.tokens(in: prompt))
        state.meter.lastTurn = nil
        state.meter.streamedOutputTokens = 0
        state.meter.streamingSeconds = 0
        state.meter.firstTokenSeconds = nil
        state.meter.turnCost = CostTotal()
        state.meter.usageSinceLastRequest = false
        state.meter.lastCompaction = nil
        return [.submit(turn: turnID, prompt: prompt, model: model)]
    }

    /// Stops the running turn at once; its partial text stays, marked cancelled. Queued
    /// messages go back to the input line for editing.
    static func cancelTurn(_ state: inout AppState) -> [Effect] {
        guard let turn = state.turn else { return [] }
        finishEntry(&state, turn, status: .cancelled)
        restoreQueued(&state)
        return [.cancel(turn: turn.id)]
    }

    static func finishEntry(_ state: inout AppState, _ turn: RunningTurn, status: ChatEntry.Status) {
        if status == .cancelled {
            // The usage shown for the turn covers the unfinished request once the server reported it.
            state.meter.cancelledTurn = turn.id
            state.meter.cancelledRequestCounted = state.meter.usageSinceLastRequest
            cancelUnfinishedTools(&state)
        }
        // After a tool call the assistant entry was closed: the mark belongs to the tool, not to it.
        if !turn.needsNewEntry, let index = state.indexOfEntry(turn.entryID) {
            state.entries[index].status = status
            // The empty entry opened for text that never came (the turn ended after tools).
            if status == .complete && state.entries[index].text.isEmpty { state.entries.remove(at: index) }
        }
        if let usage = state.meter.lastTurn { state.meter.session = state.meter.session + usage }
        state.turn = nil
        state.approval = nil
        state.touch()
    }

    /// After a cancel or failure: the first queued message goes back to an empty input line
    /// for editing; the others stay queued, each its own message, sent in order after it
    /// (never merged into one: issue 14, bug 20). A line being typed is left alone.
    private static func restoreQueued(_ state: inout AppState) {
        guard !state.queued.isEmpty, state.input.text.isEmpty else { return }
        state.input = InputLine(text: state.queued.removeFirst())
    }

    static func reduceTurn(_ state: inout AppState, _ update: EngineEvent) -> [Effect] {
        // The conversation's figures, whatever turn they came with (D135, D136).
        switch update {
        case .context(_, let figure):
            state.meter.context = figure
            state.touch()
            return []
        case .compacted(_, let summary):
            state.meter.lastCompaction = summary
            state.touch()
        default:
            break
        }
        if case .request(let id, let record) = update, id == state.meter.cancelledTurn, id != state.turn?.id {
            countLateRequest(&state, record)
            return []
        }
        // The one place turn ids are filtered: events of a turn no longer shown are dropped.
        guard let turn = state.turn, update.turn == turn.id else { return [] }
        switch update {
        case .text(_, let delta, let streamedTokens):
            guard !delta.isEmpty else { return [] }
            if turn.needsNewEntry { openAssistantEntry(&state) }
            guard let turn = state.turn, let index = state.indexOfEntry(turn.entryID) else { return [] }
            state.entries[index].text += delta
            state.turn?.firstTokenSeen = true
            state.turn?.streamedTokens = streamedTokens
            state.turn?.notice = nil
        case .reasoning(_, let delta, let streamedTokens):
            guard !delta.isEmpty else { return [] }
            if turn.needsNewEntry { openAssistantEntry(&state) }
            guard let turn = state.turn, let index = state.indexOfEntry(turn.entryID) else { return [] }
            state.entries[index].reasoning += delta
            state.entries[index].revision += 1
            state.turn?.firstTokenSeen = true
            state.turn?.streamedTokens = streamedTokens
        case .toolCallStreaming(_, let streamedTokens):
            state.turn?.streamedTokens = streamedTokens
        case .firstToken(_, let seconds):
            state.turn?.firstTokenSeconds = seconds
            state.meter.firstTokenSeconds = seconds
        case .notice(_, let text):
            state.turn?.notice = text
        case .usage(_, let usage):
            state.meter.lastTurn = usage
            state.meter.usageSinceLastRequest = true
            // The server's figure replaces the estimate of what this request streamed.
            state.turn?.streamedTokens = 0
            state.turn?.requestStreamingSeconds = nil
            state.turn?.stalledSeconds = nil
        case .finished(_, let reason, _):
            finishEntry(&state, turn, status: .complete)
            if reason == .length { state.append(.notice, "The reply was cut off at the model's output limit.") }
            return sendNextQueued(&state)
        case .failed(_, let error):
            failTurn(&state, turn, message: error.description)
        case .refused(_, let message):
            failTurn(&state, turn, message: message)
        case .cancelled:
            finishEntry(&state, turn, status: .cancelled)
            restoreQueued(&state)
        case .toolCall, .approvalNeeded, .toolResult, .toolOutput, .request, .compacted:
            reduceTool(&state, update)
        case .context:
            break
        }
        state.touch()
        return []
    }

    /// The turn ended with an error: the partial reply stays (an empty one goes), the
    /// message follows, queued messages go back to the input line.
    private static func failTurn(_ state: inout AppState, _ turn: RunningTurn, message: String) {
        finishEntry(&state, turn, status: .failed)
        if let index = state.indexOfEntry(turn.entryID), state.entries[index].text.isEmpty {
            state.entries.remove(at: index)
        }
        state.append(.error, message)
        restoreQueued(&state)
    }

    /// A request of the cancelled turn that ended after the cancel: it cost money, so the
    /// session's (and, while no other turn runs, the turn's) figures include it, its tokens
    /// only when they were not counted from its usage already.
    private static func countLateRequest(_ state: inout AppState, _ record: UsageRecord) {
        state.meter.sessionCost.add(record)
        if state.turn == nil {
            state.meter.turnCost.add(record)
            state.meter.lastRequest = record.usage
        }
        if !state.meter.cancelledRequestCounted {
            state.meter.session = state.meter.session + record.usage
            if state.turn == nil { state.meter.lastTurn = (state.meter.lastTurn ?? TokenUsage()) + record.usage }
            state.meter.cancelledRequestCounted = true
        }
        state.touch()
    }

    static func sendNextQueued(_ state: inout AppState) -> [Effect] {
        guard !state.queued.isEmpty, !state.isBusy else { return [] }
        let next = state.queued.removeFirst()
        return send(&state, message: next)
    }
}
