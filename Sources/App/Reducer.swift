import AgentCore
import TerminalUI

/// The app's only state transition: synchronous, no I/O. Effects run outside and come
/// back as actions.
public enum Reducer {
    /// Applies `action` to `state` and returns the effects to run.
    public static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case .key(let key):
            return reduceKey(&state, key)
        case .resize(let size):
            guard size != state.size else { return [] }
            state.size = size
            state.touch()
            return []
        case .turn(let update):
            reduceTurn(&state, update)
            return []
        case .connection(let status):
            guard state.provider != nil, state.provider?.connection != status else { return [] }
            state.provider?.connection = status
            state.touch()
            return []
        case .modelsListed(let models):
            guard state.provider != nil else { return [] }
            state.provider?.connection = .online(modelCount: models.count)
            if state.provider?.model == nil { state.provider?.model = models.first?.id }
            state.touch()
            return []
        case .providerChanged(let provider, let notice):
            state.provider = provider
            if let notice { state.notices.append(notice) }
            state.touch()
            return []
        case .quitRequested:
            return quit(&state)
        }
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

    /// Starts a turn for the text in the input line.
    static func submit(_ state: inout AppState) -> [Effect] {
        let prompt = state.input.text
        guard !prompt.allSatisfy(\.isWhitespace) else { return [] }
        guard state.turn == nil else { return [] }
        state.input = InputLine()
        state.scrollOffset = 0
        state.append(.user, prompt)
        guard let provider = state.provider else {
            state.append(.error, "No provider is configured, so nothing was sent. See the setup steps above.")
            state.touch()
            return []
        }
        guard let model = provider.model else {
            state.append(.error, "Provider \"\(provider.name)\" has no model: set \"model\" in its config entry, "
                + "or wait until its model list arrives.")
            state.touch()
            return []
        }
        let turnID = state.nextTurnID
        state.nextTurnID += 1
        let entryID = state.append(.assistant, "", status: .streaming)
        state.turn = RunningTurn(id: turnID, entryID: entryID)
        state.meter.lastTurn = nil
        state.meter.tokensPerSecond = nil
        state.meter.turnRequests = []
        state.touch()
        return [.submit(turn: turnID, prompt: prompt, model: model)]
    }

    /// Stops the running turn at once; its partial text stays, marked cancelled.
    static func cancelTurn(_ state: inout AppState) -> [Effect] {
        guard let turn = state.turn else { return [] }
        finishEntry(&state, turn, status: .cancelled)
        return [.cancel(turn: turn.id)]
    }

    static func finishEntry(_ state: inout AppState, _ turn: RunningTurn, status: ChatEntry.Status) {
        if let index = state.indexOfEntry(turn.entryID) {
            state.entries[index].status = status
            // The empty entry opened for text that never came (the turn ended after tools).
            if status == .complete && state.entries[index].text.isEmpty { state.entries.remove(at: index) }
        }
        if let usage = state.meter.lastTurn { state.meter.session = state.meter.session + usage }
        state.turn = nil
        state.approval = nil
        state.touch()
    }

    static func reduceTurn(_ state: inout AppState, _ update: TurnUpdate) {
        guard let turn = state.turn else { return }
        switch update {
        case .text(let id, let delta):
            guard id == turn.id, !delta.isEmpty else { return }
            if turn.needsNewEntry { openAssistantEntry(&state) }
            guard let turn = state.turn, let index = state.indexOfEntry(turn.entryID) else { return }
            state.entries[index].text += delta
            state.turn?.firstTokenSeen = true
            state.turn?.notice = nil
            state.touch()
        case .reasoning(let id, _):
            guard id == turn.id else { return }
        case .notice(let id, let text):
            guard id == turn.id else { return }
            state.turn?.notice = text
            state.touch()
        case .usage(let id, let usage):
            guard id == turn.id else { return }
            state.meter.lastTurn = usage
            state.touch()
        case .finished(let id, let reason, let elapsed):
            guard id == turn.id else { return }
            if let elapsed, elapsed > 0, let output = state.meter.lastTurn?.outputTokens, output > 0 {
                state.meter.tokensPerSecond = Double(output) / elapsed
            }
            finishEntry(&state, turn, status: .complete)
            if reason == .length { state.append(.notice, "The reply was cut off at the model's output limit.") }
        case .failed(let id, let message):
            guard id == turn.id else { return }
            finishEntry(&state, turn, status: .failed)
            if let index = state.indexOfEntry(turn.entryID), state.entries[index].text.isEmpty {
                state.entries.remove(at: index)
            }
            state.append(.error, message)
        case .cancelled(let id):
            guard id == turn.id else { return }
            finishEntry(&state, turn, status: .cancelled)
        case .toolCall, .approvalNeeded, .toolResult, .request:
            reduceTool(&state, update)
        }
    }
}
