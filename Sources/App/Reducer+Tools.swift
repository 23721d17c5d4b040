import AgentCore
import FoundationEssentials
import TerminalUI

extension Reducer {
    /// Tool calls, approvals, results and per-request usage of the running turn (the event's
    /// turn was checked by `reduceTurn`).
    static func reduceTool(_ state: inout AppState, _ update: EngineEvent) {
        guard state.turn != nil else { return }
        switch update {
        case .toolCall(_, let call, let preview):
            closeAssistantEntry(&state)
            let activity = ToolActivity(callID: call.id, name: call.name,
                                        keyArgument: preview?.keyArgument ?? keyArgument(of: call),
                                        preview: preview?.detail ?? "")
            state.append(.tool, "", status: .streaming, tool: activity)
        case .approvalNeeded(let id, let callID, let preview):
            updateTool(&state, callID) { $0.phase = .awaitingApproval }
            state.approval = PendingApproval(turn: id, callID: callID, preview: preview)
        case .toolOutput(_, let callID, let text):
            updateTool(&state, callID) { $0.liveOutput = EngineEvent.liveOutputTail($0.liveOutput + text) }
        case .toolResult(_, let callID, let output):
            updateTool(&state, callID) { activity in
                activity.phase = .done
                activity.output = output
            }
            if let index = toolEntryIndex(state, callID) { state.entries[index].status = output.isError ? .failed : .complete }
            if state.approval?.callID == callID { state.approval = nil }
            // The result goes to the model with the next request.
            if let pending = state.turn?.pendingInputTokens {
                state.turn?.pendingInputTokens = pending.saturatingAdding(UsageEstimator.tokens(in: output.content))
            }
        case .compacted(_, let summary):
            // The running turn's compaction: a line in the chat where it happened (D136).
            closeAssistantEntry(&state)
            state.append(.notice, summary.text)
        case .request(_, let record):
            state.meter.turnCost.add(record)
            state.meter.sessionCost.add(record)
            // A retried attempt answered with an error: counted, but the next request's estimate stays.
            if record.usage == TokenUsage(isEstimate: true) { break }
            state.meter.usageSinceLastRequest = false
            state.meter.lastRequest = record.usage
            if let seconds = record.streamingSeconds, seconds > 0 {
                let streamed = state.meter.streamedOutputTokens
                state.meter.streamedOutputTokens = streamed.saturatingAdding(record.usage.outputTokens)
                state.meter.streamingSeconds += seconds
            }
            // The next request starts from this one's context.
            state.turn?.streamedTokens = 0
            state.turn?.requestStreamingSeconds = nil
            state.turn?.stalledSeconds = nil
            state.turn?.pendingInputTokens = 0
        default:
            return
        }
        state.touch()
    }

    /// Keys while an approval is on screen: y, n (then a reason and Enter), a, Esc.
    static func reduceApprovalKey(_ state: inout AppState, _ key: KeyEvent) -> [Effect] {
        guard var approval = state.approval else { return [] }
        if var reason = approval.reason {
            switch key {
            case .enter:
                return answer(&state, approval, .no(reason: reason.text.isEmpty ? nil : reason.text))
            case .escape:
                return answer(&state, approval, .no(reason: nil))
            case .control("c"):
                return stopAsking(&state, approval)
            case .character(let character):
                reason.insert(String(character))
                approval.reason = reason
            default:
                guard let command = Keymap.command(for: key), reason.apply(command) else { return [] }
                approval.reason = reason
            }
        } else {
            switch key {
            case .character("y"), .character("Y"): return answer(&state, approval, .yes)
            case .character("a"), .character("A"):
                // Only when the box offers a rule; never a silent "any call of this tool".
                guard approval.preview.alwaysRule != nil else { return [] }
                return answer(&state, approval, .always)
            case .character("n"), .character("N"): approval.reason = InputLine()
            case .escape: return answer(&state, approval, .no(reason: nil))
            case .control("c"): return stopAsking(&state, approval)
            case .pageDown, .down, .mouseWheelDown:
                approval.scroll = min(approvalMaxScroll(state, approval), approval.scroll + (key == .pageDown ? 10 : 1))
            case .pageUp, .up, .mouseWheelUp: approval.scroll = max(0, approval.scroll - (key == .pageUp ? 10 : 1))
            case .home: approval.scroll = 0
            case .end: approval.scroll = approvalMaxScroll(state, approval)
            default: return []
            }
        }
        state.approval = approval
        state.touch()
        return []
    }

    /// The last useful scroll offset of the approval box at the current screen size, so
    /// scrolling down past the end is not remembered (Up then moves at once).
    private static func approvalMaxScroll(_ state: AppState, _ approval: PendingApproval) -> Int {
        let layout = ScreenLayout(size: state.size, sidebar: state.sidebarShown,
                                  inputRows: InputView.rowsWanted(state, width: state.size.columns))
        return ApprovalView.maxScroll(approval, in: layout.chat, theme: .standard)
    }

    /// Ctrl-C in the box: stops the turn, or declines an external command's `!` expansion.
    private static func stopAsking(_ state: inout AppState, _ approval: PendingApproval) -> [Effect] {
        approval.callID.hasPrefix(commandApprovalPrefix) ? answer(&state, approval, .no(reason: nil)) : cancelTurn(&state)
    }

    private static func answer(_ state: inout AppState, _ approval: PendingApproval,
                               _ answer: ApprovalAnswer) -> [Effect] {
        state.approval = nil
        state.touch()
        if approval.callID.hasPrefix(commandApprovalPrefix) {
            let approved = if case .no = answer { false } else { true }
            if approved { state.append(.notice, "Running !`\(approval.preview.keyArgument)` for the command…") }
            return [.answerCommandApproval(callID: approval.callID, approved: approved)]
        }
        updateTool(&state, approval.callID) { $0.phase = .waiting }
        return [.answer(callID: approval.callID, answer)]
    }

    /// Expands or folds the full output of the newest tool entry on screen, else of the
    /// newest one (Ctrl-O).
    static func toggleLastTool(_ state: inout AppState) {
        let onScreen = state.visibleToolEntryID.flatMap { id in state.entries.lastIndex { $0.id == id && $0.kind == .tool } }
        guard let index = onScreen ?? state.entries.lastIndex(where: { $0.kind == .tool }) else { return }
        state.entries[index].tool?.expanded.toggle()
        state.entries[index].revision += 1
        state.touch()
    }

    /// Marks the calls of a cancelled turn that never got a result as cancelled, so none is
    /// left running; their live output stays (Ctrl-O shows all of it).
    static func cancelUnfinishedTools(_ state: inout AppState) {
        for index in state.entries.indices where state.entries[index].kind == .tool {
            guard var activity = state.entries[index].tool,
                  activity.phase == .waiting || activity.phase == .awaitingApproval else { continue }
            activity.phase = .cancelled
            state.entries[index].tool = activity
            state.entries[index].status = .cancelled
            state.entries[index].revision += 1
        }
    }

    /// Starts a new assistant entry for text that follows tool calls.
    static func openAssistantEntry(_ state: inout AppState) {
        let entryID = state.append(.assistant, "", status: .streaming)
        state.turn?.entryID = entryID
        state.turn?.needsNewEntry = false
    }

    /// Ends the assistant entry before a tool entry (removing it when it got no text).
    private static func closeAssistantEntry(_ state: inout AppState) {
        guard let turn = state.turn, !turn.needsNewEntry else { return }
        if let index = state.indexOfEntry(turn.entryID) {
            if state.entries[index].text.isEmpty {
                state.entries.remove(at: index)
            } else {
                state.entries[index].status = .complete
            }
        }
        state.turn?.needsNewEntry = true
    }

    private static func toolEntryIndex(_ state: AppState, _ callID: String) -> Int? {
        state.entries.lastIndex { $0.tool?.callID == callID }
    }

    private static func updateTool(_ state: inout AppState, _ callID: String, _ change: (inout ToolActivity) -> Void) {
        guard let index = toolEntryIndex(state, callID), var activity = state.entries[index].tool else { return }
        change(&activity)
        state.entries[index].tool = activity
        state.entries[index].revision += 1
    }

    /// The argument that names a call without a preview (one that could not be prepared, or
    /// a resumed session's): its path, command, pattern or glob, else the raw arguments, cut.
    static func keyArgument(of call: ToolCall) -> String {
        struct Named: Decodable {
            var path, command, pattern, glob: String?
        }
        if let named = try? JSONDecoder().decode(Named.self, from: Data(call.arguments.utf8)),
           let key = named.command ?? named.path ?? named.pattern ?? named.glob {
            return key
        }
        let flat = String(call.arguments.map { $0.isNewline ? " " : $0 })
        return flat.count > 60 ? String(flat.prefix(59)) + "…" : flat
    }
}
