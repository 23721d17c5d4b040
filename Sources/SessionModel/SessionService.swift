import AgentCore
import FoundationEssentials

/// Where the database lives: `$XDG_DATA_HOME/swiftcoder/sessions.sqlite`, or
/// `~/.local/share/swiftcoder/…` when `XDG_DATA_HOME` is unset or relative (the XDG spec says
/// to ignore relative values).
public enum SessionPaths {
    public static func defaultPath(environment: [String: String]) -> String {
        let dataHome: String
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            dataHome = xdg
        } else if let home = environment["HOME"], !home.isEmpty {
            dataHome = home + "/.local/share"
        } else {
            dataHome = FileManager.default.homeDirectoryForCurrentUser.path + "/.local/share"
        }
        return dataHome + "/swiftcoder/sessions.sqlite"
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
    func updateSession(id: Int64, provider: String, model: String) async throws
    func loadMessages(sessionID: Int64) async throws -> [StoredMessage]
    func usageTotals(sessionID: Int64) async throws -> UsageTotals
    /// The session's requests per provider and model.
    func usageByProviderModel(sessionID: Int64) async throws -> [ProviderModelUsage]
    func usageTotal(since: Date?) async throws -> UsageTotals
    func usageByProviderModel(since: Date?) async throws -> [ProviderModelUsage]
    /// Per local calendar day.
    func usageByDay(since: Date?) async throws -> [DailyUsage]
    func commit(_ message: ChatMessage, sessionID: Int64) async throws
    func saveDraft(_ text: String, sessionID: Int64) async throws
    func discardDraft(sessionID: Int64) async throws
    func recordUsage(_ record: UsageRecord, sessionID: Int64) async throws
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
    public func saveDraft(_ text: String) async throws { try await service.saveDraft(text, sessionID: sessionID) }
    public func discardDraft() async throws { try await service.discardDraft(sessionID: sessionID) }
    public func recordUsage(_ record: UsageRecord) async throws { try await service.recordUsage(record, sessionID: sessionID) }
}

/// One call across the library boundary, as JSON.
public enum SessionCall: Codable, Sendable {
    case open
    case createSession(projectDirectory: String, provider: String, model: String)
    case session(id: Int64)
    case latestSession(projectDirectory: String)
    case listSessions(limit: Int?)
    case updateSession(id: Int64, provider: String, model: String)
    case loadMessages(sessionID: Int64)
    case usageTotals(sessionID: Int64)
    case usageByProviderModelOfSession(sessionID: Int64)
    case usageTotal(since: Date?)
    case usageByProviderModel(since: Date?)
    case usageByDay(since: Date?)
    case commit(ChatMessage, sessionID: Int64)
    case saveDraft(String, sessionID: Int64)
    case discardDraft(sessionID: Int64)
    case recordUsage(UsageRecord, sessionID: Int64)
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
