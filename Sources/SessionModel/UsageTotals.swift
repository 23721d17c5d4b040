import AgentCore
import FoundationEssentials

/// Sums over usage rows. Costs are added as `Decimal`, exactly.
public struct UsageTotals: Sendable, Hashable, Codable {
    public var requests = 0
    public var inputTokens = 0
    public var outputTokens = 0
    public var cachedInputTokens = 0
    public var cacheWriteTokens = 0
    public var reasoningTokens = 0
    /// The sum of the known costs in USD; rows without a price add nothing here (see
    /// `unpricedRequests`).
    public var cost: Decimal = 0
    /// Requests with no known price: when non-zero, `cost` is a lower bound.
    public var unpricedRequests = 0
    /// Requests whose token counts were estimated locally.
    public var estimatedRequests = 0
    /// Where the known costs came from (`reported`, `provider`, `config`, `builtin`, `litellm`,
    /// `local`), as stored with each request.
    public var costSources: Set<String> = []

    /// All zero.
    public init() {}

    /// Adds one request.
    public mutating func add(_ usage: TokenUsage, cost: Decimal?, source: String? = nil) {
        requests += 1
        inputTokens = inputTokens.saturatingAdding(usage.inputTokens)
        outputTokens = outputTokens.saturatingAdding(usage.outputTokens)
        cachedInputTokens = cachedInputTokens.saturatingAdding(usage.cachedInputTokens)
        cacheWriteTokens = cacheWriteTokens.saturatingAdding(usage.cacheWriteTokens)
        reasoningTokens = reasoningTokens.saturatingAdding(usage.reasoningTokens)
        if let cost {
            self.cost += cost
            if let source { costSources.insert(source) }
        } else {
            unpricedRequests += 1
        }
        if usage.isEstimate { estimatedRequests += 1 }
    }

    /// Adds one ledger row.
    public mutating func add(_ record: UsageRecord) {
        add(record.usage, cost: record.cost, source: record.costSource)
    }
}

/// Groups and sums ledger rows. Pure: the store reads the rows, the tests seed them.
public enum UsageAggregation {
    /// Every row added up.
    public static func total(_ records: [UsageRecord]) -> UsageTotals {
        records.reduce(into: UsageTotals()) { $0.add($1) }
    }

    /// Per provider and model, ordered by provider then model.
    public static func byProviderModel(_ records: [UsageRecord]) -> [ProviderModelUsage] {
        var groups: [[String]: UsageTotals] = [:]
        for record in records { groups[[record.provider, record.model], default: UsageTotals()].add(record) }
        return groups.map { ProviderModelUsage(provider: $0.key[0], model: $0.key[1], totals: $0.value) }
            .sorted { ($0.provider, $0.model) < ($1.provider, $1.model) }
    }

    /// Per calendar day in `timeZone`, oldest first; days without rows are left out.
    public static func byDay(_ records: [UsageRecord], timeZone: TimeZone) -> [DailyUsage] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var groups: [String: UsageTotals] = [:]
        for record in records { groups[CalendarText.day(record.date, calendar: calendar), default: UsageTotals()].add(record) }
        return groups.map { DailyUsage(day: $0.key, totals: $0.value) }.sorted { $0.day < $1.day }
    }
}

/// Usage of one provider and model.
public struct ProviderModelUsage: Sendable, Hashable, Codable {
    public var provider: String
    public var model: String
    public var totals: UsageTotals

    public init(provider: String, model: String, totals: UsageTotals) {
        self.provider = provider
        self.model = model
        self.totals = totals
    }
}

/// Usage on one calendar day.
public struct DailyUsage: Sendable, Hashable, Codable {
    /// `yyyy-MM-dd` in the time zone asked for.
    public var day: String
    public var totals: UsageTotals

    public init(day: String, totals: UsageTotals) {
        self.day = day
        self.totals = totals
    }
}

/// One day's usage per provider and model.
public struct DailyProviderModelUsage: Sendable, Hashable, Codable {
    /// `yyyy-MM-dd` in the time zone asked for.
    public var day: String
    /// Ordered by provider then model.
    public var rows: [ProviderModelUsage]

    public init(day: String, rows: [ProviderModelUsage]) {
        self.day = day
        self.rows = rows
    }
}

/// Usage of one session (`nil`: sessions deleted while their ledger rows were kept).
public struct SessionUsage: Sendable, Hashable, Codable {
    public var sessionID: Int64?
    public var totals: UsageTotals

    public init(sessionID: Int64?, totals: UsageTotals) {
        self.sessionID = sessionID
        self.totals = totals
    }
}

/// The known spend budgets are checked against, in USD.
public struct BudgetSpend: Sendable, Hashable, Codable {
    /// The current session's requests, before and after a resume.
    public var session: Decimal
    /// Every request since local midnight.
    public var today: Decimal

    public init(session: Decimal = 0, today: Decimal = 0) {
        self.session = session
        self.today = today
    }
}
