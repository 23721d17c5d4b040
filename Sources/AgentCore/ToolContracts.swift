import FoundationEssentials

/// What running a tool can do to the user's machine; decides whether it needs approval.
public enum ToolEffect: String, Sendable, Hashable, Codable {
    /// Reads the project (read_file, list_directory, find_files, search_files).
    case read
    /// Changes files (write_file, edit_file).
    case write
    /// Runs a program (run_command).
    case command
}

/// How much the agent may do without asking (`/mode`, config `approvalMode`).
public enum ApprovalMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// Reads run; writes and commands ask. The default.
    case ask
    /// Reads and writes run; commands ask.
    case autoEdit = "auto-edit"
    /// Everything runs.
    case yolo
    /// Read-only tools only; writes and commands are refused.
    case plan
}

/// What the policy says about one tool call.
public enum ApprovalDecision: Sendable, Hashable {
    case run
    case ask
    /// Refused without asking, with the reason sent back to the model.
    case refuse(String)
}

/// The user's answer to an approval request.
public enum ApprovalAnswer: Sendable, Hashable {
    case yes
    /// No, with an optional reason that is sent to the model.
    case no(reason: String?)
    /// Yes, and add the offered rule (`ToolPreview.alwaysRule`) for the rest of the session.
    case always
}

/// What a tool call will do, shown before it runs and in the approval prompt.
public struct ToolPreview: Sendable, Hashable, Codable {
    public var toolName: String
    /// The argument that identifies the call: a path, a pattern or a command line.
    public var keyArgument: String
    /// The full preview: a unified diff for writes and edits, the command line for commands,
    /// empty for reads.
    public var detail: String

    /// What permission rules match: the command line for `run_command`, the project-relative
    /// path for file tools (the directory searched for find/search); `nil` uses `keyArgument`.
    public var target: String?
    /// Set when the command will run in a sandbox: what the sandbox allows, for the approval box.
    public var sandbox: String?
    /// Set by the engine on an approval request: the rule an "always" answer adds
    /// (`run_command(git status*)`), shown before it is chosen; `nil` when "always" is not offered.
    public var alwaysRule: String?
    /// Set by the engine when the call asks because of what it touches, whatever the mode
    /// ("protected path: .git/ internals").
    public var protection: String?

    public init(toolName: String, keyArgument: String, detail: String = "", target: String? = nil) {
        self.toolName = toolName
        self.keyArgument = keyArgument
        self.detail = detail
        self.target = target
    }
}

/// What a tool call produced.
public struct ToolOutput: Sendable, Hashable, Codable {
    /// What the model sees.
    public var content: String
    public var isError: Bool
    /// One line for the chat pane ("42 lines", "exit 0 · 3 lines", "not found: x").
    public var summary: String
    /// The file a write or edit changed (before and after), for rewinding (D131). The engine
    /// records it and takes it off before publishing the output.
    public var fileChange: FileChange?

    public init(content: String, isError: Bool = false, summary: String, fileChange: FileChange? = nil) {
        self.content = content
        self.isError = isError
        self.summary = summary
        self.fileChange = fileChange
    }

    /// A failed call: the message goes to the model and, as the summary, to the screen.
    public static func failure(_ message: String) -> ToolOutput {
        ToolOutput(content: "error: \(message)", isError: true, summary: message)
    }
}

/// The outcome of checking a call before it runs.
public enum ToolPreparation: Sendable, Hashable {
    case ready(ToolPreview)
    /// The call cannot run (unknown tool, bad arguments, a path outside the project); the
    /// output goes back to the model as a tool error.
    case invalid(ToolOutput)
}

/// Runs the tools the model may call. The engine sees only this; `AgentTools` provides the
/// built-in set, tests provide scripted ones.
public protocol ToolExecutor: Sendable {
    /// The tools offered to the model.
    var definitions: [ToolDefinition] { get }
    /// The effect of the named tool, `nil` when there is no such tool.
    func effect(of toolName: String) -> ToolEffect?
    /// Parses and checks a call and builds its preview; changes nothing.
    func prepare(_ call: ToolCall) async -> ToolPreparation
    /// Runs a prepared call. Cancelling the calling task stops it (a command's process group
    /// is killed) and returns an error output. Never throws: failures are outputs.
    func execute(_ call: ToolCall) async -> ToolOutput
    /// Like `execute(_:)`, and calls `progress` with what the call prints while it runs
    /// (commands; throttled, in order). The default ignores `progress`.
    func execute(_ call: ToolCall, progress: @escaping @Sendable (String) -> Void) async -> ToolOutput
}

extension ToolExecutor {
    /// Runs the call without live output.
    public func execute(_ call: ToolCall, progress: @escaping @Sendable (String) -> Void) async -> ToolOutput {
        await execute(call)
    }
}

/// One request's usage as stored in the ledger.
public struct UsageRecord: Sendable, Hashable, Codable {
    public var provider: String
    public var model: String
    public var usage: TokenUsage
    /// The cost in USD, `nil` when no price is known (shown as `n/a`, never `$0.00`).
    public var cost: Decimal?
    /// Which pricing source produced `cost` (`reported`, `provider`, `config`, `builtin`,
    /// `litellm`, `local`), `nil` when unknown.
    public var costSource: String?
    public var date: Date
    /// Seconds the request spent generating: from its first token (text, reasoning or a tool
    /// call) to the end of its stream; `nil` when nothing was generated. Tokens per second are
    /// output tokens over this, so tool runs and approval waits never count. Not stored.
    public var streamingSeconds: Double?

    public init(provider: String, model: String, usage: TokenUsage, cost: Decimal? = nil,
                costSource: String? = nil, date: Date = Date(), streamingSeconds: Double? = nil) {
        self.provider = provider
        self.model = model
        self.usage = usage
        self.cost = cost
        self.costSource = costSource
        self.date = date
        self.streamingSeconds = streamingSeconds
    }
}

extension SessionRecorder {
    /// Commits `message` without the interrupted mark (recorders that cannot store it).
    public func commit(_ message: ChatMessage, interrupted: Bool) async throws {
        try await commit(message)
    }
}

/// Where the engine persists a conversation as it happens (`SessionStore` in SQLite; tests use
/// an in-memory one). Failures are thrown so the engine can tell the user; they never end a turn.
public protocol SessionRecorder: Sendable {
    /// A completed message, committed at once.
    func commit(_ message: ChatMessage) async throws
    /// A message committed at once; `interrupted` marks a reply that did not finish (cancelled
    /// or cut off), so a resumed session shows it as such. The default drops the mark.
    func commit(_ message: ChatMessage, interrupted: Bool) async throws
    /// The assistant reply streamed so far; called about once a second while streaming and
    /// replaced by the next `commit` (or cleared by `discardDraft`).
    func saveDraft(_ text: String) async throws
    /// Drops the draft (the turn ended without a reply to keep).
    func discardDraft() async throws
    /// One usage row per request.
    func recordUsage(_ record: UsageRecord) async throws
    /// The conversation was compacted to `messages`: from now on the session continues on
    /// this view, and the full history stays (D127).
    func compacted(_ messages: [ChatMessage]) async throws
    /// `/compact undo`: the session continues on the view before the last compaction.
    func compactionUndone() async throws
    /// A file the running turn changed (D131), kept under the turn's user message.
    func recordFileChange(_ change: FileChange) async throws
}

extension SessionRecorder {
    /// Recorders that keep no branches ignore compactions.
    public func compacted(_ messages: [ChatMessage]) async throws {}
    /// Recorders that keep no branches ignore undoing one.
    public func compactionUndone() async throws {}
    /// Recorders that keep no checkpoints ignore file changes.
    public func recordFileChange(_ change: FileChange) async throws {}
}
