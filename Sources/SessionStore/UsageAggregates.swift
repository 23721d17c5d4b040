import FoundationEssentials
import GRDB
import SessionModel

/// Which ledger rows an aggregate adds up.
struct UsageFilter: Sendable {
    var sessionID: Int64?
    /// Rows at or after this instant.
    var since: Date?
    /// Rows before this instant.
    var before: Date?

    var sql: String {
        var terms: [String] = []
        if sessionID != nil { terms.append("sessionId = ?") }
        if since != nil { terms.append("createdAt >= ?") }
        if before != nil { terms.append("createdAt < ?") }
        return terms.isEmpty ? "1" : terms.joined(separator: " AND ")
    }

    /// The index a filtered aggregate reads, named because without statistics SQLite may
    /// prefer scanning the whole per-model index in group order over a short range (D71).
    var index: String {
        if sessionID != nil { return "INDEXED BY usage_on_sessionId" }
        if since != nil || before != nil { return "INDEXED BY usage_on_createdAt" }
        return ""
    }

    var arguments: StatementArguments {
        var arguments = StatementArguments()
        if let sessionID { arguments += [sessionID] }
        if let since { arguments += [StoredDate(since)] }
        if let before { arguments += [StoredDate(before)] }
        return arguments
    }
}

/// A group of an aggregate: the columns it was grouped by, `nil` for the others.
struct UsageGroupKey: Hashable, Sendable {
    var provider: String?
    var model: String?
    var sessionID: Int64?
}

/// The columns an aggregate can be grouped by (always also by cost source, merged after).
enum UsageDimension: Sendable {
    case providerModel
    case session
}

/// Ledger sums computed by SQLite (D70): one `GROUP BY` over the rows a filter selects through
/// the `createdAt` or `sessionId` index; costs summed as two integer halves of the pico-dollar
/// column, so no sum can overflow; the rare cost with no exact integer added in Swift.
enum UsageAggregates {
    /// The rows matching `filter`, summed per group of `dimensions`.
    static func groups(_ db: Database, filter: UsageFilter,
                       by dimensions: [UsageDimension]) throws -> [UsageGroupKey: UsageTotals] {
        let keys = dimensions.flatMap(columns)
        let keyList = keys.isEmpty ? "" : keys.joined(separator: ", ") + ", "
        let sql = """
            SELECT \(keyList)costSource, COUNT(*) AS requests,
                   SUM(inputTokens) AS input, SUM(outputTokens) AS output,
                   SUM(cachedInputTokens) AS cached, SUM(cacheWriteTokens) AS cacheWrite,
                   SUM(reasoningTokens) AS reasoning, SUM(cost IS NULL) AS unpriced,
                   SUM(isEstimate) AS estimated, SUM(cost IS NOT NULL) AS priced,
                   SUM(costPico >> 32) AS high, SUM(costPico & 4294967295) AS low
            FROM usage \(filter.index) WHERE \(filter.sql) GROUP BY \(keyList)costSource
            """
        var result: [UsageGroupKey: UsageTotals] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: filter.arguments)
        while let row = try rows.next() {
            result[key(row, dimensions), default: UsageTotals()].merge(totals(row))
        }
        try addInexactCosts(db, filter: filter, dimensions: dimensions, keyList: keyList, into: &result)
        return result
    }

    /// Every row matching `filter` as one total.
    static func total(_ db: Database, filter: UsageFilter) throws -> UsageTotals {
        try groups(db, filter: filter, by: []).values.reduce(into: UsageTotals()) { $0.merge($1) }
    }

    /// Per local day in `timeZone` (from `since`, all time when nil), each day read through the
    /// `createdAt` index by its own range; days without rows are left out.
    static func days(_ db: Database, since: Date?, timeZone: TimeZone,
                     by dimensions: [UsageDimension]) throws -> [(day: String, groups: [UsageGroupKey: UsageTotals])] {
        guard let range = try dateRange(db, since: since) else { return [] }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var start = calendar.startOfDay(for: range.first)
        var result: [(day: String, groups: [UsageGroupKey: UsageTotals])] = []
        while start <= range.last {
            guard let next = calendar.date(byAdding: .day, value: 1, to: start), next > start else { break }
            let lower = since.map { max($0, start) } ?? start
            let groups = try groups(db, filter: UsageFilter(since: lower, before: next), by: dimensions)
            if !groups.isEmpty {
                result.append((CalendarText.day(start, calendar: calendar), groups))
                start = next
            } else {
                // Skip a stretch without rows (months away, a stray old date) in one step.
                guard let following = try firstDate(db, from: next) else { break }
                start = max(next, calendar.startOfDay(for: following))
            }
        }
        return result
    }

    private static func firstDate(_ db: Database, from date: Date) throws -> Date? {
        try StoredDate.fetchOne(db, sql: "SELECT MIN(createdAt) FROM usage WHERE createdAt >= ?", arguments: [StoredDate(date)])?.date
    }

    /// The first and last `createdAt` from `since`, from the index ends; `nil` without rows.
    private static func dateRange(_ db: Database, since: Date?) throws -> (first: Date, last: Date)? {
        let first = if let since {
            try firstDate(db, from: since)
        } else {
            try StoredDate.fetchOne(db, sql: "SELECT MIN(createdAt) FROM usage")?.date
        }
        let last = try StoredDate.fetchOne(db, sql: "SELECT MAX(createdAt) FROM usage")?.date
        guard let first, let last, first <= last else { return nil }
        return (first, last)
    }

    private static func columns(_ dimension: UsageDimension) -> [String] {
        switch dimension {
        case .providerModel: ["provider", "model"]
        case .session: ["sessionId"]
        }
    }

    private static func key(_ row: Row, _ dimensions: [UsageDimension]) -> UsageGroupKey {
        var key = UsageGroupKey()
        for dimension in dimensions {
            switch dimension {
            case .providerModel: (key.provider, key.model) = (row["provider"], row["model"])
            case .session: key.sessionID = row["sessionId"]
            }
        }
        return key
    }

    private static func totals(_ row: Row) -> UsageTotals {
        var totals = UsageTotals()
        totals.requests = row["requests"]
        totals.inputTokens = row["input"] ?? 0
        totals.outputTokens = row["output"] ?? 0
        totals.cachedInputTokens = row["cached"] ?? 0
        totals.cacheWriteTokens = row["cacheWrite"] ?? 0
        totals.reasoningTokens = row["reasoning"] ?? 0
        totals.unpricedRequests = row["unpriced"] ?? 0
        totals.estimatedRequests = row["estimated"] ?? 0
        totals.cost = PicoDollars.dollars(high: row["high"] ?? 0, low: row["low"] ?? 0)
        if (row["priced"] ?? 0) > 0, let source: String = row["costSource"] { totals.costSources.insert(source) }
        return totals
    }

    /// The sum of the costs matching `filter` kept only as decimal text.
    static func inexactCost(_ db: Database, filter: UsageFilter) throws -> Decimal {
        var groups: [UsageGroupKey: UsageTotals] = [:]
        try addInexactCosts(db, filter: filter, dimensions: [], keyList: "", into: &groups)
        return groups.values.reduce(Decimal(0)) { $0 + $1.cost }
    }

    /// Adds the costs kept only as decimal text (no exact pico-dollar integer), found through
    /// the partial index `usage_inexact_cost`; normally there are none.
    private static func addInexactCosts(_ db: Database, filter: UsageFilter, dimensions: [UsageDimension],
                                        keyList: String, into result: inout [UsageGroupKey: UsageTotals]) throws {
        let sql = """
            SELECT \(keyList)id, cost FROM usage
            WHERE \(filter.sql) AND cost IS NOT NULL AND costPico IS NULL
            """
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: filter.arguments)
        while let row = try rows.next() {
            let text: String = row["cost"]
            guard let cost = Decimal(string: text) else {
                throw SessionStoreError.corruptRow(table: "usage", id: row["id"],
                                                   reason: "cost \"\(text)\" is not a number")
            }
            result[key(row, dimensions), default: UsageTotals()].cost += cost
        }
    }
}
