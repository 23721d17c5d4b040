import AgentCore
import FoundationEssentials
import GRDB
import SessionModel

extension SessionStoreRecorder {
    /// A file the running turn changed: kept under the session's latest user message (D131).
    public func recordFileChange(_ change: FileChange) async throws {
        try await store.recordFileChange(change, sessionID: sessionID)
    }
}

extension SessionStore {
    /// Records `change` under the session's latest user message (the turn that made it);
    /// contents go to `fileBlob` once per hash.
    public func recordFileChange(_ change: FileChange, sessionID: Int64) async throws {
        let now = clock()
        // Hashed here, not while holding the database's write lock.
        let (beforeHash, afterHash) = (change.before.recorded.hash, change.after.recorded.hash)
        try await writeShielded { db in
            try Self.requireSession(db, sessionID)
            let before = try Self.storeSnapshot(db, change.before, hash: beforeHash)
            let after = try Self.storeSnapshot(db, change.after, hash: afterHash)
            try db.execute(sql: """
                INSERT INTO fileChange (sessionId, checkpoint, path, beforeKind, beforeHash, beforeSize,
                                        afterKind, afterHash, afterSize, createdAt)
                VALUES (?, COALESCE((SELECT MAX(id) FROM message
                                     WHERE sessionId = ? AND role = 'user' AND isCopy = 0), 0),
                        ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [sessionID, sessionID, change.path, before.kind, before.hash, before.size,
                                 after.kind, after.hash, after.size, now])
        }
    }

    /// The session's file changes not undone, oldest first.
    public func fileChanges(sessionID: Int64) async throws -> [RecordedFileChange] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, checkpoint, path, beforeKind, beforeHash, beforeSize, afterKind, afterHash, afterSize
                FROM fileChange WHERE sessionId = ? AND undone = 0 ORDER BY id
                """, arguments: [sessionID]).map { row in
                RecordedFileChange(id: row["id"], checkpoint: row["checkpoint"], path: row["path"],
                                   before: Self.snapshot(row["beforeKind"], row["beforeHash"], row["beforeSize"]),
                                   after: Self.snapshot(row["afterKind"], row["afterHash"], row["afterSize"]))
            }
        }
    }

    /// The content stored under `hash`, `nil` when there is none.
    public func fileContent(hash: String) async throws -> [UInt8]? {
        try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT content FROM fileBlob WHERE hash = ?", arguments: [hash]).map { Array($0) }
        }
    }

    /// Marks changes as reverted (`/undo`, `/rewind`): later plans leave them out.
    public func markFileChangesUndone(ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await writeShielded { db in
            for id in ids {
                try db.execute(sql: "UPDATE fileChange SET undone = 1 WHERE id = ?", arguments: [id])
            }
        }
    }

    /// The session's user messages as said (not the copies compactions wrote), oldest first,
    /// the newest `limit`: the points `/rewind` offers.
    public func userMessages(sessionID: Int64, limit: Int) async throws -> [(id: Int64, text: String)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, content FROM message WHERE sessionId = ? AND role = 'user' AND isCopy = 0
                ORDER BY id DESC LIMIT ?
                """, arguments: [sessionID, max(0, limit)]).map { (id: $0["id"], text: $0["content"]) }.reversed()
        }
    }

    /// Drops contents no change refers to any more (after sessions were deleted).
    static func dropUnreferencedBlobs(_ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM fileBlob WHERE hash NOT IN (
                SELECT beforeHash FROM fileChange WHERE beforeKind = 'stored'
                UNION SELECT afterHash FROM fileChange WHERE afterKind = 'stored')
            """)
    }

    private static func storeSnapshot(_ db: Database, _ snapshot: FileSnapshot, hash: String?) throws
        -> (kind: String, hash: String?, size: Int?) {
        switch snapshot {
        case .absent:
            return ("absent", nil, nil)
        case .content(let bytes):
            let hash = hash ?? SHA256.hex(bytes)
            try db.execute(sql: "INSERT OR IGNORE INTO fileBlob (hash, content) VALUES (?, ?)",
                           arguments: [hash, Data(bytes)])
            return ("stored", hash, bytes.count)
        case .tooLarge(let hash, let size):
            return ("tooLarge", hash, size)
        }
    }

    private static func snapshot(_ kind: String, _ hash: String?, _ size: Int?) -> RecordedSnapshot {
        switch kind {
        case "absent": .absent
        case "stored": hash.map { .stored(hash: $0) } ?? .tooLarge(hash: nil, size: size ?? 0)
        default: .tooLarge(hash: hash, size: size ?? 0)
        }
    }
}
