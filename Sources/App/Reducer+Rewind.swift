import AgentCore

extension Reducer {
    /// `/undo`: the last turn's file changes are reverted by the runtime; never during a turn.
    static func undoFiles(_ state: inout AppState) -> [Effect] {
        guard state.turn == nil else {
            state.append(.notice, "/undo waits for the running turn: press Esc to stop it, or try again when it ends")
            return []
        }
        state.append(.notice, "Undoing the last turn's file changes…")
        return [.undoFiles]
    }

    /// `/rewind`: asks for the points; the picker opens when they arrive.
    static func openRewind(_ state: inout AppState) -> [Effect] {
        guard state.turn == nil else {
            state.append(.notice, "/rewind waits for the running turn: press Esc to stop it, or try again when it ends")
            return []
        }
        return [.listRewindPoints]
    }

    /// The picker chose `point` and `scope`.
    static func rewind(_ state: inout AppState, to point: RewindPoint, _ scope: RewindScope) -> [Effect] {
        guard state.turn == nil else {
            state.append(.notice, "/rewind waits for the running turn")
            return []
        }
        state.append(.notice, "Rewinding (\(scope.rawValue))…")
        return [.rewind(point, scope)]
    }

    /// `/rewind`'s answers: the picker's rows, and the conversation after a rewind.
    static func reduceRewind(_ state: inout AppState, _ action: Action) {
        switch action {
        case .rewindPoints(let points):
            if points.isEmpty {
                state.append(.notice, "Nothing to rewind to yet: no message of this session is saved.")
            } else {
                state.removeLayers(RewindLayer.self)
                state.push(RewindLayer(points: points))
            }
        case .conversationRewound(let messages, let prompt, let report):
            state.entries = []
            state.olderHistory = nil
            state.scrollOffset = 0
            for message in messages { replay(message, into: &state) }
            state.append(.notice, report)
            state.input = InputLine(text: prompt)
        default:
            break
        }
    }
}
