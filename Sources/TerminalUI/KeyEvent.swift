/// A key press or terminal event, decoded by the backend.
public enum KeyEvent: Sendable, Hashable {
    /// A printable character (already composed: CJK and emoji arrive whole).
    case character(Character)
    /// Ctrl plus a letter, lowercased (`ctrl("c")` is Ctrl-C).
    case control(Character)
    /// Alt (Meta) plus a character.
    case alt(Character)
    case enter, altEnter, tab, backTab, backspace, delete, escape
    case up, down, left, right, home, end, pageUp, pageDown
    case function(Int)
    case mouseWheelUp, mouseWheelDown
    /// Text pasted as a whole (bracketed paste).
    case paste(String)
    /// A key the backend could not name (its raw code).
    case unknown(Int32)
}
