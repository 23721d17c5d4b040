import TerminalUI

extension Reducer {
    /// Keys: editing the input line, sending, cancelling, scrolling and quitting.
    static func reduceKey(_ state: inout AppState, _ key: KeyEvent) -> [Effect] {
        if state.approval != nil { return reduceApprovalKey(&state, key) }
        switch key {
        case .control("o"):
            toggleLastTool(&state)
            return []
        case .enter:
            return submit(&state)
        case .escape:
            return cancelTurn(&state)
        case .control("c"):
            return state.turn != nil ? cancelTurn(&state) : quit(&state)
        case .control("d"):
            if state.input.text.isEmpty { return quit(&state) }
            state.input.deleteForward()
        case .pageUp, .mouseWheelUp:
            scroll(&state, by: key == .pageUp ? pageSize(state) : 3)
        case .pageDown, .mouseWheelDown:
            scroll(&state, by: -(key == .pageDown ? pageSize(state) : 3))
        case .paste(let text):
            state.input.insert(String(text.map { $0 == "\r\n" || $0 == "\r" ? "\n" : $0 }))
        default:
            guard state.input.edit(key) else { return [] }
        }
        state.touch()
        return []
    }

    private static func pageSize(_ state: AppState) -> Int {
        max(1, state.size.rows - 4)
    }

    private static func scroll(_ state: inout AppState, by lines: Int) {
        state.scrollOffset = max(0, state.scrollOffset + lines)
    }
}

extension InputLine {
    /// Applies an editing key; returns false when the key is not an editing key.
    mutating func edit(_ key: KeyEvent) -> Bool {
        switch key {
        case .character(let character): insert(String(character))
        case .altEnter, .control("j"): insert("\n")
        case .backspace, .control("h"): deleteBackward()
        case .delete: deleteForward()
        case .left, .control("b"): cursor = max(0, cursor - 1)
        case .right, .control("f"): cursor = min(text.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = text.count
        case .control("u"): text.removeSubrange(text.startIndex..<index(cursor)); cursor = 0
        case .control("k"): text.removeSubrange(index(cursor)...)
        case .control("w"): deleteWordBackward()
        default: return false
        }
        return true
    }

    private func index(_ offset: Int) -> String.Index {
        text.index(text.startIndex, offsetBy: offset)
    }

    /// Inserts text at the cursor.
    mutating func insert(_ fragment: String) {
        text.insert(contentsOf: fragment, at: index(cursor))
        cursor += fragment.count
    }

    mutating func deleteBackward() {
        guard cursor > 0 else { return }
        text.remove(at: index(cursor - 1))
        cursor -= 1
    }

    mutating func deleteForward() {
        guard cursor < text.count else { return }
        text.remove(at: index(cursor))
    }

    private mutating func deleteWordBackward() {
        var start = cursor
        let characters = Array(text)
        while start > 0 && characters[start - 1] == " " { start -= 1 }
        while start > 0 && characters[start - 1] != " " { start -= 1 }
        text.removeSubrange(index(start)..<index(cursor))
        cursor = start
    }
}
