@_exported import SessionModel
import AgentCore
import FoundationEssentials
import GRDB
import Glibc

/// Persisted sessions, their messages and the usage ledger, in one SQLite file (WAL mode,
/// `synchronous=NORMAL`) through a GRDB `DatabasePool`.
///
/// Every async method runs its SQL on GRDB's own dispatch queues, never on the cooperative
/// pool. Several processes may share the file (writes wait up to 5 s for the lock).
public final class SessionStore: Sendable {
    /// The database file.
    public let path: String
    let pool: DatabasePool
    /// Supplies timestamps for new rows (tests pass a fixed clock).
    let clock: @Sendable () -> Date
    /// Marks the drafts this instance writes. A draft written by another instance is a
    /// leftover of a process that ended while streaming; it is kept as an interrupted message.
    let writerToken: String

    /// Opens (creating it and its directory, mode 0700, when missing) and migrates the database
    /// at `path`. Runs synchronously: call it once at start-up, not from a hot path.
    /// - Throws: `SessionStoreError.cannotOpen` naming `path` and the reason.
    public init(path: String, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.path = path
        self.clock = clock
        writerToken = String(UInt64.random(in: .min ... .max), radix: 16)
        do {
            try Self.createParentDirectory(of: path)
            // Two processes creating or upgrading the file at once would both run the same
            // migration; the second would fail ("table session already exists").
            let migrationLock = Self.holdMigrationLock(databasePath: path)
            defer { if migrationLock >= 0 { Glibc.close(migrationLock) } }
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            configuration.label = "swiftcoder.sessions"
            // A pool already puts the file in WAL mode with synchronous=NORMAL; stated here so
            // the durability choice (a power loss may drop the last commits) is explicit.
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // Each connection's page cache grows with the file up to SQLite's default of
                // 2 MiB; the app's reads and writes touch a few pages (D153).
                try db.execute(sql: "PRAGMA cache_size = -\(Self.pageCacheKiB)")
            }
            configuration.maximumReaderCount = 2
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.refuseNewerSchema(pool, path: path)
            try SessionSchema.migrator.migrate(pool)
        } catch let error as SessionStoreError {
            throw error
        } catch {
            throw SessionStoreError.cannotOpen(path: path, reason: Self.describe(error))
        }
    }

    /// The page cache of each connection, in KiB (SQLite's default is 2,000).
    static let pageCacheKiB = 256

    /// `$XDG_DATA_HOME/swiftcoder/sessions.sqlite` (see `SessionPaths`).
    public static func defaultPath(environment: [String: String]) -> String {
        SessionPaths.defaultPath(environment: environment)
    }

    /// The recorder the engine writes one session's messages, drafts and usage through.
    public func recorder(for sessionID: Int64) -> SessionStoreRecorder {
        SessionStoreRecorder(store: self, sessionID: sessionID)
    }

    // MARK: Sessions

    /// Starts an empty session (no title until the first user message).
    public func createSession(projectDirectory: String, provider: String, model: String) async throws
        -> SessionInfo {
        let now = clock()
        return try await writeShielded { db in
            try db.execute(sql: """
                INSERT INTO session (projectDirectory, provider, model, title, createdAt, updatedAt)
                VALUES (?, ?, ?, '', ?, ?)
                """, arguments: [projectDirectory, provider, model, StoredDate(now), StoredDate(now)])
            let id = db.lastInsertedRowID
            guard let info = try Self.fetchSessions(db, where: "s.id = ?", arguments: [id]).first else {
                throw SessionStoreError.noSuchSession(id)
            }
            return info
        }
    }

    /// The session with this id, `nil` when there is none.
    public func session(id: Int64) async throws -> SessionInfo? {
        try await pool.read { db in
            try Self.fetchSessions(db, where: "s.id = ?", arguments: [id]).first
        }
    }

    /// The most recently updated session started in `projectDirectory` that has at least one
    /// message (for `--continue`; a session opened and left without a word is skipped).
    public func latestSession(projectDirectory: String) async throws -> SessionInfo? {
        try await pool.read { db in
            try Self.fetchSessions(db, where: """
                s.projectDirectory = ? AND EXISTS (SELECT 1 FROM message m WHERE m.sessionId = s.id)
                """, arguments: [projectDirectory], limit: 1).first
        }
    }

    /// Sessions newest (by `updatedAt`) first; all of them when `limit` is nil.
    public func listSessions(limit: Int? = nil) async throws -> [SessionInfo] {
        try await pool.read { db in
            try Self.fetchSessions(db, limit: limit)
        }
    }

    /// Sessions newest first without those `swiftcoder run` made, unless `includeRuns`.
    public func listSessions(limit: Int?, includeRuns: Bool) async throws -> [SessionInfo] {
        try await pool.read { db in
            try Self.fetchSessions(db, where: includeRuns ? nil : "s.fromRun = 0", limit: limit)
        }
    }

    /// Marks a session as made by `swiftcoder run`.
    public func markAsRun(sessionID: Int64) async throws {
        try await writeShielded { db in
            try db.execute(sql: "UPDATE session SET fromRun = 1 WHERE id = ?", arguments: [sessionID])
            if db.changesCount == 0 { throw SessionStoreError.noSuchSession(sessionID) }
        }
    }

    /// Records a switch of provider or model (`/model`); `updatedAt` is left alone.
    public func updateSession(id: Int64, provider: String, model: String) async throws {
        try await writeShielded { db in
            try db.execute(sql: "UPDATE session SET provider = ?, model = ? WHERE id = ?",
                           arguments: [provider, model, id])
            if db.changesCount == 0 { throw SessionStoreError.noSuchSession(id) }
        }
    }

    // MARK: Helpers

    /// Runs `updates` in a write transaction in a task of its own, so that cancelling the
    /// caller (the user stopping a turn) cannot abort a commit halfway: the write still lands.
    func writeShielded<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let pool = self.pool
        return try await Task { try await pool.write(updates) }.value
    }

    static func fetchSessions(_ db: Database, where condition: String? = nil,
                              arguments: StatementArguments = [], limit: Int? = nil) throws -> [SessionInfo] {
        var sql = """
            SELECT s.id, s.projectDirectory, s.provider, s.model, s.title, s.createdAt, s.updatedAt,
                   (SELECT COUNT(*) FROM message m WHERE m.sessionId = s.id) AS messageCount, s.fromRun
            FROM session s
            """
        if let condition { sql += " WHERE \(condition)" }
        sql += " ORDER BY s.updatedAt DESC, s.id DESC"
        if let limit { sql += " LIMIT \(max(0, limit))" }
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            SessionInfo(id: row["id"], projectDirectory: row["projectDirectory"], provider: row["provider"],
                        model: row["model"], title: row["title"], createdAt: (row["createdAt"] as StoredDate).date,
                        updatedAt: (row["updatedAt"] as StoredDate).date, messageCount: row["messageCount"], fromRun: row["fromRun"])
        }
    }

    static func requireSession(_ db: Database, _ id: Int64) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM session WHERE id = ?", arguments: [id]) == true else {
            throw SessionStoreError.noSuchSession(id)
        }
    }

    private static func createParentDirectory(of path: String) throws {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        let directory = String(path[..<slash])
        var isDirectory = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    private static func describe(_ error: any Error) -> String {
        if let databaseError = error as? DatabaseError {
            return databaseError.message ?? "SQLite error \(databaseError.resultCode.rawValue)"
        }
        return "\(error)"
    }
}
