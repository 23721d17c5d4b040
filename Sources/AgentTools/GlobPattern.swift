import AgentCore

/// A shell-style glob matched against `/`-separated relative paths. Pure.
///
/// `*` matches any run of characters except `/`, `?` one character except `/`, `[abc]`,
/// `[a-z]` and `[!a]`/`[^a]` one character of (or not of) a set, `\x` the character `x`, and a
/// whole `**` segment any number of directories, including none (`**/*.swift`, `src/**`).
/// Braces are not part of a pattern; `expandingBraces` turns `*.{h,c}` into two patterns.
/// The matching itself is `AgentCore.Glob` (linear, never exponential backtracking).
struct GlobPattern: Sendable, Hashable {
    let glob: Glob

    init(_ pattern: String) {
        glob = Glob(pattern)
    }

    /// True when the whole of `path` (components separated by `/`) matches.
    func matches(_ path: String) -> Bool {
        glob.matches(path)
    }

    /// `a{b,c}d` as `abd` and `acd` (nested braces expand too), capped at
    /// `Glob.braceExpansionLimit` alternatives; text without braces as itself.
    static func expandingBraces(_ pattern: String) -> [String] {
        Glob.expandingBraces(pattern)
    }
}
