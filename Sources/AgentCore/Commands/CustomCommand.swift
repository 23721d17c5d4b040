import FoundationEssentials

/// Where a custom command file was found (D145). The order of `allCases` is the precedence
/// among project folders: the first folder holding a name wins.
public enum CommandFolder: String, Sendable, Hashable, CaseIterable, Codable {
    case swiftcoder = ".swiftcoder/commands"
    case claude = ".claude/commands"
    case opencodePlural = ".opencode/commands"
    case opencode = ".opencode/command"
    case nanocoder = ".nanocoder/commands"
    /// `$XDG_CONFIG_HOME/swiftcoder/commands` (the user's own).
    case user = "user"

    /// Whether the folder belongs to the project (gated by folder trust for `!` expansions).
    public var isProject: Bool { self != .user }
}

/// A prompt file turned into a slash command: `/name args` sends its body with the
/// arguments, files and command outputs expanded in (`CommandTemplate`).
public struct CustomCommand: Sendable, Hashable {
    /// The name without the slash: the file's path under its folder, `.md` dropped, folders
    /// joined with `:` (`frontend/review.md` → `frontend:review`).
    public var name: String
    /// From the front matter, else the body's first non-empty line (shortened).
    public var description: String
    /// `argument-hint`, shown after the name in `/help` and the popup.
    public var argumentHint: String
    /// `model`: the model the command's turn uses (on the active provider).
    public var model: String?
    /// `allowed-tools`: the tools the command's turn may use (nil: all of them).
    public var allowedTools: [String]?
    /// The prompt template (everything after the front matter).
    public var body: String
    public var folder: CommandFolder
    /// The file, absolute.
    public var path: String

    public init(name: String, description: String = "", argumentHint: String = "", model: String? = nil,
                allowedTools: [String]? = nil, body: String, folder: CommandFolder, path: String) {
        self.name = name
        self.description = description
        self.argumentHint = argumentHint
        self.model = model
        self.allowedTools = allowedTools
        self.body = body
        self.folder = folder
        self.path = path
    }

    /// Builds a command from a file's text; front matter problems are returned, never thrown.
    public static func parse(name: String, text: String, folder: CommandFolder, path: String)
        -> (CustomCommand, [String]) {
        let parsed = CommandFrontMatter.parse(text, file: path)
        let fields = parsed.fields
        var command = CustomCommand(name: name, body: parsed.body, folder: folder, path: path)
        command.description = fields["description"].map(\.text) ?? Self.firstLine(of: parsed.body)
        command.argumentHint = fields["argument-hint"].map(\.text) ?? ""
        command.model = fields["model"].map(\.text).flatMap { $0.isEmpty ? nil : $0 }
        if let tools = fields["allowed-tools"] {
            command.allowedTools = tools.list
        }
        return (command, parsed.problems)
    }

    /// The body's first non-empty line, at most 80 characters (commands without a description).
    static func firstLine(of body: String) -> String {
        let line = body.split(separator: "\n", omittingEmptySubsequences: true)
            .first { !$0.allSatisfy(\.isWhitespace) }.map(String.init) ?? ""
        let trimmed = line.drop { $0 == " " || $0 == "#" }
        return trimmed.count > 80 ? String(trimmed.prefix(79)) + "…" : String(trimmed)
    }
}
