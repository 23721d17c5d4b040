import AgentCore
import FoundationEssentials
import Glibc
import Pricing
import SessionModel
import SessionStore
import ThreadSupport

/// Opens the session database on first use (never before the first frame) and keeps the
/// current session: created when the first message is sent, replaced by `/new` and
/// `/sessions`. A database that cannot open leaves the app working, unsaved, and says why.
actor SessionController {
    private let path: String
    private let projectDirectory: String
    private var store: (any SessionService)?
    private var openError: String?
    private var opening: Task<Result<any SessionService, SessionServiceError>, Never>?
    private(set) var currentID: Int64?
    /// Sessions this controller creates are marked as `swiftcoder run`'s (D120).
    private var marksRun = false

    /// Marks the sessions created from now on as `run`'s.
    func markSessionsAsRun() { marksRun = true }
    /// This process's hold on the current session (D81); released with it.
    private var claim: (any Sendable)?
    /// The position where the engine's part of a resumed session starts, when older
    /// messages were left in the database (D73); `/export` reads those.
    private(set) var unloadedBefore: Int64?

    init(environment: [String: String], projectDirectory: String) {
        path = SessionPaths.defaultPath(environment: environment)
        self.projectDirectory = projectDirectory
    }

    /// The store, opened on first call; the reason when it
    /// cannot open.
    func open() async -> Result<any SessionService, SessionFailure> {
        if let store { return .success(store) }
        if let openError { return .failure(SessionFailure(message: openError)) }
        // One open at a time: callers arriving while it runs wait for the same result (two
        // stores migrating one file at once would fight over its lock).
        let opening = self.opening ?? Task { [path] in await Self.openStore(at: path) }
        self.opening = opening
        let result = await opening.value
        self.opening = nil
        switch result {
        case .success(let opened):
            if store == nil { store = opened }
            return .success(store ?? opened)
        case .failure(let error):
            let message = "sessions are not saved: \(error)"
            openError = message
            return .failure(SessionFailure(message: message))
        }
    }

    /// Opens (creating and migrating) the database on a thread of its own: the open is
    /// synchronous file work that must not hold a cooperative thread.
    static func openStore(at path: String) async -> Result<any SessionService, SessionServiceError> {
        await withCheckedContinuation { continuation in
            let started = DetachedThread.spawn {
                do {
                    continuation.resume(returning: .success(try SessionStore(path: path)))
                } catch {
                    continuation.resume(returning: .failure(SessionServiceError("\(error)")))
                }
            }
            if !started { continuation.resume(returning: .failure(SessionServiceError("could not start a thread"))) }
        }
    }

    /// The recorder for the current session, creating the session first when there is none.
    func recorder(provider: String, model: String) async throws -> (any SessionRecorder)? {
        guard case .success(let store) = await open() else { return nil }
        if let currentID { return ServiceRecorder(service: store, sessionID: currentID) }
        let session = try await store.createSession(projectDirectory: projectDirectory, provider: provider, model: model)
        if marksRun { try await store.markAsRun(sessionID: session.id) }
        currentID = session.id
        claim = store.claim(sessionID: session.id)
        return ServiceRecorder(service: store, sessionID: session.id)
    }

    /// Forgets the current session; the next message starts a new one.
    func startNew() {
        currentID = nil
        claim = nil
        unloadedBefore = nil
    }

    /// The current session's messages the engine does not hold (older than its resumed
    /// part), oldest first; none when it holds them all.
    func unloadedMessages() async throws -> [ChatMessage] {
        guard let unloadedBefore, let currentID, case .success(let store) = await open() else { return [] }
        return try await store.loadMessages(sessionID: currentID, before: unloadedBefore, limit: Int.max)
            .messages.map(\.message)
    }

    /// Every message ever said in the current session, before any compaction (empty when none
    /// is saved yet).
    func fullHistory() async throws -> [ChatMessage] {
        guard let currentID, case .success(let store) = await open() else { return [] }
        return try await store.loadFullHistory(sessionID: currentID).map(\.message)
    }

    /// How much of a resumed session is loaded (D73): the newest messages up to this many
    /// characters (about 250k tokens, more than any model's context) and this many messages.
    static let resumeCharacterBudget = 1 << 20
    static let resumeMessageLimit = 2_000
    /// Messages read per page as the user scrolls up.
    static let olderPageSize = 200

    /// Makes `id` current and returns its recent messages and earlier usage. When another
    /// swiftcoder holds `id`, a copy of it becomes current instead (`forkedFrom` says so).
    func resume(_ id: Int64) async throws
        -> (page: MessagePage, usage: UsageTotals, info: SessionInfo, forkedFrom: Int64?)? {
        guard case .success(let store) = await open(), var info = try await store.session(id: id) else { return nil }
        var forkedFrom: Int64?
        if let held = store.claim(sessionID: id) {
            claim = held
        } else {
            info = try await store.forkSession(id)
            claim = store.claim(sessionID: info.id)
            forkedFrom = id
        }
        let id = info.id
        currentID = id
        // Two independent reads, side by side on the pool's readers.
        async let recent = store.loadRecentMessages(sessionID: id, limit: Self.resumeMessageLimit,
                                                    characterBudget: Self.resumeCharacterBudget)
        async let usage = store.usageTotals(sessionID: id)
        let page = try await recent
        unloadedBefore = page.hasOlder ? page.firstPosition : nil
        return (page, try await usage, info, forkedFrom)
    }

    /// The page of the current session's messages before `position`, for scrolling up.
    func olderMessages(before position: Int64) async throws -> MessagePage? {
        guard let currentID, case .success(let store) = await open() else { return nil }
        return try await store.loadMessages(sessionID: currentID, before: position, limit: Self.olderPageSize)
    }

    /// Done with the database (at exit): `PRAGMA optimize`.
    func close() async {
        await store?.close()
    }

    /// The latest session of this directory, for `--continue`.
    func latest() async throws -> SessionInfo? {
        guard case .success(let store) = await open() else { return nil }
        return try await store.latestSession(projectDirectory: projectDirectory)
    }

    /// Sessions of this directory, newest first (those `run` made only with `includeRuns`).
    func sessionsHere(limit: Int = 200, includeRuns: Bool = false) async throws -> [SessionInfo] {
        guard case .success(let store) = await open() else { return [] }
        return try await store.listSessions(limit: limit * 4, includeRuns: includeRuns)
            .filter { $0.projectDirectory == projectDirectory }
            .prefix(limit).map { $0 }
    }

    /// `provider/model` of every model the current session's requests went to (from the ledger).
    func modelsUsed() async -> [String] {
        guard let currentID, case .success(let store) = await open() else { return [] }
        let rows = (try? await store.usageByProviderModel(sessionID: currentID)) ?? []
        return rows.map { "\($0.provider)/\($0.model)" }
    }

    /// Records the provider and model now in use for the current session.
    func switched(provider: String, model: String) async {
        guard let currentID, case .success(let store) = await open() else { return }
        try? await store.updateSession(id: currentID, provider: provider, model: model)
    }

    /// What was spent today (local time) across sessions, from the ledger.
    func spentToday() async -> Decimal? {
        guard case .success(let store) = await open() else { return nil }
        return try? await store.spend(sessionID: currentID, today: LocalDay.startOfToday()).today  // one row, D72
    }

    /// The current session's checkpoints (D131); `nil` before the first message is saved.
    func checkpoints() async -> (service: any CheckpointService, sessionID: Int64)? {
        guard let currentID, case .success(let store) = await open(),
              let service = store as? any CheckpointService else { return nil }
        return (service, currentID)
    }

    /// The store, for reports.
    func reportStore() async -> (any SessionService)? {
        if case .success(let store) = await open() { return store }
        return nil
    }
}

/// Why the session database is not available.
struct SessionFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
