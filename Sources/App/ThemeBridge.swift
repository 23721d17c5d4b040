import TerminalUI

// Temporary until the theme roles land: the selection style.
extension Theme {
    var selection: Style { Style(attributes: .reverse) }
    var meterWarn: Style { Style(foreground: .black, background: .yellow) }
    var meterOver: Style { Style(foreground: .white, background: .red, attributes: .bold) }
}
