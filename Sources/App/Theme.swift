import TerminalUI

/// The semantic roles a theme assigns a style to. The first seventeen are required in a
/// theme file; `meter` and `input` are optional and default to reversed text and text.
public enum ThemeRole: String, Sendable, Hashable, CaseIterable {
    /// Each case names the `Theme` property of the same name (and the key in a theme file).
    case text, muted, accent, border, selection, user, assistant, tool, error, warning, success
    case diffAdded, diffRemoved, codeBackground, meterOk, meterWarn, meterOver
    case meter, input

    /// Roles every theme file must define.
    public static let required: [ThemeRole] = allCases.filter { $0 != .meter && $0 != .input }
}

/// Semantic styles the views draw with, resolved for the terminal's colour depth.
///
/// Built from a theme file (`themes/*.json`, see `ThemeLoader` and `ThemeCatalog`).
public struct Theme: Sendable, Hashable {
    /// The theme's name (its file name without `.json`).
    public var name: String
    /// Body text.
    public var text: Style
    /// Secondary text: hints, metadata, URLs.
    public var muted: Style
    /// Headings, markers and highlights.
    public var accent: Style
    /// Rules and separators.
    public var border: Style
    /// A highlighted item in a list or picker.
    public var selection: Style
    /// The user's messages (their marker).
    public var user: Style
    /// The assistant's text.
    public var assistant: Style
    /// Tool calls and their output.
    public var tool: Style
    /// Errors.
    public var error: Style
    /// Warnings and notices.
    public var warning: Style
    /// Success (online, done).
    public var success: Style
    /// Added lines of a diff.
    public var diffAdded: Style
    /// Removed lines of a diff.
    public var diffRemoved: Style
    /// Code blocks and inline code: foreground and the block's background.
    public var codeBackground: Style
    /// The meter's usage within a budget (below 80% of it).
    public var meterOk: Style
    /// The meter's usage from 80% of a budget.
    public var meterWarn: Style
    /// The meter's usage at or over a budget (also while overridden).
    public var meterOver: Style
    /// The usage meter line.
    public var meter: Style
    /// The text being typed.
    public var input: Style

    /// A theme with every role set to `style` (a starting point for `set(_:_:)`).
    public init(name: String, uniform style: Style = .plain) {
        self.name = name
        text = style; muted = style; accent = style; border = style; selection = style
        user = style; assistant = style; tool = style; error = style; warning = style; success = style
        diffAdded = style; diffRemoved = style; codeBackground = style
        meterOk = style; meterWarn = style; meterOver = style; meter = style; input = style
    }

    /// The style of `role`.
    public func style(_ role: ThemeRole) -> Style {
        switch role {
        case .text: text
        case .muted: muted
        case .accent: accent
        case .border: border
        case .selection: selection
        case .user: user
        case .assistant: assistant
        case .tool: tool
        case .error: error
        case .warning: warning
        case .success: success
        case .diffAdded: diffAdded
        case .diffRemoved: diffRemoved
        case .codeBackground: codeBackground
        case .meterOk: meterOk
        case .meterWarn: meterWarn
        case .meterOver: meterOver
        case .meter: meter
        case .input: input
        }
    }

    /// Sets the style of `role`.
    public mutating func set(_ role: ThemeRole, _ style: Style) {
        switch role {
        case .text: text = style
        case .muted: muted = style
        case .accent: accent = style
        case .border: border = style
        case .selection: selection = style
        case .user: user = style
        case .assistant: assistant = style
        case .tool: tool = style
        case .error: error = style
        case .warning: warning = style
        case .success: success = style
        case .diffAdded: diffAdded = style
        case .diffRemoved: diffRemoved = style
        case .codeBackground: codeBackground = style
        case .meterOk: meterOk = style
        case .meterWarn: meterWarn = style
        case .meterOver: meterOver = style
        case .meter: meter = style
        case .input: input = style
        }
    }

    /// The default theme (`default-dark`) for a 256-colour terminal.
    public static let standard: Theme = ThemeCatalog().load(ThemeCatalog.defaultName, depth: .xterm256).theme

    /// A theme needing no file and no colours beyond the 16 ANSI ones: the last resort if
    /// even the embedded default could not be read (a test makes sure it can).
    public static let fallback: Theme = {
        var theme = Theme(name: "fallback")
        theme.muted = Style(foreground: .brightBlack)
        theme.accent = Style(foreground: .cyan, attributes: .bold)
        theme.border = Style(foreground: .brightBlack)
        theme.selection = Style(attributes: .reverse)
        theme.user = Style(foreground: .cyan, attributes: .bold)
        theme.tool = Style(foreground: .magenta)
        theme.error = Style(foreground: .red, attributes: .bold)
        theme.warning = Style(foreground: .yellow)
        theme.success = Style(foreground: .green)
        theme.diffAdded = Style(foreground: .green)
        theme.diffRemoved = Style(foreground: .red)
        theme.codeBackground = Style(foreground: .yellow)
        theme.meterOk = Style(foreground: .green)
        theme.meterWarn = Style(foreground: .yellow)
        theme.meterOver = Style(foreground: .red, attributes: .bold)
        theme.meter = Style(attributes: .reverse)
        return theme
    }()
}
