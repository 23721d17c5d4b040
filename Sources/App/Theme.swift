import TerminalUI

/// Semantic styles the views draw with. Shipped JSON themes arrive in a later issue;
/// this is the built-in default, readable on dark and light terminals alike.
public struct Theme: Sendable, Hashable {
    public var text: Style
    public var muted: Style
    public var accent: Style
    public var border: Style
    public var user: Style
    public var assistant: Style
    public var error: Style
    public var warning: Style
    public var success: Style
    public var meter: Style
    public var input: Style

    /// The default theme: ANSI colours only, so it works on 16-colour terminals.
    public static let standard = Theme(
        text: .plain,
        muted: Style(foreground: .brightBlack),
        accent: Style(foreground: .cyan, attributes: .bold),
        border: Style(foreground: .brightBlack),
        user: Style(foreground: .cyan, attributes: .bold),
        assistant: .plain,
        error: Style(foreground: .red, attributes: .bold),
        warning: Style(foreground: .yellow),
        success: Style(foreground: .green),
        meter: Style(attributes: .reverse),
        input: .plain
    )
}
