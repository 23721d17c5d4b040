import AgentCore
import FoundationEssentials
import GRDB

extension SessionStore {
    /// Every request of the session, including those made before it was resumed (zero for an
    /// unknown id).
    public func usageTotals(sessionID: Int64) async throws -> UsageTotals {
        UsageAggregation.total(try await usageRows(where: "sessionId = ?", arguments: [sessionID]))
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

    private func usageRows(since: Date?) async throws -> [UsageRow] {
        if let since { return try await usageRows(where: "createdAt >= ?", arguments: [since]) }
        return try await usageRows(where: nil, arguments: [])
    }

    private func usageRows(where condition: String?, arguments: StatementArguments) async throws -> [UsageRow] {
        try await pool.read { db in
            var sql = """
                SELECT id, provider, model, inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens,
                       reasoningTokens, isEstimate, cost, createdAt FROM usage
                """
            if let condition { sql += " WHERE \(condition)" }
            return try Row.fetchAll(db, sql: sql + " ORDER BY createdAt, id", arguments: arguments).map(Self.usageRow)
        }
    }

    private static func usageRow(_ row: Row) throws -> UsageRow {
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
        return UsageRow(provider: row["provider"], model: row["model"], usage: usage, cost: cost,
                        date: row["createdAt"])
    }
}

/// Groups and sums usage rows. Pure.
enum UsageAggregation {
    static func total(_ rows: [UsageRow]) -> UsageTotals {
        rows.reduce(into: UsageTotals()) { $0.add($1.usage, cost: $1.cost) }
    }

    static func byProviderModel(_ rows: [UsageRow]) -> [ProviderModelUsage] {
        var groups: [[String]: UsageTotals] = [:]
        for row in rows { groups[[row.provider, row.model], default: UsageTotals()].add(row.usage, cost: row.cost) }
        return groups.map { ProviderModelUsage(provider: $0.key[0], model: $0.key[1], totals: $0.value) }
            .sorted { ($0.provider, $0.model) < ($1.provider, $1.model) }
    }

    static func byDay(_ rows: [UsageRow], timeZone: TimeZone) -> [DailyUsage] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var groups: [String: UsageTotals] = [:]
        for row in rows {
            groups[dayString(row.date, calendar: calendar), default: UsageTotals()].add(row.usage, cost: row.cost)
        }
        return groups.map { DailyUsage(day: $0.key, totals: $0.value) }.sorted { $0.day < $1.day }
    }

    static func dayString(_ date: Date, calendar: Calendar) -> String { CalendarText.day(date, calendar: calendar) }
}


/// One ledger row as read back.
struct UsageRow: Sendable, Hashable {
    var provider: String
    var model: String
    var usage: TokenUsage
    var cost: Decimal?
    var date: Date
}

