import App
import FoundationEssentials
import SessionModel

/// The usage breakdown shown by `/usage` and printed by `swiftcoder usage`: this session,
/// per provider and model, and per day, from the SQLite usage rows.
enum UsageReport {
    static func lines(store: any SessionService, sessionID: Int64?, since: Date?) async throws -> [String] {
        var lines: [String] = []
        if let sessionID {
            let totals = try await store.usageTotals(sessionID: sessionID)
            lines += ["This session (every request, before and after a resume)", "  " + summary(totals), ""]
        }
        let byModel = try await store.usageByProviderModel(since: since)
        lines.append("By provider and model" + (since == nil ? "" : " since \(day(since!))"))
        if byModel.isEmpty { lines.append("  no requests recorded") }
        for row in byModel { lines.append("  \(row.provider)/\(row.model)".padded(to: 44) + summary(row.totals)) }
        lines.append("")
        let byDay = try await store.usageByDay(since: since)
        lines.append("By day")
        if byDay.isEmpty { lines.append("  no requests recorded") }
        for row in byDay { lines.append("  \(row.day)".padded(to: 14) + summary(row.totals)) }
        let total = try await store.usageTotal(since: since)
        lines += ["", "Total  " + summary(total)]
        return lines
    }

    /// `12 req · in 45.2k out 3.1k (cached 10k, reasoning 500) · $0.1234`
    static func summary(_ totals: UsageTotals) -> String {
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

    /// The cost; `n/a` when no request had a price, `≥$X (N unpriced)` when some had none.
    static func cost(_ totals: UsageTotals) -> String {
        if totals.requests > 0 && totals.unpricedRequests == totals.requests { return "n/a" }
        if totals.unpricedRequests > 0 { return "≥\(Money.format(totals.cost)) (\(totals.unpricedRequests) unpriced)" }
        return Money.format(totals.cost)
    }

    static func count(_ value: Int) -> String {
        value < 1000 ? "\(value)" : "\(value / 1000).\((value % 1000) / 100)k"
    }

    static func day(_ date: Date) -> String {
        let (y, m, d) = ConversationExport.civilDate(daysSinceEpoch: Int(date.timeIntervalSince1970) / 86_400)
        return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }
}

extension String {
    /// Padded with spaces to `width` characters (at least one space after).
    func padded(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
