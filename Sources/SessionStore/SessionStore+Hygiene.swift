import FoundationEssentials
import GRDB
import Glibc
import SessionModel

extension SessionStore {
    /// Deletes the sessions with these ids (their messages and drafts with them). Their usage
    /// rows stay in the ledger, no longer tied to a session, unless `withUsage` is set.
    /// - Returns: what was removed; `missing` lists the ids that had no session.
    public func deleteSessions(ids: [Int64], withUsage: Bool) async throws -> PruneResult {
        let unique = Array(Set(ids)).sorted()
        return try await writeShielded { db in
            var result = PruneResult()
            for id in unique {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM session WHERE id = ?", arguments: [id]) == true else {
                    result.missing.append(id)
                    continue
                }
                try Self.delete(db, sessionID: id, withUsage: withUsage, into: &result)
            }
            try Self.dropUnreferencedBlobs(db)
            return result
        }
    }

    /// Deletes the sessions last updated before `cutoff`, as `deleteSessions` does.
    public func pruneSessions(updatedBefore cutoff: Date, withUsage: Bool) async throws -> PruneResult {
        try await writeShielded { db in
            var result = PruneResult()
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM session WHERE updatedAt < ? ORDER BY id",
                                         arguments: [StoredDate(cutoff)])
            for id in ids { try Self.delete(db, sessionID: id, withUsage: withUsage, into: &result) }
            try Self.dropUnreferencedBlobs(db)
            return result
        }
    }

    private static func delete(_ db: Database, sessionID: Int64, withUsage: Bool, into result: inout PruneResult) throws {
        result.messages += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message WHERE sessionId = ?",
                                            arguments: [sessionID]) ?? 0
        if withUsage {
            try db.execute(sql: "DELETE FROM usage WHERE sessionId = ?", arguments: [sessionID])
            result.usageRows += db.changesCount
        }
        try db.execute(sql: "DELETE FROM session WHERE id = ?", arguments: [sessionID])  // cascades
        result.sessions.append(sessionID)
    }

    /// Counts, sizes and the biggest sessions (by the bytes of their messages), for
    /// `swiftcoder sessions --stats`.
    public func statistics(biggest: Int = 5) async throws -> SessionStatistics {
        let path = self.path
        return try await pool.read { db in
            let count = { (table: String) in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
            let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let free = try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            let biggestRows = try Row.fetchAll(db, sql: """
                SELECT m.sessionId AS id, COUNT(*) AS messages, SUM(LENGTH(CAST(m.content AS BLOB))
                       + COALESCE(LENGTH(CAST(m.toolCalls AS BLOB)), 0)) AS bytes, s.title AS title
                FROM message m JOIN session s ON s.id = m.sessionId
                GROUP BY m.sessionId ORDER BY bytes DESC, id LIMIT ?
                """, arguments: [max(0, biggest)])
            let ledger = try UsageAggregates.total(db, filter: UsageFilter())
            return SessionStatistics(
                path: path, sessions: try count("session"), messages: try count("message"),
                drafts: try count("draft"), usageRows: try count("usage"),
                orphanUsageRows: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM usage WHERE sessionId IS NULL") ?? 0,
                databaseBytes: Int64(pageSize) * Int64(pages), freeBytes: Int64(pageSize) * Int64(free),
                walBytes: Self.fileSize(path + "-wal"), ledgerCost: ledger.cost,
                oldest: try StoredDate.fetchOne(db, sql: "SELECT MIN(updatedAt) FROM session")?.date,
                newest: try StoredDate.fetchOne(db, sql: "SELECT MAX(updatedAt) FROM session")?.date,
                biggest: biggestRows.map { row in
                    SessionStatistics.Big(id: row["id"], title: row["title"], messages: row["messages"], bytes: row["bytes"])
                })
        }
    }

    /// Lets SQLite refresh its planner statistics (bounded, `analysis_limit`); call when done
    /// with the store. Errors are ignored: this is an optimisation.
    public func close() async {
        _ = try? await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA analysis_limit = 400; PRAGMA optimize")
        }
    }

    private static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }
}
