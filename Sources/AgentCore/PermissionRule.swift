/// One permission rule from config `permissions` (or an "always" answer): `TOOL` for every
/// call of a tool, or `TOOL(PATTERN)` for the calls whose target the pattern matches. Pure.
///
/// For `run_command` the pattern is a glob on the whole command line (`*` matches anything:
/// `run_command(git status*)`); for the file tools it is a path glob anchored at the project
/// root (`write_file(docs/**)`, `read_file(.env*)`, `**/` for any depth).
public struct PermissionRule: Sendable, Hashable, CustomStringConvertible {
    /// Where rules answered "always" during a session come from, in `/permissions`.
    public static let sessionSource = "this session"

    public var tool: String
    public var pattern: String?
    /// The config file the rule came from, or `sessionSource`.
    public var source: String

    public init(tool: String, pattern: String? = nil, source: String) {
        self.tool = tool
        self.pattern = pattern
        self.source = source
    }

    /// Parses `TOOL` or `TOOL(PATTERN)`; nil when the text is not of that form.
    public static func parse(_ text: String, source: String) -> PermissionRule? {
        guard let open = text.firstIndex(of: "(") else {
            return isToolName(text) ? PermissionRule(tool: text, source: source) : nil
        }
        let tool = String(text[..<open])
        guard text.hasSuffix(")"), isToolName(tool) else { return nil }
        let pattern = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        guard !pattern.isEmpty else { return nil }
        return PermissionRule(tool: tool, pattern: pattern, source: source)
    }

    private static func isToolName(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }

    /// `TOOL` or `TOOL(PATTERN)`, as written in config.
    public var description: String { pattern.map { "\(tool)(\($0))" } ?? tool }

    /// True when the rule covers the call. `target` is the command line or the project-relative
    /// path (see `ToolPreview.target`). An allow rule with a pattern never matches a command
    /// that chains, pipes, redirects or substitutes (`git status; curl … | sh`); ask and deny
    /// rules match the whole line or any of its parts.
    public func matches(tool name: String, effect: ToolEffect, target: String?, allowing: Bool) -> Bool {
        guard name == tool else { return false }
        guard let pattern else { return true }
        guard let target else { return false }
        if effect == .command {
            let glob = Glob(pattern, paths: false)
            if allowing { return !CommandText.hasOperators(target) && glob.matches(CommandText.trimmed(target)) }
            return ([target] + CommandText.parts(target)).contains { glob.matches(CommandText.trimmed($0)) }
        }
        return Glob(Self.anchored(pattern)).matches(Self.anchored(target))
    }

    private static func anchored(_ path: String) -> String {
        var text = path
        while text.hasPrefix("./") { text.removeFirst(2) }
        return text
    }

    /// The narrowest useful rule that would let calls like this one run without asking: for
    /// a command its program and subcommand (`run_command(git status*)`), for a file tool the
    /// exact path. Nil when there is none worth offering: a command that chains or pipes, a
    /// wrapper that runs anything (`bash -c`, `sudo`, `env`), an empty target.
    public static func narrowest(tool: String, effect: ToolEffect, target: String?) -> PermissionRule? {
        guard let target, !target.isEmpty else { return nil }
        // An MCP tool's arguments are no path or command line: "always" allows the tool (D161).
        if tool.hasPrefix("mcp__") { return PermissionRule(tool: tool, source: sessionSource) }
        switch effect {
        case .command:
            guard let prefix = CommandText.programAndSubcommand(target) else { return nil }
            return PermissionRule(tool: tool, pattern: prefix + "*", source: sessionSource)
        case .read, .write:
            let escaped = anchored(target).map { "*?[]\\{}".contains($0) ? "\\\($0)" : String($0) }.joined()
            return PermissionRule(tool: tool, pattern: escaped, source: sessionSource)
        }
    }
}

/// What permission rules need to know about a shell command line. Pure.
enum CommandText {
    /// Characters that chain, pipe, redirect, group or substitute commands.
    static let operators: Set<Character> = [";", "&", "|", "<", ">", "`", "(", ")", "\n", "\r"]

    /// Programs that run whatever follows them: a rule for them would allow any command.
    static let wrappers: Set<String> = ["sh", "bash", "zsh", "dash", "fish", "env", "sudo", "doas", "su", "eval",
                                        "exec", "xargs", "nohup", "nice", "timeout", "command", "builtin", "time",
                                        "strace", "watch", "find", "python", "python3", "node", "perl", "ruby"]

    static func hasOperators(_ command: String) -> Bool {
        command.contains { operators.contains($0) } || command.contains("$(")
    }

    /// The command's parts between operators, trimmed (`a && b | c` → a, b, c).
    static func parts(_ command: String) -> [String] {
        command.split(whereSeparator: { operators.contains($0) }).map { trimmed(String($0)) }
            .map { $0.hasPrefix("$") ? String($0.dropFirst()) : $0 }.filter { !$0.isEmpty }
    }

    static func trimmed(_ text: String) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// `git status` for `git status -s`; `ls` for `ls -la`; nil when no safe prefix exists.
    static func programAndSubcommand(_ command: String) -> String? {
        guard !hasOperators(command) else { return nil }
        let words = command.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let program = words.first, isPlainWord(program), !program.contains("="),
              !wrappers.contains(String(program.split(separator: "/").last ?? "")) else { return nil }
        if words.count > 1, let first = words[1].first, first.isLetter, isPlainWord(words[1]) {
            return program + " " + words[1]
        }
        return program
    }

    /// No glob, quote or expansion characters (they would make the rule mean something else).
    private static func isPlainWord(_ word: String) -> Bool {
        !word.contains { "*?[]\\{}'\"$~!#".contains($0) }
    }
}
