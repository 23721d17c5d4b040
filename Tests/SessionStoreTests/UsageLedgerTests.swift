import AgentCore
import FoundationEssentials
import Testing
@testable import SessionStore

@Suite(.timeLimit(.minutes(2))) struct UsageLedgerTests {
    private func dollars(_ text: String) -> Decimal { Decimal(string: text)! }

    private func record(_ provider: String, _ model: String, input: Int, output: Int, cost: String?,
                        estimate: Bool = false, at date: Date) -> UsageRecord {
        let usage = TokenUsage(inputTokens: input, outputTokens: output, cachedInputTokens: input / 2,
                               cacheWriteTokens: 1, reasoningTokens: output / 4, isEstimate: estimate)
        return UsageRecord(provider: provider, model: model, usage: usage, cost: cost.map { Decimal(string: $0)! },
                           costSource: cost == nil ? nil : "builtin", date: date)
    }

    @Test func sessionTotalsIncludeRowsFromBeforeAResume() async throws {
        try await withTemporaryStore { store, path in
            let session = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            let other = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            let day = utc("2026-03-01 10:00")
            try await store.recorder(for: session.id).recordUsage(record("x", "m", input: 100, output: 40,
                                                                        cost: "0.01", at: day))
            try await store.recorder(for: other.id).recordUsage(record("x", "m", input: 7, output: 7,
                                                                      cost: "5", at: day))
            let reopened = try SessionStore(path: path)
            try await reopened.recorder(for: session.id).recordUsage(record("x", "m", input: 50, output: 20,
                                                                           cost: nil, estimate: true, at: day))
            let totals = try await reopened.usageTotals(sessionID: session.id)
            var expected = UsageTotals()
            expected.requests = 2
            expected.inputTokens = 150
            expected.outputTokens = 60
            expected.cachedInputTokens = 75
            expected.cacheWriteTokens = 2
            expected.reasoningTokens = 15
            expected.cost = dollars("0.01")
            expected.unpricedRequests = 1
            expected.estimatedRequests = 1
            expected.costSources = ["builtin"]
            #expect(totals == expected)
            #expect(try await reopened.usageTotals(sessionID: 12345) == UsageTotals())
        }
    }

    @Test func costsAreStoredAndSummedExactly() async throws {
        try await withTemporaryStore { store, _ in
            let session = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            let recorder = store.recorder(for: session.id)
            let day = utc("2026-03-01 10:00")
            try await recorder.recordUsage(record("x", "m", input: 1, output: 1, cost: "0.1", at: day))
            try await recorder.recordUsage(record("x", "m", input: 1, output: 1, cost: "0.2", at: day))
            try await recorder.recordUsage(record("x", "m", input: 1, output: 1, cost: "0.000000123456789", at: day))
            let stored = try await store.pool.read { db in
                try String.fetchAll(db, sql: "SELECT cost FROM usage ORDER BY id")
            }
            #expect(stored == ["0.1", "0.2", "0.000000123456789"])
            let total = try await store.usageTotal().cost
            #expect(total == dollars("0.300000123456789"))
            #expect("\(total)" == "0.300000123456789")
        }
    }

    @Test func unpricedRowsAreCountedNotZeroed() async throws {
        try await withTemporaryStore { store, _ in
            let session = try await store.createSession(projectDirectory: "/p", provider: "x", model: "m")
            let recorder = store.recorder(for: session.id)
            try await recorder.recordUsage(record("local", "llama", input: 10, output: 10, cost: nil,
                                                  at: utc("2026-03-01 10:00")))
            try await recorder.recordUsage(record("local", "llama", input: 10, output: 10, cost: nil,
                                                  at: utc("2026-03-01 11:00")))
            let stored = try await store.pool.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM usage WHERE cost IS NULL")
            }
            #expect(stored == 2)
            let totals = try await store.usageTotal()
            #expect(totals.requests == 2)
            #expect(totals.unpricedRequests == 2)
            #expect(totals.cost == 0)
        }
    }

    @Test func totalsPerProviderModelAndSince() async throws {
        try await withTemporaryStore { store, _ in
            let first = try await store.createSession(projectDirectory: "/a", provider: "x", model: "m")
            let second = try await store.createSession(projectDirectory: "/b", provider: "x", model: "m")
            try await store.recorder(for: first.id).recordUsage(record("openai", "gpt-5", input: 10, output: 1,
                                                                      cost: "0.5", at: utc("2026-03-01 10:00")))
            try await store.recorder(for: second.id).recordUsage(record("openai", "gpt-5", input: 20, output: 2,
                                                                       cost: "0.25", at: utc("2026-03-02 10:00")))
            try await store.recorder(for: second.id).recordUsage(record("anthropic", "claude", input: 5, output: 5,
                                                                       cost: nil, at: utc("2026-03-02 11:00")))
            let all = try await store.usageByProviderModel()
            #expect(all.map { "\($0.provider)/\($0.model)" } == ["anthropic/claude", "openai/gpt-5"])
            #expect(all[1].totals.requests == 2)
            #expect(all[1].totals.inputTokens == 30)
            #expect(all[1].totals.cost == dollars("0.75"))
            #expect(all[0].totals.unpricedRequests == 1)

            let recent = try await store.usageByProviderModel(since: utc("2026-03-02 00:00"))
            #expect(recent.first { $0.provider == "openai" }?.totals.cost == dollars("0.25"))
            let since = try await store.usageTotal(since: utc("2026-03-02 10:30"))
            #expect(since.requests == 1)
            #expect(since.unpricedRequests == 1)
        }
    }

    @Test func totalsPerCalendarDayAcrossSessionsInTheGivenTimeZone() async throws {
        try await withTemporaryStore { store, _ in
            let first = try await store.createSession(projectDirectory: "/a", provider: "x", model: "m")
            let second = try await store.createSession(projectDirectory: "/b", provider: "x", model: "m")
            try await store.recorder(for: first.id).recordUsage(record("x", "m", input: 1, output: 1,
                                                                      cost: "1", at: utc("2026-03-01 23:30")))
            try await store.recorder(for: second.id).recordUsage(record("x", "m", input: 2, output: 2,
                                                                       cost: "2", at: utc("2026-03-02 00:30")))
            try await store.recorder(for: first.id).recordUsage(record("x", "m", input: 4, output: 4,
                                                                      cost: nil, at: utc("2026-03-02 12:00")))
            let inUTC = try await store.usageByDay(timeZone: TimeZone(identifier: "UTC")!)
            #expect(inUTC.map(\.day) == ["2026-03-01", "2026-03-02"])
            #expect(inUTC.map(\.totals.inputTokens) == [1, 6])
            #expect(inUTC.map(\.totals.cost) == [1, 2])
            #expect(inUTC.map(\.totals.unpricedRequests) == [0, 1])

            // Two hours ahead, the first two requests fall on the same local day.
            let ahead = try await store.usageByDay(timeZone: TimeZone(secondsFromGMT: 2 * 3600)!)
            #expect(ahead.map(\.day) == ["2026-03-02"])
            #expect(ahead.first?.totals.requests == 3)

            let recent = try await store.usageByDay(since: utc("2026-03-02 00:00"), timeZone: TimeZone(identifier: "UTC")!)
            #expect(recent.map(\.day) == ["2026-03-02"])
        }
    }
}
