import FoundationEssentials
import Glibc
import GRDB

/// One process's hold on one session (D81): an exclusive `flock` on
/// `<database>.locks/<id>.lock`, released when the claim is dropped or the process ends
/// (even by `kill -9`: the kernel drops the lock with the descriptor). Only the holder writes
/// the session, so two instances never turn each other's streaming drafts into interrupted
/// messages; the second one continues in a copy (`forkSession`).
public final class SessionClaim: Sendable {
    /// The session held.
    public let sessionID: Int64
    private let descriptor: Int32

    init(sessionID: Int64, descriptor: Int32) {
        self.sessionID = sessionID
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }
}

extension SessionStore {
    /// The folder of the sessions' lock files, beside the database.
    var lockDirectory: String { path + ".locks" }

    /// Claims session `sessionID` for this process; nil when another process (or another
    /// claim in this one) holds it. Never waits.
    public func claim(sessionID: Int64) -> (any Sendable)? {
        claimSession(sessionID)
    }

    /// `claim(sessionID:)` with its concrete type.
    public func claimSession(_ sessionID: Int64) -> SessionClaim? {
        mkdir(lockDirectory, 0o700)
        let descriptor = Glibc.open("\(lockDirectory)/\(sessionID).lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            Glibc.close(descriptor)
            return nil
        }
        return SessionClaim(sessionID: sessionID, descriptor: descriptor)
    }

    /// A new session holding a copy of session `id`'s conversation as it stands (a draft being
    /// streamed by its holder becomes an interrupted message of the copy; the original is not
    /// touched). Its usage stays with the original.
    public func forkSession(_ id: Int64) async throws -> SessionInfo {
        let messages = try await loadMessages(sessionID: id)
        let now = clock()
        return try await writeShielded { db in
            guard let original = try Self.fetchSessions(db, where: "s.id = ?", arguments: [id]).first else {
                throw SessionStoreError.noSuchSession(id)
            }
            try db.execute(sql: """
                INSERT INTO session (projectDirectory, provider, model, title, createdAt, updatedAt)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [original.projectDirectory, original.provider, original.model, original.title, StoredDate(now), StoredDate(now)])
            let copy = db.lastInsertedRowID
            for (position, stored) in messages.enumerated() {
                try db.execute(sql: """
                    INSERT INTO message (sessionId, position, role, content, toolCalls, toolCallId, isInterrupted, createdAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [copy, position, stored.message.role.rawValue, stored.message.content,
                                     try Self.encodeToolCalls(stored.message.toolCalls), stored.message.toolCallID,
                                     stored.isInterrupted, StoredDate(stored.createdAt)])
            }
            guard let info = try Self.fetchSessions(db, where: "s.id = ?", arguments: [copy]).first else {
                throw SessionStoreError.noSuchSession(copy)
            }
            return info
        }
    }

    /// Waits for, then holds, the lock that serializes opening and migrating the file across
    /// processes; returns its descriptor (closing it releases), or -1 when no lock file can be
    /// made (then opening goes on unguarded, as before).
    static func holdMigrationLock(databasePath: String) -> Int32 {
        let directory = databasePath + ".locks"
        mkdir(directory, 0o700)
        let descriptor = Glibc.open(directory + "/open.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return -1 }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                Glibc.close(descriptor)
                return -1
            }
        }
        return descriptor
    }

    /// Refuses a database whose schema is newer than this build knows (written by a later
    /// swiftcoder): using it could lose what the newer version keeps there.
    static func refuseNewerSchema(_ pool: DatabasePool, path: String) throws {
        let superseded = try pool.read { db in try SessionSchema.migrator.hasBeenSuperseded(db) }
        guard !superseded else {
            throw SessionStoreError.cannotOpen(path: path, reason: """
                it was written by a newer swiftcoder (its schema has migrations this version does not know); \
                upgrade swiftcoder, or move the file aside to start a new database
                """)
        }
    }
}
