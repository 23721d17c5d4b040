/// What a command's `allowed-tools` means here (D147), read as Claude Code documents it: the
/// tools the command's turn may use. Claude Code's names map to the built-in tools
/// (`Bash` → run_command, `Read` → read_file, `Write` → write_file, `Edit`/`MultiEdit` →
/// edit_file, `Glob` → find_files, `Grep` → search_files, `LS` → list_directory); other
/// names (`read_file`, `mcp__server__tool`) are taken as they are. A pattern
/// (`Bash(git status:*)`) also pre-approves the calls it matches, for the turn only.
public struct CommandToolGrant: Sendable, Hashable {
    /// The tool names the turn is offered; nil when the command sets no `allowed-tools`.
    public var tools: Set<String>?
    /// Allow rules from patterns, for the turn and the command's `!` expansions.
    public var rules: [PermissionRule]

    public init(_ allowedTools: [String]?) {
        guard let allowedTools else {
            tools = nil
            rules = []
            return
        }
        var tools: Set<String> = []
        var rules: [PermissionRule] = []
        for entry in allowedTools {
            let open = entry.firstIndex(of: "(")
            let name = Self.toolName(open.map { String(entry[..<$0]) } ?? entry)
            tools.insert(name)
            if let open, entry.hasSuffix(")") {
                var pattern = String(entry[entry.index(after: open)...].dropLast())
                // Claude Code's `prefix:*` is a prefix match: the glob `prefix*` here.
                if pattern.hasSuffix(":*") { pattern = String(pattern.dropLast(2)) + "*" }
                if !pattern.isEmpty, pattern != "*" {
                    rules.append(PermissionRule(tool: name, pattern: pattern, source: "allowed-tools"))
                }
            }
        }
        self.tools = tools
        self.rules = rules
    }

    /// The built-in name for a Claude Code tool name.
    public static func toolName(_ name: String) -> String {
        switch name.trimmed {
        case "Bash": "run_command"
        case "Read": "read_file"
        case "Write": "write_file"
        case "Edit", "MultiEdit": "edit_file"
        case "Glob": "find_files"
        case "Grep": "search_files"
        case "LS": "list_directory"
        default: name.trimmed
        }
    }
}
