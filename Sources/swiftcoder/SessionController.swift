import AgentCore
import FoundationEssentials
import Glibc
import SessionStore

/// Opens the session database on first use (never before the first frame) and keeps the
/// current session: created when the first message is sent, replaced by `/new` and
/// `/sessions`. A database that cannot open leaves the app working, unsaved, and says why.
actor SessionController {
    private let path: String
    private let projectDirectory: String
    private var store: SessionStore?
    private var openError: String?
    private(set) var currentID: Int64?

    init(environment: [String: String], projectDirectory: String) {
        path = SessionStore.defaultPath(environment: environment)
        self.projectDirectory = projectDirectory
    }

    /// The store, opened on first call; `nil` with the reason when it cannot open.
    func open() -> Result<SessionStore, SessionFailure> {
        if let store { return .success(store) }
        if let openError { return .failure(SessionFailure(message: openError)) }
        do {
            let opened = try SessionStore(path: path)
            store = opened
            return .success(opened)
        } catch {
            openError = "sessions are not saved: \(error)"
            return .failure(SessionFailure(message: openError!))
        }
    }

    /// The recorder for the current session, creating the session first when there is none.
    func recorder(provider: String, model: String) async throws -> (any SessionRecorder)? {
        guard case .success(let store) = open() else { return nil }
        if let currentID { return store.recorder(for: currentID) }
        let session = try await store.createSession(projectDirectory: projectDirectory, provider: provider, model: model)
        currentID = session.id
        return store.recorder(for: session.id)
    }

    /// Forgets the current session; the next message starts a new one.
    func startNew() { currentID = nil }

    /// Makes `id` current and returns its messages and earlier usage.
    func resume(_ id: Int64) async throws -> (messages: [StoredMessage], usage: UsageTotals, info: SessionInfo)? {
        guard case .success(let store) = open(), let info = try await store.session(id: id) else { return nil }
        currentID = id
        return (try await store.loadMessages(sessionID: id), try await store.usageTotals(sessionID: id), info)
    }

    /// The latest session of this directory, for `--continue`.
    func latest() async throws -> SessionInfo? {
        guard case .success(let store) = open() else { return nil }
        return try await store.latestSession(projectDirectory: projectDirectory)
    }

    /// Sessions of this directory, newest first.
    func sessionsHere(limit: Int = 200) async throws -> [SessionInfo] {
        guard case .success(let store) = open() else { return [] }
        return try await store.listSessions(limit: limit * 4).filter { $0.projectDirectory == projectDirectory }
            .prefix(limit).map { $0 }
    }

    /// Records the provider and model now in use for the current session.
    func switched(provider: String, model: String) async {
        guard let currentID, case .success(let store) = open() else { return }
        try? await store.updateSession(id: currentID, provider: provider, model: model)
    }

    /// What was spent today (local time) across sessions, from the ledger.
    func spentToday() async -> Decimal? {
        guard case .success(let store) = open() else { return nil }
        return try? await store.usageTotal(since: LocalDay.startOfToday()).cost
    }

    /// The store, for reports.
    func reportStore() -> SessionStore? {
        if case .success(let store) = open() { return store }
        return nil
    }
}

/// Why the session database is not available.
struct SessionFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// The local calendar day, from the C library (no ICU calendar needed).
enum LocalDay {
    /// Local midnight today.
    static func startOfToday() -> Date {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        parts.tm_hour = 0
        parts.tm_min = 0
        parts.tm_sec = 0
        parts.tm_isdst = -1
        return Date(timeIntervalSince1970: TimeInterval(mktime(&parts)))
    }
}
