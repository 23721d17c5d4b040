import AgentCore
import FoundationEssentials
import SessionModel
import Testing
@testable import SessionStore

/// `/usage` and `swiftcoder usage` from a seeded ledger: this session, today and all time per
/// provider and model, with where each cost came from; the `--since` day as typed.
@Suite(.timeLimit(.minutes(2))) struct UsageReportTests {
    private func record(_ provider: String, _ model: String, input: Int, output: Int, cached: Int = 0,
                        reasoning: Int = 0, cost: String?, source: String?, at date: Date) -> UsageRecord {
        let usage = TokenUsage(inputTokens: input, outputTokens: output, cachedInputTokens: cached,
                               reasoningTokens: reasoning)
        return UsageRecord(provider: provider, model: model, usage: usage, cost: cost.map { Decimal(string: $0)! },
                           costSource: source, date: date)
    }

    @Test func theReportShowsThisSessionTodayAndAllTimePerProviderAndModelWithCostSources() async throws {
        try await withTemporaryStore { store, _ in
            let earlier = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            let current = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            let today = utc("2026-03-02 00:00")
            try await store.recorder(for: earlier.id).recordUsage(record(
                "openrouter", "anthropic/claude", input: 12_000, output: 800, cost: "0.05", source: "reported",
                at: utc("2026-03-01 15:00")))
            try await store.recorder(for: earlier.id).recordUsage(record(
                "openai", "gpt-5", input: 2000, output: 100, cost: "0.01", source: "builtin", at: utc("2026-03-02 08:00")))
            let recorder = store.recorder(for: current.id)
            try await recorder.recordUsage(record("openai", "gpt-5", input: 3000, output: 200, cached: 1000,
                                                  reasoning: 50, cost: "0.02", source: "config", at: utc("2026-03-02 09:00")))
            try await recorder.recordUsage(record("local", "qwen", input: 500, output: 20, cost: "0", source: "local",
                                                  at: utc("2026-03-02 09:05")))
            try await recorder.recordUsage(record("odd", "unpriced", input: 10, output: 5, cost: nil, source: nil,
                                                  at: utc("2026-03-02 09:10")))

            let breakdown = try await UsageBreakdown.load(from: store, sessionID: current.id, today: today, since: nil,
                                                          byDay: false, timeZone: TimeZone(identifier: "UTC")!)
            let lines = UsageReport.lines(breakdown)
            #expect(lines == [
                "This session (every request, before and after a resume)",
                "  local/qwen                   1 req · in 500 out 20 · $0.00 (local)",
                "  odd/unpriced                 1 req · in 10 out 5 · n/a",
                "  openai/gpt-5                 1 req · in 3k out 200 (cached 1k, reasoning 50) · $0.02 (config)",
                "  total                        3 req · in 3.5k out 225 (cached 1k, reasoning 50) · ≥$0.02 (config, local; 1 unpriced)",
                "",
                "Today (2026-03-02)",
                "  local/qwen                   1 req · in 500 out 20 · $0.00 (local)",
                "  odd/unpriced                 1 req · in 10 out 5 · n/a",
                "  openai/gpt-5                 2 req · in 5k out 300 (cached 1k, reasoning 50) · $0.03 (config, built-in)",
                "  total                        4 req · in 5.5k out 325 (cached 1k, reasoning 50) · ≥$0.03 (config, built-in, local; 1 unpriced)",
                "",
                "All time",
                "  local/qwen                   1 req · in 500 out 20 · $0.00 (local)",
                "  odd/unpriced                 1 req · in 10 out 5 · n/a",
                "  openai/gpt-5                 2 req · in 5k out 300 (cached 1k, reasoning 50) · $0.03 (config, built-in)",
                "  openrouter/anthropic/claude  1 req · in 12k out 800 · $0.05 (reported)",
                "  total                        5 req · in 17.5k out 1.1k (cached 1k, reasoning 50) · ≥$0.08 (reported, config, built-in, local; 1 unpriced)",
            ])
        }
    }

    @Test func theCommandAddsDaysAndASinceSection() async throws {
        try await withTemporaryStore { store, _ in
            let session = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            try await store.recorder(for: session.id).recordUsage(record(
                "openai", "gpt-5", input: 10, output: 1, cost: "0.5", source: "builtin", at: utc("2026-03-01 10:00")))
            let utcZone = TimeZone(identifier: "UTC")!
            let since = try #require(UsageReport.parseDay("2026-03-01", timeZone: utcZone))
            let breakdown = try await UsageBreakdown.load(from: store, sessionID: nil, today: utc("2026-03-02 00:00"),
                                                          since: since, byDay: true, timeZone: utcZone)
            let lines = UsageReport.lines(breakdown)
            #expect(!lines.contains { $0.hasPrefix("This session") })
            #expect(lines.contains("Today (2026-03-02)"))
            #expect(lines.contains("Since 2026-03-01"))
            #expect(lines.suffix(2).first == "By day")
            #expect(lines.last?.hasPrefix("  2026-03-01") == true)
        }
    }

    /// A local midnight is before UTC midnight east of Greenwich and after it west of it: the label
    /// must be the local day the user typed, not the UTC day of the instant.
    @Test(arguments: [2 * 3600, -8 * 3600, 14 * 3600, 0])
    func theSinceLabelIsTheLocalDayTyped(offset: Int) throws {
        let zone = try #require(TimeZone(secondsFromGMT: offset))
        let midnight = try #require(UsageReport.parseDay("2026-11-01", timeZone: zone))
        #expect(midnight == utc("2026-11-01 00:00").addingTimeInterval(TimeInterval(-offset)))
        #expect(UsageReport.dayLabel(midnight, timeZone: zone) == "2026-11-01")
    }

    @Test func onlyRealDaysParse() {
        let zone = TimeZone(identifier: "UTC")!
        #expect(UsageReport.parseDay("2026-02-30", timeZone: zone) == nil)
        #expect(UsageReport.parseDay("2026-13-01", timeZone: zone) == nil)
        #expect(UsageReport.parseDay("yesterday", timeZone: zone) == nil)
        #expect(UsageReport.parseDay("2028-02-29", timeZone: zone) != nil)
    }
}
