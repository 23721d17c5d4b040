import FoundationEssentials
import Pricing

/// Cost and tokens per day for the last days as bar charts, stacked per provider with a
/// legend (`/usage`, `swiftcoder usage`; issue 14). Pure and linear in days × providers.
public enum UsageChart {
    /// Block characters (the TUI and a terminal), or plain numbers (a pipe).
    public enum Style: Sendable { case blocks, plain }

    /// The days charted.
    public static let dayCount = 30
    /// Rows of one chart's bars.
    public static let height = 8
    /// One fill per provider, in legend order; more providers than fills share the last.
    static let fills: [Character] = ["█", "▓", "▒", "░", "#", "=", "+", "·"]

    /// One day's figures for one provider.
    struct Figures { var cost: Decimal = 0; var tokens: Double = 0 }

    /// The first day charted: local midnight `dayCount - 1` days before `today`.
    public static func firstDay(today: Date, timeZone: TimeZone = .current) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(byAdding: .day, value: -(dayCount - 1), to: today) ?? today
    }

    /// The charts' lines for `days` (as the ledger's per-day rollup returns them), the last
    /// `dayCount` local days ending on `today`.
    public static func lines(_ days: [DailyProviderModelUsage], today: Date, style: Style,
                             timeZone: TimeZone = .current) -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let labels = (0..<dayCount).map { offset in
            UsageReport.dayLabel(calendar.date(byAdding: .day, value: offset - (dayCount - 1), to: today) ?? today,
                                 timeZone: timeZone)
        }
        let index = Dictionary(labels.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var providers: [String] = []
        var grid: [[String: Figures]] = Array(repeating: [:], count: dayCount)
        for day in days {
            guard let slot = index[day.day] else { continue }
            for row in day.rows {
                if !providers.contains(row.provider) { providers.append(row.provider) }
                var figures = grid[slot][row.provider, default: Figures()]
                figures.cost += row.totals.cost
                figures.tokens += Double(row.totals.inputTokens + row.totals.outputTokens)
                grid[slot][row.provider] = figures
            }
        }
        providers.sort()
        if style == .plain { return plain(grid, labels: labels, providers: providers) }
        let title = "Last \(dayCount) days, \(labels[0]) to \(labels[dayCount - 1])"
        guard !providers.isEmpty else { return [title, "  no requests recorded"] }
        let cost = chart(grid, providers: providers) { Double($0.cost.description) ?? 0 }
        let tokens = chart(grid, providers: providers) { $0.tokens }
        let costPeak = grid.map { $0.values.reduce(Decimal(0)) { $0 + $1.cost } }.max() ?? 0
        let tokenPeak = grid.map { $0.values.reduce(0) { $0 + $1.tokens } }.max() ?? 0
        let axis = "  " + labels[0].suffix(5) + String(repeating: " ", count: max(1, dayCount * 2 - 10))
            + labels[dayCount - 1].suffix(5)
        let legend = "  " + providers.enumerated().map { "\(fill($0.offset)) \($0.element)" }.joined(separator: "  ")
        return [title, "Cost per day (highest \(MoneyFormat.usd(costPeak)))"] + cost + [axis, ""]
            + ["Tokens per day, in + out (highest \(Int(tokenPeak)))"] + tokens + [axis, legend]
    }

    static func fill(_ position: Int) -> Character { fills[min(position, fills.count - 1)] }

    /// `height` rows of stacked bars, two columns a day; a non-zero day shows at least its
    /// lowest cell.
    static func chart(_ grid: [[String: Figures]], providers: [String], value: (Figures) -> Double) -> [String] {
        let totals = grid.map { day in providers.map { value(day[$0] ?? Figures()) } }
        let peak = totals.map { $0.reduce(0, +) }.max() ?? 0
        guard peak > 0 else { return ["  (none)"] }
        return (0..<height).reversed().map { row in
            var line = "  "
            for stack in totals {
                let sum = stack.reduce(0, +)
                let threshold = (Double(row) + 0.5) / Double(height) * peak
                var cell: Character = " "
                if sum > 0 && threshold <= sum {
                    var running = 0.0
                    for (position, amount) in stack.enumerated() where amount > 0 {
                        running += amount
                        if threshold <= running { cell = fill(position); break }
                    }
                } else if sum > 0 && row == 0 {
                    cell = fill(stack.firstIndex { $0 > 0 } ?? 0)  // a small day still shows
                }
                line.append(cell)
                line.append(" ")
            }
            return String(line.reversed().drop { $0 == " " }.reversed())
        }
    }

    /// One line per day and provider with a request: `day  provider  cost  tokens`.
    static func plain(_ grid: [[String: Figures]], labels: [String], providers: [String]) -> [String] {
        var lines = ["day\tprovider\tcost_usd\ttokens"]
        for (slot, day) in grid.enumerated() {
            for provider in providers {
                guard let figures = day[provider] else { continue }
                lines.append("\(labels[slot])\t\(provider)\t\(figures.cost.description)"
                    + "\t\(Int(figures.tokens))")
            }
        }
        return lines
    }
}
