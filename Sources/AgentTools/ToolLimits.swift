/// Caps that keep every tool's output small enough for a model's context and every command
/// bounded in time.
public struct ToolLimits: Sendable, Hashable {
    /// Lines `read_file` returns per call before it adds a "read further" note.
    public var readMaxLines: Int
    /// Bytes of file text `read_file` returns per call.
    public var readMaxBytes: Int
    /// Characters kept of one very long line (minified files) by `read_file` and `search_files`.
    public var lineMaxCharacters: Int
    /// Files larger than this are refused by `read_file`, `edit_file` and skipped by `search_files`.
    public var fileMaxBytes: Int
    /// Seconds a command may run when the call gives no `timeout_seconds`.
    public var commandTimeoutSeconds: Int
    /// The largest `timeout_seconds` a call may ask for.
    public var commandMaxTimeoutSeconds: Int
    /// Bytes of command output kept (the start and the end; the middle is dropped with a note).
    public var commandOutputMaxBytes: Int
    /// Seconds between SIGTERM and SIGKILL when a command's process group is stopped.
    public var killGraceSeconds: Double
    /// Matching lines `search_files` reports before it stops with a note.
    public var searchMaxMatches: Int
    /// Paths `find_files` reports before it stops with a note.
    public var findMaxResults: Int
    /// Entries `list_directory` reports before it stops with a note.
    public var listMaxEntries: Int

    /// Creates limits; the defaults suit a 100k-token context.
    public init(readMaxLines: Int = 2000, readMaxBytes: Int = 100_000, lineMaxCharacters: Int = 2000,
                fileMaxBytes: Int = 10_000_000, commandTimeoutSeconds: Int = 120,
                commandMaxTimeoutSeconds: Int = 600, commandOutputMaxBytes: Int = 30_000,
                killGraceSeconds: Double = 2, searchMaxMatches: Int = 200,
                findMaxResults: Int = 500, listMaxEntries: Int = 1000) {
        self.readMaxLines = readMaxLines
        self.readMaxBytes = readMaxBytes
        self.lineMaxCharacters = lineMaxCharacters
        self.fileMaxBytes = fileMaxBytes
        self.commandTimeoutSeconds = commandTimeoutSeconds
        self.commandMaxTimeoutSeconds = commandMaxTimeoutSeconds
        self.commandOutputMaxBytes = commandOutputMaxBytes
        self.killGraceSeconds = killGraceSeconds
        self.searchMaxMatches = searchMaxMatches
        self.findMaxResults = findMaxResults
        self.listMaxEntries = listMaxEntries
    }
}
