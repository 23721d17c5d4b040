import AgentCore
import FoundationEssentials
import SessionModel
import Testing

/// `/usage` and `swiftcoder usage`: cost and tokens per day for the last 30 days as stacked
/// bars per provider with a legend, or plain numbers into a pipe (issue 14).
@Suite(.timeLimit(.minutes(2))) struct UsageChartTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let today = Date(timeIntervalSince1970: 1_764_720_000)  // 2025-12-03 00:00 UTC

    static func row(_ provider: String, cost: Decimal, input: Int, output: Int) -> ProviderModelUsage {
        var totals = UsageTotals()
        totals.requests = 1
        totals.inputTokens = input
        totals.outputTokens = output
        totals.cost = cost
        return ProviderModelUsage(provider: provider, model: "m", totals: totals)
    }

    static let days = [
        DailyProviderModelUsage(day: "2025-10-01", rows: [row("old", cost: 9, input: 9, output: 9)]),  // outside
        DailyProviderModelUsage(day: "2025-11-04", rows: [row("cloud", cost: 1, input: 100, output: 100)]),
        DailyProviderModelUsage(day: "2025-12-03", rows: [row("cloud", cost: 2, input: 300, output: 100),
                                                          row("local", cost: 0, input: 1000, output: 600)]),
    ]

    @Test func blocksStackProvidersWithALegendOverThirtyDays() {
        let lines = UsageChart.lines(Self.days, today: Self.today, style: .blocks, timeZone: Self.utc)
        #expect(lines[0] == "Last 30 days, 2025-11-04 to 2025-12-03")
        #expect(lines[1] == "Cost per day (highest $2.00)")
        let costBars = Array(lines[2..<(2 + UsageChart.height)])
        // The last day is the tallest: its column reaches the top row; the first is half.
        #expect(costBars[0] == "  " + String(repeating: "  ", count: 29) + "█")
        #expect(costBars.last?.hasPrefix("  █") == true)
        #expect(lines.contains("  █ cloud  ▓ local"))
        #expect(!lines.joined().contains("old"))
        // The token chart stacks the local provider above the cloud one on the last day.
        let tokenStart = lines.firstIndex { $0.hasPrefix("Tokens per day") } ?? 0
        let tokenBars = Array(lines[(tokenStart + 1)...(tokenStart + UsageChart.height)])
        #expect(tokenBars.first?.hasSuffix("▓") == true)
        #expect(tokenBars.last?.hasSuffix("█") == true)
        // Every bar line fits 80 columns.
        #expect(lines.allSatisfy { $0.count <= 80 })
    }

    @Test func plainNumbersForAPipe() {
        let lines = UsageChart.lines(Self.days, today: Self.today, style: .plain, timeZone: Self.utc)
        #expect(lines == [
            "day\tprovider\tcost_usd\ttokens",
            "2025-11-04\tcloud\t1\t200",
            "2025-12-03\tcloud\t2\t400",
            "2025-12-03\tlocal\t0\t1600",
        ])
    }

    @Test func noRequestsSaysSo() {
        let lines = UsageChart.lines([], today: Self.today, style: .blocks, timeZone: Self.utc)
        #expect(lines.last == "  no requests recorded")
    }
}
