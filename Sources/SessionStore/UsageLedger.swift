import AgentCore
import FoundationEssentials
import GRDB

extension SessionStore {
    /// Every request of the session, including those made before it was resumed (zero for an
    /// unknown id).
    public func usageTotals(sessionID: Int64) async throws -> UsageTotals {
        UsageAggregation.total(try await usageRows(where: "sessionId = ?", arguments: [sessionID]))
    }

    /// Every request of the session per provider and model (zero rows for an unknown id).
    public func usageByProviderModel(sessionID: Int64) async throws -> [ProviderModelUsage] {
        UsageAggregation.byProviderModel(try await usageRows(where: "sessionId = ?", arguments: [sessionID]))
    }

    /// All requests since `since` (all time when nil), across sessions.
    public func usageTotal(since: Date? = nil) async throws -> UsageTotals {
        UsageAggregation.total(try await usageRows(since: since))
    }

    /// Requests since `since` per provider and model, ordered by provider then model.
    public func usageByProviderModel(since: Date? = nil) async throws -> [ProviderModelUsage] {
        UsageAggregation.byProviderModel(try await usageRows(since: since))
    }

    /// Requests since `since` per calendar day in `timeZone`, oldest day first; days without
    /// requests are left out.
    public func usageByDay(since: Date? = nil, timeZone: TimeZone = .current) async throws -> [DailyUsage] {
        UsageAggregation.byDay(try await usageRows(since: since), timeZone: timeZone)
    }

    public func recordUsage(_ record: UsageRecord, sessionID: Int64) async throws {
        let usage = record.usage
        let cost = record.cost.map { "\($0)" }
        try await writeShielded { db in
            try Self.requireSession(db, sessionID)
            try db.execute(sql: """
                INSERT INTO usage (sessionId, provider, model, inputTokens, outputTokens, cachedInputTokens,
                                   cacheWriteTokens, reasoningTokens, isEstimate, cost, costSource, createdAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [sessionID, record.provider, record.model, usage.inputTokens, usage.outputTokens,
                                 usage.cachedInputTokens, usage.cacheWriteTokens, usage.reasoningTokens,
                                 usage.isEstimate, cost, record.costSource, record.date])
        }
    }

    private func usageRows(since: Date?) async throws -> [UsageRecord] {
        if let since { return try await usageRows(where: "createdAt >= ?", arguments: [since]) }
        return try await usageRows(where: nil, arguments: [])
    }

    private func usageRows(where condition: String?, arguments: StatementArguments) async throws -> [UsageRecord] {
        try await pool.read { db in
            var sql = """
                SELECT id, provider, model, inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens,
                       reasoningTokens, isEstimate, cost, costSource, createdAt FROM usage
                """
            if let condition { sql += " WHERE \(condition)" }
            return try Row.fetchAll(db, sql: sql + " ORDER BY createdAt, id", arguments: arguments).map(Self.usageRow)
        }
    }

    private static func usageRow(_ row: Row) throws -> UsageRecord {
        var cost: Decimal?
        if let text: String = row["cost"] {
            guard let value = Decimal(string: text) else {
                throw SessionStoreError.corruptRow(table: "usage", id: row["id"],
                                                   reason: "cost \"\(text)\" is not a number")
            }
            cost = value
        }
        let usage = TokenUsage(inputTokens: row["inputTokens"], outputTokens: row["outputTokens"],
                               cachedInputTokens: row["cachedInputTokens"], cacheWriteTokens: row["cacheWriteTokens"],
                               reasoningTokens: row["reasoningTokens"], isEstimate: row["isEstimate"])
        return UsageRecord(provider: row["provider"], model: row["model"], usage: usage, cost: cost,
                           costSource: row["costSource"], date: row["createdAt"])
    }
}
