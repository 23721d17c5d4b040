import AgentCore
import FoundationEssentials

/// One saved conversation, as listed by `swiftcoder sessions` and picked by `--continue`.
public struct SessionInfo: Sendable, Hashable, Codable {
    public var id: Int64
    /// The directory the session was started in (as given; callers pass an absolute path).
    public var projectDirectory: String
    public var provider: String
    public var model: String
    /// Taken from the first user message; empty until there is one.
    public var title: String
    public var createdAt: Date
    /// Bumped by every committed message.
    public var updatedAt: Date
    /// Committed messages (a pending draft is not counted).
    public var messageCount: Int
    /// Made by `swiftcoder run` (hidden from the lists unless `--all`).
    public var fromRun: Bool

    public init(id: Int64, projectDirectory: String, provider: String, model: String, title: String,
                createdAt: Date, updatedAt: Date, messageCount: Int, fromRun: Bool = false) {
        self.fromRun = fromRun
        self.id = id
        self.projectDirectory = projectDirectory
        self.provider = provider
        self.model = model
        self.title = title
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.messageCount = messageCount
    }
}

/// A message loaded back from the store.
///
/// `message` is always valid to send to a model as is: an interrupted reply is the partial
/// assistant text, an interrupted tool call gets an error result. The UI shows
/// "[interrupted]" after messages with `isInterrupted` set.
public struct StoredMessage: Sendable, Hashable, Codable {
    public var message: ChatMessage
    public var createdAt: Date
    /// True for an assistant reply cut short (the process ended while it streamed; its draft
    /// was recovered) and for the error result standing in for a tool call that never finished.
    public var isInterrupted: Bool

    public init(message: ChatMessage, createdAt: Date, isInterrupted: Bool = false) {
        self.message = message
        self.createdAt = createdAt
        self.isInterrupted = isInterrupted
    }
}

/// Why the session store failed. Descriptions name the database file or the session.
public enum SessionStoreError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The database could not be created, opened or migrated.
    case cannotOpen(path: String, reason: String)
    /// No session has this id.
    case noSuchSession(Int64)
    /// A stored row could not be read back (edited by hand or written by a newer version).
    case corruptRow(table: String, id: Int64, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            "cannot open the session database \(path): \(reason)"
        case let .noSuchSession(id):
            "no session with id \(id)"
        case let .corruptRow(table, id, reason):
            "unreadable \(table) row \(id) in the session database: \(reason)"
        }
    }
}
