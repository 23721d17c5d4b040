import AgentCore
import FoundationEssentials
import GRDB

extension SessionStore {
    /// Every request of the session, including those made before it was resumed (zero for an
    /// unknown id).
    public func usageTotals(sessionID: Int64) async throws -> UsageTotals {
        try await pool.read { db in try UsageAggregates.total(db, filter: UsageFilter(sessionID: sessionID)) }
    }

    /// Every request of the session per provider and model (zero rows for an unknown id).
    public func usageByProviderModel(sessionID: Int64) async throws -> [ProviderModelUsage] {
        try await pool.read { db in
            Self.providerModelRows(try UsageAggregates.groups(db, filter: UsageFilter(sessionID: sessionID),
                                                              by: [.providerModel]))
        }
    }

    /// All requests since `since` (all time when nil), across sessions.
    public func usageTotal(since: Date? = nil) async throws -> UsageTotals {
        try await pool.read { db in try UsageAggregates.total(db, filter: UsageFilter(since: since)) }
    }

    /// Requests since `since` per provider and model, ordered by provider then model.
    public func usageByProviderModel(since: Date? = nil) async throws -> [ProviderModelUsage] {
        try await pool.read { db in
            Self.providerModelRows(try UsageAggregates.groups(db, filter: UsageFilter(since: since), by: [.providerModel]))
        }
    }

    /// Requests since `since` per calendar day in `timeZone`, oldest day first; days without
    /// requests are left out.
    public func usageByDay(since: Date? = nil, timeZone: TimeZone = .current) async throws -> [DailyUsage] {
        try await pool.read { db in
            try UsageAggregates.days(db, since: since, timeZone: timeZone, by: []).map { day in
                DailyUsage(day: day.day, totals: day.groups.values.reduce(into: UsageTotals()) { $0.merge($1) })
            }
        }
    }

    /// Requests since `since` per calendar day in `timeZone` and, within a day, per provider
    /// and model: oldest day first, then by provider and model. One pass over the ledger that
    /// the per-day, per-model and total figures of a report are all derived from.
    public func usageByDayAndProviderModel(since: Date? = nil, timeZone: TimeZone = .current) async throws
        -> [DailyProviderModelUsage] {
        try await pool.read { db in
            try UsageAggregates.days(db, since: since, timeZone: timeZone, by: [.providerModel]).map { day in
                DailyProviderModelUsage(day: day.day, rows: Self.providerModelRows(day.groups))
            }
        }
    }

    /// Requests since `since` (all time when nil) per session, the most expensive first
    /// (then by id); rows of deleted sessions are grouped under `sessionID` nil.
    public func usageBySession(since: Date? = nil) async throws -> [SessionUsage] {
        try await pool.read { db in
            try UsageAggregates.groups(db, filter: UsageFilter(since: since), by: [.session])
                .map { SessionUsage(sessionID: $0.key.sessionID, totals: $0.value) }
                .sorted { ($0.totals.cost, $0.sessionID ?? -1) > ($1.totals.cost, $1.sessionID ?? -1) }
        }
    }

    /// What the budgets are checked against, in one aggregate query over two index ranges:
    /// the known cost of the session's requests (none when `sessionID` is nil) and of every
    /// request at or after `today` (a local midnight).
    public func spend(sessionID: Int64?, today: Date) async throws -> BudgetSpend {
        try await pool.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT SUM(CASE WHEN sessionId = ?1 THEN costPico >> 32 END) AS sessionHigh,
                       SUM(CASE WHEN sessionId = ?1 THEN costPico & 4294967295 END) AS sessionLow,
                       SUM(CASE WHEN createdAt >= ?2 THEN costPico >> 32 END) AS todayHigh,
                       SUM(CASE WHEN createdAt >= ?2 THEN costPico & 4294967295 END) AS todayLow,
                       SUM(cost IS NOT NULL AND costPico IS NULL) AS inexact
                FROM usage WHERE sessionId = ?1 OR createdAt >= ?2
                """, arguments: [sessionID ?? -1, today])
            guard let row else { return BudgetSpend() }
            var spend = BudgetSpend(
                session: PicoDollars.dollars(high: row["sessionHigh"] ?? 0, low: row["sessionLow"] ?? 0),
                today: PicoDollars.dollars(high: row["todayHigh"] ?? 0, low: row["todayLow"] ?? 0))
            if (row["inexact"] ?? 0) > 0 {  // rare: costs with no exact integer, added in Swift
                if let sessionID {
                    spend.session += try UsageAggregates.inexactCost(db, filter: UsageFilter(sessionID: sessionID))
                }
                spend.today += try UsageAggregates.inexactCost(db, filter: UsageFilter(since: today))
            }
            return spend
        }
    }

    public func recordUsage(_ record: UsageRecord, sessionID: Int64) async throws {
        let usage = record.usage
        let cost = record.cost.map { "\($0)" }
        let pico = cost.flatMap(PicoDollars.exact)
        try await writeShielded { db in
            try Self.requireSession(db, sessionID)
            try db.execute(sql: """
                INSERT INTO usage (sessionId, provider, model, inputTokens, outputTokens, cachedInputTokens,
                                   cacheWriteTokens, reasoningTokens, isEstimate, cost, costPico, costSource, createdAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [sessionID, record.provider, record.model, usage.inputTokens, usage.outputTokens,
                                 usage.cachedInputTokens, usage.cacheWriteTokens, usage.reasoningTokens,
                                 usage.isEstimate, cost, pico, record.costSource, StoredDate(record.date)])
        }
    }

    private static func providerModelRows(_ groups: [UsageGroupKey: UsageTotals]) -> [ProviderModelUsage] {
        groups.map { ProviderModelUsage(provider: $0.key.provider ?? "", model: $0.key.model ?? "", totals: $0.value) }
            .sorted { ($0.provider, $0.model) < ($1.provider, $1.model) }
    }
}
