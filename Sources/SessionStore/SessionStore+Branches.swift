import AgentCore
import FoundationEssentials
import GRDB
import SessionModel

extension SessionStoreRecorder {
    /// The conversation was compacted: the view becomes a new branch the session continues on.
    public func compacted(_ messages: [ChatMessage]) async throws {
        try await store.startBranch(sessionID: sessionID, view: messages)
    }

    /// `/compact undo`: the session continues on the branch before the last compaction.
    public func compactionUndone() async throws {
        try await store.returnToParentBranch(sessionID: sessionID)
    }
}

extension SessionStore {
    /// Writes `view` as a new branch of the session (its rows marked as copies) and makes it
    /// the session's current one. The rows of earlier branches stay (D127).
    public func startBranch(sessionID: Int64, view: [ChatMessage]) async throws {
        let now = clock()
        let encoded = try view.map { ($0, try Self.encodeToolCalls($0.toolCalls)) }
        try await writeShielded { db in
            try Self.requireSession(db, sessionID)
            let current = try Int64.fetchOne(db, sql: "SELECT branch FROM session WHERE id = ?",
                                             arguments: [sessionID]) ?? 0
            let next = (try Int64.fetchOne(db, sql: "SELECT MAX(branch) FROM sessionBranch WHERE sessionId = ?",
                                           arguments: [sessionID]) ?? 0) + 1
            try db.execute(sql: "INSERT INTO sessionBranch (sessionId, branch, parent, createdAt) VALUES (?, ?, ?, ?)",
                           arguments: [sessionID, next, current, StoredDate(now)])
            try db.execute(sql: "UPDATE session SET branch = ?, updatedAt = ? WHERE id = ?",
                           arguments: [next, StoredDate(now), sessionID])
            for (message, toolCalls) in encoded {
                try Self.appendMessage(db, sessionID: sessionID, message: message, toolCalls: toolCalls,
                                       isInterrupted: false, date: now)
            }
            try db.execute(sql: "UPDATE message SET isCopy = 1 WHERE sessionId = ? AND branch = ?",
                           arguments: [sessionID, next])
        }
    }

    /// Makes the current branch's parent the session's view again (nothing when on the original).
    public func returnToParentBranch(sessionID: Int64) async throws {
        try await writeShielded { db in
            try Self.requireSession(db, sessionID)
            try db.execute(sql: """
                UPDATE session SET branch = COALESCE((SELECT parent FROM sessionBranch b
                    WHERE b.sessionId = session.id AND b.branch = session.branch), branch)
                WHERE id = ?
                """, arguments: [sessionID])
        }
    }

    /// Every message ever said in the session, oldest first: all rows that are not copies a
    /// compaction wrote, whatever their branch (`/export full`).
    public func loadFullHistory(sessionID: Int64) async throws -> [StoredMessage] {
        try await pool.read { db in
            try Self.requireSession(db, sessionID)
            return try Row.fetchAll(db, sql: """
                SELECT id, role, content, toolCalls, toolCallId, isInterrupted, createdAt
                FROM message WHERE sessionId = ? AND isCopy = 0 ORDER BY position
                """, arguments: [sessionID]).map(Self.storedMessage)
        }
    }
}
