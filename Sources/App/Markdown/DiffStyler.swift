import TerminalUI

/// Styles for unified diff lines (tool output, `diff` code blocks).
enum DiffStyler {
    /// The style of one diff line: additions `diffAdded`, removals `diffRemoved`, hunk
    /// headers and file headers `muted`, context `text`. Colours missing from the role
    /// (a default background, say) are taken from `surface` when given.
    static func style(of line: some StringProtocol, theme: Theme, on surface: Style? = nil) -> Style {
        let role: Style
        if line.hasPrefix("+++") || line.hasPrefix("---") || line.hasPrefix("diff ") || line.hasPrefix("index ") {
            role = theme.muted.adding(.bold)
        } else if line.hasPrefix("@@") {
            role = theme.muted
        } else if line.hasPrefix("+") {
            role = theme.diffAdded
        } else if line.hasPrefix("-") {
            role = theme.diffRemoved
        } else {
            role = surface ?? theme.text
        }
        guard let surface else { return role }
        return Style(foreground: role.foreground == .default ? surface.foreground : role.foreground,
                     background: role.background == .default ? surface.background : role.background,
                     attributes: role.attributes)
    }

    /// A unified diff as display lines at `width` (long lines hard-wrapped), each styled by kind.
    static func lines(_ diff: String, width: Int, theme: Theme) -> [StyledLine] {
        var result: [StyledLine] = []
        for line in diff.split(separator: "\n", omittingEmptySubsequences: false) {
            let style = style(of: line, theme: theme)
            for piece in TextWrapper.wrap(line, width: max(1, width)) { result.append(StyledLine([(piece, style)])) }
        }
        if result.last?.segments.allSatisfy({ $0.text.isEmpty }) == true && diff.hasSuffix("\n") { result.removeLast() }
        return result
    }
}
