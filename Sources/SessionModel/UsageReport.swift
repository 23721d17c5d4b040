import AgentCore
import FoundationEssentials
import Pricing

/// What `/usage` and `swiftcoder usage` show: this session, today and all time (or since a
/// day), each per provider and model, and for the command also per day.
public struct UsageBreakdown: Sendable, Hashable {
    /// This session's requests (a resumed session's earlier ones included); `nil` outside a session.
    public var session: [ProviderModelUsage]?
    /// `yyyy-MM-dd` of today, local time.
    public var todayLabel: String
    public var today: [ProviderModelUsage]
    /// `yyyy-MM-dd` of the first day counted, `nil` for all time.
    public var sinceLabel: String?
    public var period: [ProviderModelUsage]
    /// Per local day, when asked for (the command prints it; the overlay does not).
    public var byDay: [DailyUsage]?

    /// A breakdown of already aggregated rows.
    public init(session: [ProviderModelUsage]?, todayLabel: String, today: [ProviderModelUsage],
                sinceLabel: String? = nil, period: [ProviderModelUsage], byDay: [DailyUsage]? = nil) {
        self.session = session
        self.todayLabel = todayLabel
        self.today = today
        self.sinceLabel = sinceLabel
        self.period = period
        self.byDay = byDay
    }

    /// Reads the breakdown from the ledger: the session's rows, today's rows, then the period
    /// per model (one scan of the per-model index) or, with `byDay`, one pass per local day
    /// that the period and the days are both derived from. `today` and `since` are local
    /// midnights; labels are the local days in `timeZone`.
    public static func load(from store: any SessionService, sessionID: Int64?, today: Date, since: Date?,
                            byDay: Bool, timeZone: TimeZone = .current) async throws -> UsageBreakdown {
        let session: [ProviderModelUsage]? = if let sessionID {
            try await store.usageByProviderModel(sessionID: sessionID)
        } else {
            nil
        }
        let todayRows = try await store.usageByProviderModel(since: today)  // one index range
        let sinceLabel = since.map { UsageReport.dayLabel($0, timeZone: timeZone) }
        let todayLabel = UsageReport.dayLabel(today, timeZone: timeZone)
        guard byDay else {  // one scan of the per-model index
            return UsageBreakdown(session: session, todayLabel: todayLabel, today: todayRows, sinceLabel: sinceLabel,
                                  period: try await store.usageByProviderModel(since: since))
        }
        let days = try await store.usageByDayAndProviderModel(since: since)
        return UsageBreakdown(session: session, todayLabel: todayLabel, today: todayRows, sinceLabel: sinceLabel,
                              period: UsageRollup.byProviderModel(days), byDay: UsageRollup.byDay(days))
    }
}

/// Figures derived from per-day, per-model aggregates. Pure.
public enum UsageRollup {
    /// Per provider and model over all the days, ordered by provider then model.
    public static func byProviderModel(_ days: [DailyProviderModelUsage]) -> [ProviderModelUsage] {
        var groups: [[String]: UsageTotals] = [:]
        for day in days {
            for row in day.rows { groups[[row.provider, row.model], default: UsageTotals()].merge(row.totals) }
        }
        return groups.map { ProviderModelUsage(provider: $0.key[0], model: $0.key[1], totals: $0.value) }
            .sorted { ($0.provider, $0.model) < ($1.provider, $1.model) }
    }

    /// Per day, all models together.
    public static func byDay(_ days: [DailyProviderModelUsage]) -> [DailyUsage] {
        days.map { day in DailyUsage(day: day.day, totals: day.rows.reduce(into: UsageTotals()) { $0.merge($1.totals) }) }
    }

    /// Everything added up.
    public static func total(_ days: [DailyProviderModelUsage]) -> UsageTotals {
        days.reduce(into: UsageTotals()) { total, day in for row in day.rows { total.merge(row.totals) } }
    }
}

/// The report's lines. Pure.
public enum UsageReport {
    /// Section titles, then one row per provider and model (requests, tokens in/out with cached
    /// and reasoning, cost with its source), and a total when a section has several rows.
    public static func lines(_ breakdown: UsageBreakdown) -> [String] {
        let names = ((breakdown.session ?? []) + breakdown.today + breakdown.period).map { "  \($0.provider)/\($0.model)" }
        let width = min(40, max(24, (names.map(\.count).max() ?? 0) + 2))
        var lines: [String] = []
        if let session = breakdown.session {
            lines += section("This session (every request, before and after a resume)", session, width: width) + [""]
        }
        lines += section("Today (\(breakdown.todayLabel))", breakdown.today, width: width) + [""]
        lines += section(breakdown.sinceLabel.map { "Since \($0)" } ?? "All time", breakdown.period, width: width)
        if let byDay = breakdown.byDay {
            lines += ["", "By day"]
            if byDay.isEmpty { lines.append("  no requests recorded") }
            for row in byDay { lines.append("  \(row.day)".padded(to: 14) + summary(row.totals)) }
        }
        return lines
    }

    /// `title`, a row per provider and model with names padded to `width`, and a total.
    private static func section(_ title: String, _ rows: [ProviderModelUsage], width: Int) -> [String] {
        var lines = [title]
        if rows.isEmpty { lines.append("  no requests recorded") }
        for row in rows { lines.append("  \(row.provider)/\(row.model)".padded(to: width) + summary(row.totals)) }
        if rows.count > 1 {
            let total = rows.reduce(into: UsageTotals()) { $0.merge($1.totals) }
            lines.append("  total".padded(to: width) + summary(total))
        }
        return lines
    }

    /// `12 req · in 45.2k out 3.1k (cached 10k, reasoning 500) · $0.1234 (config)`
    public static func summary(_ totals: UsageTotals) -> String {
        var text = "\(totals.requests) req · in \(count(totals.inputTokens)) out \(count(totals.outputTokens))"
        var details: [String] = []
        if totals.cachedInputTokens > 0 { details.append("cached \(count(totals.cachedInputTokens))") }
        if totals.cacheWriteTokens > 0 { details.append("cache write \(count(totals.cacheWriteTokens))") }
        if totals.reasoningTokens > 0 { details.append("reasoning \(count(totals.reasoningTokens))") }
        if !details.isEmpty { text += " (" + details.joined(separator: ", ") + ")" }
        text += " · " + cost(totals)
        if totals.estimatedRequests > 0 { text += " · \(totals.estimatedRequests) estimated" }
        return text
    }

    /// The cost and where it came from: `$0.12 (config)`; `n/a` when no request had a price;
    /// `≥$0.12 (built-in; 2 unpriced)` when some had none.
    public static func cost(_ totals: UsageTotals) -> String {
        if totals.requests > 0 && totals.unpricedRequests == totals.requests { return "n/a" }
        var notes = [sourceTag(totals.costSources)].compactMap { $0 }
        if totals.unpricedRequests > 0 { notes.append("\(totals.unpricedRequests) unpriced") }
        let amount = (totals.unpricedRequests > 0 ? "≥" : "") + MoneyFormat.usd(totals.cost)
        return notes.isEmpty ? amount : amount + " (" + notes.joined(separator: "; ") + ")"
    }

    /// The short tag of the cost sources, in `PriceSource` order (`reported`, `provider`,
    /// `config`, `built-in`, `litellm`, `local`; an unknown name as it is), `nil` for none.
    public static func sourceTag(_ sources: Set<String>) -> String? {
        guard !sources.isEmpty else { return nil }
        let order = PriceSource.allCases.map(\.rawValue)
        let rank = { (name: String) in order.firstIndex(of: name) ?? order.count }
        let sorted = sources.sorted { (rank($0), $0) < (rank($1), $1) }
        return sorted.map { $0 == PriceSource.builtin.rawValue ? "built-in" : $0 }.joined(separator: ", ")
    }

    /// 950 → `950`, 12_345 → `12.3k`, 12_390 → `12.4k`: the meter's rule (`TokenFormat.compact`,
    /// rounded half up), never truncated (D116).
    static func count(_ value: Int) -> String {
        TokenFormat.compact(value)
    }

    /// `yyyy-MM-dd` of `date` in `timeZone`: a local midnight gives the day the user typed.
    public static func dayLabel(_ date: Date, timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return CalendarText.day(date, calendar: calendar)
    }

    /// `2026-11-01` → that day's midnight in `timeZone`; `nil` when it is not a day.
    public static func parseDay(_ text: String, timeZone: TimeZone = .current) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 3, let year = parts[0], let month = parts[1], let day = parts[2],
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)) else { return nil }
        // 2026-02-30 would roll over into March: not a day.
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        return back.year == year && back.month == month && back.day == day ? date : nil
    }
}

extension UsageTotals {
    /// Adds another total's requests, tokens, costs and sources.
    public mutating func merge(_ other: UsageTotals) {
        requests += other.requests
        inputTokens = inputTokens.saturatingAdding(other.inputTokens)
        outputTokens = outputTokens.saturatingAdding(other.outputTokens)
        cachedInputTokens = cachedInputTokens.saturatingAdding(other.cachedInputTokens)
        cacheWriteTokens = cacheWriteTokens.saturatingAdding(other.cacheWriteTokens)
        reasoningTokens = reasoningTokens.saturatingAdding(other.reasoningTokens)
        cost += other.cost
        unpricedRequests += other.unpricedRequests
        estimatedRequests += other.estimatedRequests
        costSources.formUnion(other.costSources)
    }
}

extension String {
    /// Padded with spaces to `width` characters (at least one space after).
    func padded(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
