import AgentCore
import FoundationEssentials

/// Where the database lives: `$XDG_DATA_HOME/swiftcoder/sessions.sqlite`, or
/// `~/.local/share/swiftcoder/…` when `XDG_DATA_HOME` is unset or relative (the XDG spec says
/// to ignore relative values).
public enum SessionPaths {
    public static func defaultPath(environment: [String: String]) -> String {
        XDGDirectories.data(environment: environment) + "/sessions.sqlite"
    }
}

/// Everything the app asks of the session database, so the executable depends on this small
/// contract rather than on GRDB's types. `SessionStore` implements it; the wire types below
/// let it run out of process should that be wanted (D31).
public protocol SessionService: Sendable {
    var path: String { get }
    func createSession(projectDirectory: String, provider: String, model: String) async throws -> SessionInfo
    func session(id: Int64) async throws -> SessionInfo?
    func latestSession(projectDirectory: String) async throws -> SessionInfo?
    func listSessions(limit: Int?) async throws -> [SessionInfo]
    /// Newest first, without the sessions `swiftcoder run` made unless `includeRuns`.
    func listSessions(limit: Int?, includeRuns: Bool) async throws -> [SessionInfo]
    /// Marks a session as made by `swiftcoder run`.
    func markAsRun(sessionID: Int64) async throws
    func updateSession(id: Int64, provider: String, model: String) async throws
    func loadMessages(sessionID: Int64) async throws -> [StoredMessage]
    /// The newest part of a session that fits the limits (D73).
    func loadRecentMessages(sessionID: Int64, limit: Int, characterBudget: Int) async throws -> MessagePage
    /// Up to `limit` messages before `position`, oldest first.
    func loadMessages(sessionID: Int64, before position: Int64, limit: Int) async throws -> MessagePage
    func usageTotals(sessionID: Int64) async throws -> UsageTotals
    /// The session's requests per provider and model.
    func usageByProviderModel(sessionID: Int64) async throws -> [ProviderModelUsage]
    func usageTotal(since: Date?) async throws -> UsageTotals
    func usageByProviderModel(since: Date?) async throws -> [ProviderModelUsage]
    /// Per local calendar day.
    func usageByDay(since: Date?) async throws -> [DailyUsage]
    /// Per local calendar day and, within it, per provider and model: one pass over the ledger.
    func usageByDayAndProviderModel(since: Date?) async throws -> [DailyProviderModelUsage]
    /// Per session, the most expensive first.
    func usageBySession(since: Date?) async throws -> [SessionUsage]
    /// The session's and today's known spend (`today` is a local midnight), from one query.
    func spend(sessionID: Int64?, today: Date) async throws -> BudgetSpend
    func commit(_ message: ChatMessage, sessionID: Int64) async throws
    /// Commits `message`, marked interrupted when `interrupted` (a reply that did not finish, D113).
    func commit(_ message: ChatMessage, sessionID: Int64, interrupted: Bool) async throws
    func saveDraft(_ text: String, sessionID: Int64) async throws
    func discardDraft(sessionID: Int64) async throws
    func recordUsage(_ record: UsageRecord, sessionID: Int64) async throws
    /// Deletes sessions; their ledger rows stay unless `withUsage` (D74).
    func deleteSessions(ids: [Int64], withUsage: Bool) async throws -> PruneResult
    /// Deletes the sessions last updated before `cutoff`.
    func pruneSessions(updatedBefore cutoff: Date, withUsage: Bool) async throws -> PruneResult
    /// Counts, sizes, the biggest sessions and the path.
    func statistics(biggest: Int) async throws -> SessionStatistics
    /// Done with the store: lets SQLite refresh its planner statistics.
    func close() async
    /// Claims a session for this process (D81): the session is this process's to write while
    /// the returned value is kept; nil when another process holds it.
    func claim(sessionID: Int64) -> (any Sendable)?
    /// A new session with a copy of `id`'s conversation (for a session another process holds).
    func forkSession(_ id: Int64) async throws -> SessionInfo
    /// Writes a compacted view as a new branch the session continues on (D127).
    func startBranch(sessionID: Int64, view: [ChatMessage]) async throws
    /// The session continues on the branch before its last compaction.
    func returnToParentBranch(sessionID: Int64) async throws
    /// Every message ever said in the session, whatever the branch (`/export full`).
    func loadFullHistory(sessionID: Int64) async throws -> [StoredMessage]
}

/// Checkpoints for `/undo` and `/rewind` (D131): file changes under the user message whose
/// turn made them, contents by hash.
public protocol CheckpointService: Sendable {
    func recordFileChange(_ change: FileChange, sessionID: Int64) async throws
    /// The session's file changes not undone, oldest first.
    func fileChanges(sessionID: Int64) async throws -> [RecordedFileChange]
    /// The content kept under `hash`.
    func fileContent(hash: String) async throws -> [UInt8]?
    func markFileChangesUndone(ids: [Int64]) async throws
    /// The session's user messages as said, oldest first (the newest `limit`).
    func userMessages(sessionID: Int64, limit: Int) async throws -> [(id: Int64, text: String)]
}

extension SessionService {
    /// Commits without the mark (services that cannot store it).
    public func commit(_ message: ChatMessage, sessionID: Int64, interrupted: Bool) async throws {
        try await commit(message, sessionID: sessionID)
    }
}

/// The engine's recorder for one session of any `SessionService`.
public struct ServiceRecorder: SessionRecorder {
    public let service: any SessionService
    public let sessionID: Int64

    public init(service: any SessionService, sessionID: Int64) {
        self.service = service
        self.sessionID = sessionID
    }

    public func commit(_ message: ChatMessage) async throws { try await service.commit(message, sessionID: sessionID) }
    public func commit(_ message: ChatMessage, interrupted: Bool) async throws {
        try await service.commit(message, sessionID: sessionID, interrupted: interrupted)
    }
    public func saveDraft(_ text: String) async throws { try await service.saveDraft(text, sessionID: sessionID) }
    public func discardDraft() async throws { try await service.discardDraft(sessionID: sessionID) }
    public func recordUsage(_ record: UsageRecord) async throws { try await service.recordUsage(record, sessionID: sessionID) }
    public func compacted(_ messages: [ChatMessage]) async throws {
        try await service.startBranch(sessionID: sessionID, view: messages)
    }
    public func compactionUndone() async throws { try await service.returnToParentBranch(sessionID: sessionID) }
    /// Kept when the service keeps checkpoints (D131).
    public func recordFileChange(_ change: FileChange) async throws {
        try await (service as? any CheckpointService)?.recordFileChange(change, sessionID: sessionID)
    }
}

/// One call across the library boundary, as JSON.
public enum SessionCall: Codable, Sendable {
    case open
    case createSession(projectDirectory: String, provider: String, model: String)
    case session(id: Int64)
    case latestSession(projectDirectory: String)
    case listSessions(limit: Int?)
    case listSessionsFiltered(limit: Int?, includeRuns: Bool)
    case markAsRun(sessionID: Int64)
    case updateSession(id: Int64, provider: String, model: String)
    case loadMessages(sessionID: Int64)
    case loadRecentMessages(sessionID: Int64, limit: Int, characterBudget: Int)
    case loadMessagesBefore(sessionID: Int64, position: Int64, limit: Int)
    case usageTotals(sessionID: Int64)
    case usageByProviderModelOfSession(sessionID: Int64)
    case usageTotal(since: Date?)
    case usageByProviderModel(since: Date?)
    case usageByDay(since: Date?)
    case usageByDayAndProviderModel(since: Date?)
    case usageBySession(since: Date?)
    case spend(sessionID: Int64?, today: Date)
    case commit(ChatMessage, sessionID: Int64)
    case saveDraft(String, sessionID: Int64)
    case discardDraft(sessionID: Int64)
    case recordUsage(UsageRecord, sessionID: Int64)
    case deleteSessions(ids: [Int64], withUsage: Bool)
    case pruneSessions(updatedBefore: Date, withUsage: Bool)
    case statistics(biggest: Int)
    case close
}

/// A call with the database it is for.
public struct SessionRequest: Codable, Sendable {
    public var path: String
    public var call: SessionCall
    public init(path: String, call: SessionCall) {
        self.path = path
        self.call = call
    }
}

/// The answer: the result's JSON, or the error's description.
public struct SessionResponse: Codable, Sendable {
    public var result: String?
    public var error: String?
    public init(result: String? = nil, error: String? = nil) {
        self.result = result
        self.error = error
    }
}

/// A session database error reported across the library boundary.
public struct SessionServiceError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
