import TerminalUI

/// What a key does in the main view. The help overlay is generated from `Keymap.bindings`,
/// so it can never disagree with what the keys do.
public enum Command: Sendable, Hashable {
    case submit, newline, cancel, interrupt, quitIfEmpty
    case pageUp, pageDown, lineUp, lineDown, followTail
    case historyPrevious, historyNext, complete
    case openModelPicker, openHelp, toggleSidebar, refreshModels, toggleToolOutput, toggleReasoning
    case left, right, wordLeft, wordRight, lineStart, lineEnd
    case deleteBackward, deleteForward, deleteWordBackward, deleteWordForward, killToEnd, killToStart
}

/// One binding: the keys, how help names them, what they do, and the help section.
public struct KeyBinding: Sendable, Hashable {
    public var keys: [KeyEvent]
    public var label: String
    public var help: String
    public var command: Command
    public var section: String
}

/// The main view's key bindings.
public enum Keymap {
    public static let bindings: [KeyBinding] = [
        bind([.enter], "Enter", "send the message (queued while a reply streams)", .submit, "Chat"),
        bind([.altEnter, .control("j")], "Alt-Enter, Ctrl-J", "insert a newline", .newline, "Chat"),
        bind([.escape], "Esc", "cancel the reply, tool or !command in flight", .cancel, "Chat"),
        bind([.control("c")], "Ctrl-C", "cancel a turn or !command; twice quits when idle", .interrupt, "Chat"),
        bind([.control("d")], "Ctrl-D", "quit (on an empty input)", .quitIfEmpty, "Chat"),
        bind([.tab], "Tab", "complete a /command", .complete, "Chat"),
        bind([.up], "Up", "previous line, or previous message from history", .historyPrevious, "Chat"),
        bind([.down], "Down", "next line, or next message from history", .historyNext, "Chat"),
        bind([.control("p")], "Ctrl-P", "pick a model from every provider", .openModelPicker, "Panels"),
        bind([.function(1)], "F1, ? (empty input)", "this help", .openHelp, "Panels"),
        bind([.function(2), .alt("s")], "F2, Alt-S", "show or hide the sidebar", .toggleSidebar, "Panels"),
        bind([.function(5), .control("r")], "F5, Ctrl-R", "refresh the model lists", .refreshModels, "Panels"),
        bind([.control("o")], "Ctrl-O", "expand or fold the newest tool call on screen", .toggleToolOutput, "Panels"),
        bind([.control("t")], "Ctrl-T", "show or fold the model's reasoning", .toggleReasoning, "Panels"),
        bind([.pageUp], "PgUp", "scroll up a page (stops following new text)", .pageUp, "Scrolling"),
        bind([.pageDown], "PgDn", "scroll down a page", .pageDown, "Scrolling"),
        bind([.mouseWheelUp], "Wheel up", "scroll up", .lineUp, "Scrolling"),
        bind([.mouseWheelDown], "Wheel down", "scroll down", .lineDown, "Scrolling"),
        bind([.end], "End", "follow new text again (when scrolled; else end of line)", .followTail, "Scrolling"),
        bind([.left, .control("b")], "Left, Ctrl-B", "back a character", .left, "Editing"),
        bind([.right, .control("f")], "Right, Ctrl-F", "forward a character", .right, "Editing"),
        bind([.alt("b")], "Alt-B", "back a word", .wordLeft, "Editing"),
        bind([.alt("f")], "Alt-F", "forward a word", .wordRight, "Editing"),
        bind([.home, .control("a")], "Home, Ctrl-A", "start of line", .lineStart, "Editing"),
        bind([.control("e")], "Ctrl-E", "end of line", .lineEnd, "Editing"),
        bind([.backspace, .control("h")], "Backspace", "delete back", .deleteBackward, "Editing"),
        bind([.delete], "Delete", "delete forward", .deleteForward, "Editing"),
        bind([.control("w")], "Ctrl-W", "delete the word before", .deleteWordBackward, "Editing"),
        bind([.alt("d")], "Alt-D", "delete the word after", .deleteWordForward, "Editing"),
        bind([.control("k")], "Ctrl-K", "delete to end of line", .killToEnd, "Editing"),
        bind([.control("u")], "Ctrl-U", "delete to start of line", .killToStart, "Editing"),
    ]

    private static let table: [KeyEvent: Command] = {
        var table: [KeyEvent: Command] = [:]
        for binding in bindings { for key in binding.keys { table[key] = binding.command } }
        return table
    }()

    /// The command bound to `key`, if any.
    public static func command(for key: KeyEvent) -> Command? { table[key] }

    /// Help lines: each section's bindings, `label  help`.
    public static var helpLines: [(section: String, label: String, help: String)] {
        bindings.map { ($0.section, $0.label, $0.help) }
    }

    private static func bind(_ keys: [KeyEvent], _ label: String, _ help: String, _ command: Command,
                             _ section: String) -> KeyBinding {
        KeyBinding(keys: keys, label: label, help: help, command: command, section: section)
    }
}
