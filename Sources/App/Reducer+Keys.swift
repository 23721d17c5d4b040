import FoundationEssentials
import TerminalUI

extension Reducer {
    /// Pastes longer than this many lines become a `[pasted N lines]` chip.
    static let pasteChipLines = 8

    /// Keys: the overlay layers first (top down), then the keymap; unbound printable keys
    /// are typed.
    static func reduceKey(_ state: inout AppState, _ key: KeyEvent) -> [Effect] {
        if state.quitArmed != nil, key != .control("c") {
            state.quitArmed = nil
            state.touch()
        }
        if let effects = routeKeyThroughLayers(&state, key) { return effects }
        switch key {
        case .character("?") where state.input.text.isEmpty:
            state.overlay = .help(scroll: 0)
        case .character(let character):
            state.input.insert(String(character))
        case .paste(let text):
            paste(&state, text)
        default:
            guard let command = Keymap.command(for: key) else { return [] }
            return perform(command, &state)
        }
        state.touch()
        return []
    }

    /// The entry of the newest `!` command still running, when no turn is (a turn's Esc goes
    /// to the turn).
    static func runningShell(_ state: AppState) -> Int? {
        guard state.turn == nil else { return nil }
        return state.entries.last { $0.tool?.name == "!" && $0.status == .streaming }?.id
    }

    /// Runs a keymap command in the main view.
    static func perform(_ command: Command, _ state: inout AppState) -> [Effect] {
        switch command {
        case .submit: return submitInput(&state)
        case .cancel:
            if let shell = runningShell(state) { return [.cancelShell(entryID: shell)] }
            if state.turn == nil, state.expandingCommand != nil { return [.cancelExternalCommand] }
            return cancelTurn(&state)
        case .interrupt:
            // A `!` command or a command's expansion stops; neither takes the app with it.
            if let shell = runningShell(state) { return [.cancelShell(entryID: shell)] }
            if state.turn == nil, state.expandingCommand != nil { return [.cancelExternalCommand] }
            return state.turn != nil ? cancelTurn(&state) : armOrQuit(&state)
        case .quitIfEmpty:
            if state.input.text.isEmpty { return quit(&state) }
            state.input.deleteForward()
        case .pageUp, .lineUp:
            let effects = scrollUp(&state, by: command == .pageUp ? pageSize(state) : 3)
            state.touch()
            return effects
        case .pageDown: scroll(&state, by: -pageSize(state))
        case .lineDown: scroll(&state, by: -3)
        case .followTail:
            if state.scrollOffset > 0 { state.scrollOffset = 0 } else { _ = state.input.apply(.lineEnd) }
        case .historyPrevious:
            if !state.input.moveUp(), let text = state.history.previous(current: state.input.text) {
                state.input = InputLine(text: text)
            }
        case .historyNext:
            if !state.input.moveDown(), let text = state.history.next() { state.input = InputLine(text: text) }
        case .complete: completeSlashCommand(&state)
        case .openModelPicker: return openModelPicker(&state)
        case .openHelp: state.overlay = .help(scroll: 0)
        case .toggleSidebar: state.sidebarShown = !(state.sidebarShown ?? ScreenLayout.showsSidebarByDefault(state.size))
        case .refreshModels: return refreshModels(&state)
        case .toggleToolOutput: toggleLastTool(&state)
        case .toggleReasoning: toggleReasoning(&state)
        default:
            guard state.input.apply(command) else { return [] }
        }
        state.touch()
        return []
    }

    /// Ctrl-C when idle: the first press arms quitting (the input line says so), a second
    /// within `quitArmWindow` quits.
    static func armOrQuit(_ state: inout AppState) -> [Effect] {
        if state.quitArmed != nil { return quit(&state) }
        let arm = state.nextQuitArm
        state.nextQuitArm += 1
        state.quitArmed = arm
        state.touch()
        return [.disarmQuit(arm: arm)]
    }

    /// A paste is typed as is (newlines never send); a long one becomes a chip that
    /// expands when the message is sent.
    static func paste(_ state: inout AppState, _ text: String) {
        let normalized = String(text.map { $0 == "\r\n" || $0 == "\r" ? "\n" : $0 })
        let lines = pastedLineCount(normalized)
        guard lines > pasteChipLines else {
            state.input.insert(normalized)
            return
        }
        state.pastes.append(normalized)
        state.input.insert(pasteChip(index: state.pastes.count, lines: lines))
    }

    static func pasteChip(index: Int, lines: Int) -> String { "[pasted \(lines) lines #\(index)]" }

    /// The lines of a paste as its author counts them: a final newline ends the last line
    /// rather than starting one more (20 lines copied from an editor end with a newline).
    static func pastedLineCount(_ text: String) -> Int {
        let pieces = text.split(separator: "\n", omittingEmptySubsequences: false).count
        return text.hasSuffix("\n") ? pieces - 1 : pieces
    }

    /// The message text with paste chips replaced by what was pasted.
    static func expandPastes(_ text: String, pastes: [String]) -> String {
        var result = text
        for (offset, pasted) in pastes.enumerated() {
            let chip = pasteChip(index: offset + 1, lines: pastedLineCount(pasted))
            if let range = firstRange(of: chip, in: result) { result.replaceSubrange(range, with: pasted) }
        }
        return result
    }

    /// Ctrl-T: shows or folds the reasoning of every reply (folded, each is one line).
    static func toggleReasoning(_ state: inout AppState) {
        let expand = !(state.entries.last { !$0.reasoning.isEmpty }?.reasoningExpanded ?? false)
        for index in state.entries.indices where !state.entries[index].reasoning.isEmpty {
            state.entries[index].reasoningExpanded = expand
            state.entries[index].revision += 1
        }
    }

    static func pageSize(_ state: AppState) -> Int {
        ScreenLayout(for: state).pageLines
    }

    /// Scrolls by `lines` (positive is up), never past the top when the last frame knew it.
    static func scroll(_ state: inout AppState, by lines: Int) {
        let limit = state.scrollLimit ?? Int.max
        state.scrollOffset = min(max(0, min(state.scrollOffset, limit) + lines), limit)
    }
}

/// Where `needle` first occurs in `text`.
func firstRange(of needle: String, in text: String) -> Range<String.Index>? {
    guard !needle.isEmpty else { return nil }
    var start = text.startIndex
    while start < text.endIndex {
        if text[start...].hasPrefix(needle) {
            return start..<text.index(start, offsetBy: needle.count)
        }
        start = text.index(after: start)
    }
    return nil
}
