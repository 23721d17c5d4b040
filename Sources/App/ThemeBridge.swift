import TerminalUI

// Temporary until the theme roles land: the selection style.
extension Theme {
    var selection: Style { Style(attributes: .reverse) }
}
